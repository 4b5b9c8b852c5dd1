/** Least privilege: IAM documents, trust, security groups, public data stores and buckets. */
import { isWildcardAction, NormalStatement, parseDocument, statementLabel } from "../documents";
import { asList, Concern, PolicyResource, resourceRule, StackView, stackRule, Subject } from "../rule";
import { BUCKET_TYPES } from "./tls";

/** Resources carrying IAM identity-policy documents, and where the documents are. */
export const POLICY_DOCUMENT_TYPES: Record<string, (props: Record<string, unknown>) => unknown[]> = {
    "aws:iam/policy:Policy": (p) => [p.policy],
    "aws:iam/rolePolicy:RolePolicy": (p) => [p.policy],
    "aws:iam/userPolicy:UserPolicy": (p) => [p.policy],
    "aws:iam/groupPolicy:GroupPolicy": (p) => [p.policy],
    "aws:iam/role:Role": (p) => (asList(p.inlinePolicies) as Record<string, unknown>[]).map((i) => i.policy),
    // IAM Identity Center: what people signing in through a permission set may do.
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": (p) => [p.inlinePolicy],
};
export const IAM_DOCUMENT_TYPES = Object.keys(POLICY_DOCUMENT_TYPES);

/** The Allow statements of every identity-policy document of a resource, or a problem reading one. */
function allowStatements(subject: Subject): { statements: NormalStatement[]; problems: string[] } {
    const docs = POLICY_DOCUMENT_TYPES[subject.type](subject.props).filter((d) => d !== undefined && d !== "").map(parseDocument);
    return {
        statements: docs.flatMap((d) => d.Statement).filter((s) => s.Effect === "Allow"),
        problems: docs.filter((d) => d.unreadable !== undefined).map((d) => `the policy document is not valid JSON: ${d.unreadable}`),
    };
}

