/** TLS in transit: listeners, caches, databases, proxies, buckets and ingresses. */
import { asList, Concern, isGiven, resourceRule, stackRule } from "../rule";
import { isDenyInsecureTransport, parseDocument } from "../documents";


export const LISTENER_TYPES = ["aws:lb/listener:Listener", "aws:alb/listener:Listener"];
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const BUCKET_POLICY_TYPES = ["aws:s3/bucketPolicy:BucketPolicy"];

/** ELB security policies that negotiate TLS 1.2 or newer only. */
const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

export const lbListenerTls = resourceRule({
    name: "lb-listener-tls",
    description: "Load balancer listeners use HTTPS/TLS with a TLS 1.2+ policy; plain HTTP listeners only redirect to HTTPS.",
    why: "A listener that serves plain HTTP, or TLS 1.0/1.1, exposes requests, cookies and tokens to anyone on the path.",
    remediationSteps: "Use protocol HTTPS (or TLS) with sslPolicy ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS 1.2+ policy; make port 80 a redirect action to HTTPS.",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "high",
    types: LISTENER_TYPES,
    check: ({ props }, args) => {
        if (props.protocol === undefined && props.port === undefined) {
            // The provider: port and protocol are "not valid for Gateway Load Balancers", whose
            // listeners forward GENEVE-encapsulated packets to appliances and terminate no TLS.
            args.notApplicable("a Gateway Load Balancer listener (no port, no protocol) forwards GENEVE traffic and has no TLS setting");
        }
        const protocol = String(props.protocol ?? "HTTP").toUpperCase();
        if (protocol === "HTTPS" || protocol === "TLS") {
            const policy = props.sslPolicy;
            if (typeof policy !== "string" || !TLS12_POLICY.test(policy)) {
                return [`${protocol} listener with ssl policy ${policy === undefined ? "unset (the ELB default allows TLS 1.0)" : `"${policy}"`}: use a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`];
            }
            return [];
        }
        const actions = asList(props.defaultActions) as { type?: string; redirect?: { protocol?: string } }[];
        const redirectsOnly = protocol === "HTTP" && actions.length > 0
            && actions.every((a) => a.type === "redirect" && String(a.redirect?.protocol ?? "").toUpperCase() === "HTTPS");
        return redirectsOnly ? [] : [`${protocol} listener that does not only redirect to HTTPS: serve HTTPS/TLS instead`];
    },
});

export const elasticacheTransitEncryption = resourceRule({
    name: "elasticache-transit-encryption",
    description: "ElastiCache replication groups require TLS in transit and authenticate clients (AUTH token or RBAC user group).",
    why: "Without TLS, cached data and AUTH tokens cross the network in clear text; without authentication anyone in the VPC who can reach the port reads and writes the cache.",
    remediationSteps: "Set transitEncryptionEnabled: true (transitEncryptionMode \"required\" or unset) and an authToken (a secret) or userGroupIds.",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: ({ props }) => {
        const problems: string[] = [];
        if (props.transitEncryptionEnabled !== true) {
            problems.push("transitEncryptionEnabled is not true: clients may connect without TLS");
        } else if (props.transitEncryptionMode === "preferred") {
            problems.push("transitEncryptionMode is \"preferred\": plain-text connections are still accepted; use \"required\"");
        }
        // A token generated in the same update (RedisCache's RandomPassword) is unknown until apply, and given.
        if (!isGiven(props, "authToken") && !isGiven(props, "authTokenWo") && asList(props.userGroupIds).length === 0) {
            problems.push("neither authToken nor userGroupIds is set: clients are not authenticated");
        }
        return problems;
    },
});

export const rdsProxyRequireTls = resourceRule({
    name: "rds-proxy-require-tls",
    description: "RDS Proxies require TLS from clients.",
    why: "A proxy that accepts plain-text connections sends database credentials and data in clear text.",
    remediationSteps: "Set requireTls: true on the aws.rds.Proxy.",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:rds/proxy:Proxy"],
    check: ({ props }) => props.requireTls === true ? [] : ["requireTls is not true: clients may connect without TLS"],
});

/** Engines and the parameter that forces TLS on them. */
const FORCE_SSL: { engine: RegExp; parameter: string; on: string[] }[] = [
    { engine: /postgres/, parameter: "rds.force_ssl", on: ["1"] },
    { engine: /sqlserver/, parameter: "rds.force_ssl", on: ["1"] },
    { engine: /mysql|mariadb/, parameter: "require_secure_transport", on: ["1", "ON", "on"] },
];