/** Case-insensitive IAM wildcard match of an action pattern against an action. */
export function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\?/g, ".")).join(".*")}$`, "i");
    return re.test(action);
}

export const iamNoWildcardActions = resourceRule({
    name: "iam-no-wildcard-actions",
    description: "IAM policies (including Identity Center permission-set inline policies) do not allow `*` or `service:*` actions (or NotAction).",
    why: "A wildcard action grants every current and future action of a service, including the destructive and privilege-escalating ones.",
    remediationSteps: "List the exact actions the principal needs (for example s3:GetObject, s3:PutObject).",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "high",
    types: IAM_DOCUMENT_TYPES,
    check: (subject) => {
        const { statements, problems } = allowStatements(subject);
        statements.forEach((s, i) => {
            const wild = s.Action.filter(isWildcardAction);
            if (wild.length > 0) {
                problems.push(`${statementLabel(s, i)} allows ${wild.join(", ")}`);
            }
            if (s.NotAction.length > 0) {
                problems.push(`${statementLabel(s, i)} allows everything except ${s.NotAction.join(", ")} (NotAction)`);
            }
        });
        return problems;
    },
});

/**
 * Read-only actions that do not support resource-level permissions, so `"*"` is their only valid
 * resource (from the IAM Service Authorization Reference). Extend with the rule's `exemptActions`.
 */
export const RESOURCELESS_READ_ACTIONS = [
    "cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData", "cloudwatch:ListMetrics",
    "codebuild:ListProjects",
    "ec2:DescribeAvailabilityZones", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRegions", "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets", "ec2:DescribeVpcs",
    "ecr:GetAuthorizationToken",
    "ecs:DescribeTaskDefinition", "ecs:ListClusters", "ecs:ListTasks",
    "elasticache:DescribeCacheEngineVersions",
    "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth",
    "iam:ListRoles",
    "kms:ListAliases", "kms:ListKeys",
    "logs:DescribeLogGroups",
    "rds:DescribeDBEngineVersions",
    "s3:ListAllMyBuckets",
    "secretsmanager:ListSecrets",
    "ssm:DescribeParameters",
    "sts:GetCallerIdentity",
    "tag:GetResources",
    "xray:GetSamplingRules", "xray:GetSamplingTargets",
];

/**
 * `*`, or an ARN whose resource part is only wildcards and separators (`*`, `?`, `/`, `:`): every
 * resource. For example `arn:aws:s3:::*`, `arn:aws:dynamodb:*:*:*`, and the S3 object ARN whose
 * bucket and key are both `*` (every object of every bucket).
 */
export function isWildcardResource(resource: string): boolean {
    if (resource === "*") {
        return true;
    }
    const m = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:(.*)$/.exec(resource);
    return m !== null && m[1].includes("*") && /^[*?/:]+$/.test(m[1]);
}

export const iamNoWildcardResources = resourceRule({
    name: "iam-no-wildcard-resources",
    description: "IAM policies do not allow actions on `*` resources (or ARNs such as `arn:aws:s3:::*` and `arn:aws:s3:::*/*`), except read-only actions that AWS cannot scope to a resource.",
    why: "`Resource: \"*\"` extends a grant to every resource of the account, including ones created later by others.",
    remediationSteps: "Name the exact ARNs (the component's own resources); if an action truly has no resource-level permissions, add it to this rule's exemptActions config or waive the resource with a reason.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            exemptActions: { type: "array", items: { type: "string" }, default: [], description: "More actions allowed on \"*\"." },
        },
    },
    types: IAM_DOCUMENT_TYPES,
    check: (subject, args) => {
        const extra = asList(args.getConfig<{ exemptActions?: string[] }>().exemptActions);
        const exempt = new Set([...RESOURCELESS_READ_ACTIONS, ...extra].map((a) => a.toLowerCase()));
        const { statements, problems } = allowStatements(subject);
        statements.forEach((s, i) => {
            const wildResource = s.Resource.some(isWildcardResource) || s.NotResource.length > 0;
            const scoped = s.Action.filter((a) => !exempt.has(a.toLowerCase()));
            if (wildResource && (scoped.length > 0 || s.NotAction.length > 0)) {
                const on = s.NotResource.length > 0 ? "NotResource" : s.Resource.filter(isWildcardResource).map((r) => JSON.stringify(r)).join(", ");
                problems.push(`${statementLabel(s, i)} allows ${scoped.length > 0 ? scoped.join(", ") : "NotAction"} on ${on}`);
            }
        });
        return problems;
    },
});

const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;
export const ATTACHMENT_TYPES: Record<string, (props: Record<string, unknown>) => unknown[]> = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (p) => [p.policyArn],
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": (p) => [p.policyArn],
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": (p) => [p.policyArn],
    "aws:iam/policyAttachment:PolicyAttachment": (p) => [p.policyArn],
    "aws:iam/role:Role": (p) => asList(p.managedPolicyArns as unknown[]),
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": (p) => asList(p.policyArns as unknown[]),
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": (p) => asList(p.policyArns as unknown[]),
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": (p) => asList(p.policyArns as unknown[]),
    // IAM Identity Center permission sets.
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": (p) => [p.managedPolicyArn],
    "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive": (p) => asList(p.managedPolicyArns as unknown[]),
};

export const iamNoAdminPolicies = resourceRule({
    name: "iam-no-admin-policies",
    description: "No AWS-managed AdministratorAccess, PowerUserAccess or IAMFullAccess policy is attached (to roles, users, groups or Identity Center permission sets).",
    why: "These policies grant (nearly) everything, including changing IAM itself: one leaked credential owns the account.",
    remediationSteps: "Attach a policy listing the exact actions and ARNs the principal needs.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "critical",
    types: Object.keys(ATTACHMENT_TYPES),
    check: ({ type, props }) => ATTACHMENT_TYPES[type](props).filter((arn) => typeof arn === "string" && ADMIN_POLICY.test(arn))
        .map((arn) => `attaches ${arn}`),
});

export const iamNoWildcardTrust = resourceRule({
    name: "iam-no-wildcard-trust",
    description: "Role trust policies do not let `*` (any AWS principal) assume the role.",
    why: "A `*` principal lets any AWS account that learns the role ARN try to assume it.",
    remediationSteps: "Name the service (Principal.Service) or account/role ARNs allowed to assume the role, and pin aws:SourceAccount.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "critical",
    types: ["aws:iam/role:Role"],
    check: ({ props }) => {
        if (props.assumeRolePolicy === undefined) {
            return [];
        }
        const doc = parseDocument(props.assumeRolePolicy);
        return [
            ...(doc.unreadable !== undefined ? [`the trust policy is not valid JSON: ${doc.unreadable}`] : []),
            ...doc.Statement.map((s, i) => ({ s, i })).filter(({ s }) => s.Effect === "Allow" && s.Principal.includes("*"))
                .map(({ s, i }) => `${statementLabel(s, i)} of the trust policy allows principal "*"`),
        ];
    },
});

export const iamPassRoleRestricted = resourceRule({
    name: "iam-passrole-restricted",
    description: "iam:PassRole names exact roles and carries an iam:PassedToService condition.",
    why: "PassRole on any role lets a principal hand a more powerful role to a service it controls: a classic privilege escalation.",
    remediationSteps: "Allow iam:PassRole only on the exact role ARNs, with Condition StringEquals iam:PassedToService = the service (e.g. ecs-tasks.amazonaws.com).",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "high",
    types: IAM_DOCUMENT_TYPES,
    check: (subject) => {
        const { statements } = allowStatements(subject);
        const problems: string[] = [];
        statements.forEach((s, i) => {
            if (!s.Action.some((a) => a !== "*" && actionMatches(a, "iam:PassRole"))) {
                return; // a bare "*" is iam-no-wildcard-actions' finding
            }
            const wild = s.Resource.filter((r) => r.includes("*"));
            if (wild.length > 0 || s.NotResource.length > 0) {
                problems.push(`${statementLabel(s, i)} allows iam:PassRole on ${wild.length > 0 ? wild.join(", ") : "NotResource"}`);
            }
            const conditioned = Object.values(s.Condition).some((c) => Object.keys(c ?? {}).some((k) => k.toLowerCase() === "iam:passedtoservice"));
            if (!conditioned) {
                problems.push(`${statementLabel(s, i)} allows iam:PassRole without an iam:PassedToService condition`);
            }
        });
        return problems;
    },
});

// --- Security groups.

/**
 * True for a block that spans (a large part of) the internet: 0.0.0.0/0 and ::/0, and any IPv4 block
 * shorter than /8 or IPv6 block shorter than /16, so splitting the world (0.0.0.0/1 + 128.0.0.0/1)
 * does not get around the rule.
 */