export const rdsForceSsl = stackRule({
    name: "rds-force-ssl",
    description: "RDS instances use a parameter group of the stack that forces TLS (rds.force_ssl=1, or require_secure_transport=ON for MySQL/MariaDB).",
    why: "Encryption in transit on RDS is opt-in per connection unless the parameter group forces it; one client with sslmode=disable sends credentials and data in clear text.",
    remediationSteps: "Create an aws.rds.ParameterGroup with parameter rds.force_ssl = 1 (require_secure_transport = ON for MySQL/MariaDB) and pass its name as the instance's parameterGroupName.",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:rds/instance:Instance"],
    check: (stack, _args, report) => {
        for (const db of stack.ofType("aws:rds/instance:Instance")) {
            const engine = String(db.props.engine ?? "");
            const rule = FORCE_SSL.find((f) => f.engine.test(engine));
            if (!rule) {
                continue;
            }
            const groups = stack.referencedBy(db, "parameterGroupName", ["aws:rds/parameterGroup:ParameterGroup"], "name");
            if (groups.length === 0) {
                report(db.urn, db.props.parameterGroupName === undefined
                    ? `${engine} instance "${db.name}" uses the default parameter group: ${rule.parameter} is not forced on`
                    : `${engine} instance "${db.name}" uses parameter group ${JSON.stringify(db.props.parameterGroupName)}, which is not defined in this stack, so ${rule.parameter} cannot be verified`);
                continue;
            }
            for (const group of groups) {
                const param = (asList(group.props.parameters) as Record<string, unknown>[]).find((p) => p.name === rule.parameter);
                if (!param || !rule.on.includes(String(param.value))) {
                    report(db.urn, `${engine} instance "${db.name}": parameter group "${group.name}" does not set ${rule.parameter}=${rule.on[0]}${param ? ` (it sets ${JSON.stringify(param.value)})` : ""}`);
                }
            }
        }
    },
});

export const s3TlsOnly = stackRule({
    name: "s3-tls-only",
    description: "Every S3 bucket has a bucket policy denying requests made without TLS (aws:SecureTransport false).",
    why: "S3 accepts plain HTTP requests unless a bucket policy refuses them; objects and presigned URLs then travel in clear text.",
    remediationSteps: "Add an aws.s3.BucketPolicy with a Deny statement for Principal \"*\", Action \"s3:*\", Resource the bucket ARN and ARN/*, Condition Bool aws:SecureTransport = \"false\" (secureBucket() in components/common does this).",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: BUCKET_TYPES,
    check: (stack, _args, report) => {
        for (const bucket of stack.ofType(...BUCKET_TYPES)) {
            const documents = [
                bucket.props.policy,
                ...stack.referencing(bucket, BUCKET_POLICY_TYPES, "bucket", "bucket").map((p) => p.props.policy),
            ].filter((d) => d !== undefined).map(parseDocument);
            if (!documents.some((doc) => doc.Statement.some(isDenyInsecureTransport))) {
                report(bucket.urn, `bucket "${bucket.name}" has no bucket policy denying requests without aws:SecureTransport`);
            }
        }
    },
});

export const k8sIngressTls = resourceRule({
    name: "k8s-ingress-tls",
    description: "Kubernetes Ingresses declare TLS for every host they route.",
    why: "An Ingress host without a TLS entry is served over plain HTTP by the ingress controller.",
    remediationSteps: "Add spec.tls entries (hosts and secretName, e.g. from cert-manager) covering every spec.rules[].host.",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["kubernetes:networking.k8s.io/v1:Ingress"],
    check: ({ props }) => {
        const spec = props.spec ?? {};
        const tls = asList(spec.tls) as { hosts?: string[] }[];
        if (tls.length === 0) {
            return ["the Ingress declares no spec.tls: every host is served over plain HTTP"];
        }
        const covered = new Set(tls.flatMap((t) => asList(t.hosts)));
        const hosts = (asList(spec.rules) as { host?: string }[]).map((r) => r.host).filter((h): h is string => typeof h === "string");
        return hosts.filter((h) => !covered.has(h) && !covered.has(`*.${h.split(".").slice(1).join(".")}`))
            .map((h) => `host "${h}" has no spec.tls entry`);
    },
});

export const TLS_RULES = [lbListenerTls, elasticacheTransitEncryption, rdsForceSsl, rdsProxyRequireTls, s3TlsOnly, k8sIngressTls];