export function isWorldCidr(cidr: unknown): boolean {
    const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(String(cidr));
    if (!m) {
        return false;
    }
    const prefix = Number(m[2]);
    return m[1].includes(":") ? prefix < 16 : prefix < 8;
}
const WORLD = { includes: isWorldCidr };
export const LB_TYPES = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const SG_TYPE = "aws:ec2/securityGroup:SecurityGroup";
const SG_RULE_TYPE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_INGRESS_TYPE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const VPC_EGRESS_TYPE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

interface OpenRule {
    resource: PolicyResource;
    /** The security group the rule belongs to, when it is in the stack. */
    group?: PolicyResource;
    cidr: string;
    protocol: string;
    fromPort?: number;
    toPort?: number;
}

function portsText(r: { protocol: string; fromPort?: number; toPort?: number }): string {
    if (["-1", "all"].includes(r.protocol)) {
        return "all traffic";
    }
    return r.fromPort === r.toPort ? `${r.protocol} port ${r.fromPort}` : `${r.protocol} ports ${r.fromPort}-${r.toPort}`;
}

/** Every ingress rule of the stack that admits the whole internet. */
function worldIngress(stack: StackView): OpenRule[] {
    const open: OpenRule[] = [];
    for (const sg of stack.ofType(SG_TYPE)) {
        for (const rule of asList(sg.props.ingress) as Record<string, unknown>[]) {
            for (const cidr of [...asList(rule.cidrBlocks as string[]), ...asList(rule.ipv6CidrBlocks as string[])].filter((c) => WORLD.includes(c))) {
                open.push({ resource: sg, group: sg, cidr, protocol: String(rule.protocol), fromPort: rule.fromPort as number, toPort: rule.toPort as number });
            }
        }
    }
    for (const rule of stack.ofType(SG_RULE_TYPE)) {
        if (rule.props.type !== "ingress") {
            continue;
        }
        const group = stack.referencedBy(rule, "securityGroupId", [SG_TYPE])[0];
        for (const cidr of [...asList(rule.props.cidrBlocks as string[]), ...asList(rule.props.ipv6CidrBlocks as string[])].filter((c) => WORLD.includes(c))) {
            open.push({ resource: rule, group, cidr, protocol: String(rule.props.protocol), fromPort: rule.props.fromPort, toPort: rule.props.toPort });
        }
    }
    for (const rule of stack.ofType(VPC_INGRESS_TYPE)) {
        const cidr = [rule.props.cidrIpv4, rule.props.cidrIpv6].find((c) => WORLD.includes(c));
        if (cidr !== undefined) {
            const group = stack.referencedBy(rule, "securityGroupId", [SG_TYPE])[0];
            open.push({ resource: rule, group, cidr, protocol: String(rule.props.ipProtocol), fromPort: rule.props.fromPort, toPort: rule.props.toPort });
        }
    }
    return open;
}

export const securityGroupOpenIngress = stackRule({
    name: "security-group-open-ingress",
    description: "Security groups admit the internet (0.0.0.0/0, ::/0, or any block shorter than /8 or /16) only on HTTP/HTTPS (80/443) of an internet-facing load balancer.",
    why: "Anything else open to the internet (SSH, RDP, databases, application ports) is scanned and attacked within minutes.",
    remediationSteps: "Admit the load balancer's or service's security group instead of a CIDR, or the narrow CIDRs of known clients; reach instances through SSM Session Manager, not SSH/RDP.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            publicPorts: { type: "array", items: { type: "integer" }, default: [80, 443], description: "Ports an internet-facing load balancer may open to the world." },
        },
    },
    types: [SG_TYPE, SG_RULE_TYPE, VPC_INGRESS_TYPE],
    check: (stack, args, report) => {
        const publicPorts = asList(args.getConfig<{ publicPorts?: number[] }>().publicPorts ?? [80, 443]);
        const publicLbGroups = new Set(stack.ofType(...LB_TYPES).filter((lb) => lb.props.internal !== true)
            .flatMap((lb) => stack.referencedBy(lb, "securityGroups", [SG_TYPE])).map((g) => g.urn));
        for (const open of worldIngress(stack)) {
            const tcp = ["tcp", "6"].includes(open.protocol.toLowerCase());
            const webPort = tcp && open.fromPort === open.toPort && publicPorts.includes(Number(open.fromPort));
            if (webPort && open.group && publicLbGroups.has(open.group.urn)) {
                continue;
            }
            const where = open.group ? `security group "${open.group.name}"` : "a security group outside this stack";
            const reason = webPort ? "which is not attached to an internet-facing load balancer" : "";
            report(open.resource.urn, `"${open.resource.name}" admits ${open.cidr} on ${portsText(open)} to ${where}${reason ? ` ${reason}` : ""}`);
        }
    },
});

export const securityGroupUnrestrictedEgress = resourceRule({
    name: "security-group-unrestricted-egress",
    description: "Security groups do not allow egress to the internet (0.0.0.0/0, ::/0, or any block shorter than /8 or /16).",
    why: "Unrestricted egress lets compromised code exfiltrate data or reach command-and-control servers anywhere.",
    remediationSteps: "Restrict egress to the CIDRs, prefix lists or security groups the workload needs (for a LoadBalancedService: the egress argument).",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "advisory",
    severity: "medium",
    types: [SG_TYPE, SG_RULE_TYPE, VPC_EGRESS_TYPE],
    check: ({ type, props }) => {
        const open = (cidrs: unknown[], what: string) => cidrs.filter((c) => WORLD.includes(String(c))).map((c) => `${what} allows egress to ${c}`);
        if (type === SG_TYPE) {
            return (asList(props.egress) as Record<string, unknown>[]).flatMap((e, i) => open([...asList(e.cidrBlocks as string[]), ...asList(e.ipv6CidrBlocks as string[])], `egress[${i}]`));
        }
        if (type === SG_RULE_TYPE) {
            return props.type === "egress" ? open([...asList(props.cidrBlocks), ...asList(props.ipv6CidrBlocks)], "the rule") : [];
        }
        return open([props.cidrIpv4, props.cidrIpv6], `the rule (${portsText({ protocol: String(props.ipProtocol), fromPort: props.fromPort, toPort: props.toPort })})`);
    },
});

export const datastoreNotPublic = resourceRule({
    name: "datastore-not-public",
    description: "RDS instances are not publicly accessible; ElastiCache runs in its own subnet group and security groups.",
    why: "A publicly accessible database is one password away from the internet; a cache in the default subnet group and security group is reachable by everything that uses the defaults.",
    remediationSteps: "Set publiclyAccessible: false and place the database in isolated subnets; give replication groups a subnetGroupName and securityGroupIds that admit only the service.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "critical",
    types: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance", "aws:elasticache/replicationGroup:ReplicationGroup"],
    check: ({ type, props }) => {
        if (type === "aws:elasticache/replicationGroup:ReplicationGroup") {
            return [
                ...(props.subnetGroupName ? [] : ["no subnetGroupName: the cache runs in the default subnet group"]),
                ...(asList(props.securityGroupIds).length > 0 ? [] : ["no securityGroupIds: the cache uses the VPC's default security group"]),
            ];
        }
        return props.publiclyAccessible === true ? ["publiclyAccessible is true"] : [];
    },
});

export const eksPublicEndpoint = resourceRule({
    name: "eks-public-endpoint",
    description: "EKS clusters do not expose their API endpoint to the whole internet (public access off, or publicAccessCidrs without 0.0.0.0/0).",
    why: "The Kubernetes API is the cluster's control plane: open to the world, it is one leaked kubeconfig or API bug away from takeover, and scanned constantly.",
    remediationSteps: "Set vpcConfig.endpointPublicAccess: false and endpointPrivateAccess: true, or list the office/VPN CIDRs in vpcConfig.publicAccessCidrs.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:eks/cluster:Cluster"],
    check: ({ props }) => {
        const vpc = props.vpcConfig ?? {};
        if (vpc.endpointPublicAccess === false) {
            return [];
        }
        const cidrs = asList(vpc.publicAccessCidrs as string[]);
        const world = cidrs.filter(isWorldCidr);
        return cidrs.length === 0 ? ["the public endpoint is on (the default) with no publicAccessCidrs: EKS opens it to 0.0.0.0/0"]
            : world.length > 0 ? [`the public endpoint admits ${world.join(", ")}`] : [];
    },
});

const PAB_TYPE = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3PublicAccessBlock = stackRule({
    name: "s3-public-access-block",
    description: "Every S3 bucket has a public access block with all four settings on.",
    why: "Without it, one ACL or bucket-policy change makes the bucket's objects public.",
    remediationSteps: "Add an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "high",
    types: BUCKET_TYPES,
    check: (stack, _args, report) => {
        for (const bucket of stack.ofType(...BUCKET_TYPES)) {
            const blocks = stack.referencing(bucket, [PAB_TYPE], "bucket", "bucket");
            if (blocks.length === 0) {
                report(bucket.urn, `bucket "${bucket.name}" has no public access block`);
                continue;
            }
            const off = PAB_FLAGS.filter((f) => !blocks.some((b) => b.props[f] === true));
            if (off.length > 0) {
                report(bucket.urn, `bucket "${bucket.name}": public access block leaves ${off.join(", ")} off`);
            }
        }
    },
});

export const LEAST_PRIVILEGE_RULES = [
    iamNoWildcardActions, iamNoWildcardResources, iamNoAdminPolicies, iamNoWildcardTrust, iamPassRoleRestricted,
    securityGroupOpenIngress, securityGroupUnrestrictedEgress, datastoreNotPublic, s3PublicAccessBlock, eksPublicEndpoint,
];
