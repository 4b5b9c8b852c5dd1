import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec, alarmTopic, createAlarms } from "../common/alarms";
import { secureBucket } from "../common/bucket";
import { admitSecurityGroup } from "../common/securityGroups";
import { parseCidr } from "../common/cidr";
import { ComponentContext, typeToken } from "../common/component";
import { ECR_LOGIN, policyDocument, serviceTrustPolicy, Statement, writeLogsStatement } from "../common/iam";
import { checkLogRetention, isKnownString, Validator } from "../common/validation";
import { describeFargateMemory, FARGATE_SIZES, isValidFargateSize } from "./fargate";
import { checkNonRootUser, resolveServiceArgs, ServiceCommonArgs } from "./shared";
import { CpuArchitecture } from "../common/enums";

/** TLS policies the HTTPS listener may use: TLS 1.2 or newer only. */
export enum TlsPolicy {
    /** TLS 1.3 and 1.2 with forward-secret ciphers (the recommended default). */
    Tls13And12 = "ELBSecurityPolicy-TLS13-1-2-2021-06",
    /** TLS 1.3 and 1.2, restricted cipher list. */
    Tls13And12Restricted = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    /** TLS 1.3 only. */
    Tls13Only = "ELBSecurityPolicy-TLS13-1-3-2021-06",
    /** TLS 1.3 and 1.2 with extended ciphers, for older TLS 1.2 clients. */
    Tls13And12Extended = "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    /** TLS 1.2 only, forward secrecy, restricted ciphers. */
    Tls12ForwardSecret = "ELBSecurityPolicy-FS-1-2-Res-2020-10",
}

export { CpuArchitecture };

/** Where a LoadBalancedService runs: a Network satisfies this, or pass ids of an existing VPC. */
export interface ServiceNetworkArgs {
    /** The VPC id. */
    vpcId: pulumi.Input<string>;
    /** Subnets for an internet-facing load balancer. */
    publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Subnets for the tasks (and for an internal load balancer). */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The VPC's CIDR: the default clients of an internal load balancer.
     * @default none (an internal load balancer then needs `allowedIngressCidrs`)
     */
    vpcCidrBlock?: pulumi.Input<string>;
}

/** Optional session persistence (the guide's "session persistence strategies"). */
export interface StickinessArgs {
    /** Turn load-balancer cookie stickiness on. */
    enabled: boolean;
    /**
     * How long a client sticks to one task, in seconds (1-604800).
     * @default 86400
     */
    durationSeconds?: number;
}

/** Load balancer access logs. */
export interface AccessLogsArgs {
    /** Turn access logs on. */
    enabled: boolean;
    /**
     * An existing bucket to write to (it must allow ELB log delivery).
     * @default a bucket created for the service: SSE-S3, public access blocked, TLS-only policy
     */
    bucketName?: pulumi.Input<string>;
    /**
     * Days the created bucket keeps logs.
     * @default 90
     */
    retentionDays?: number;
}

/** Alarm thresholds. */
export interface ServiceAlarmArgs {
    /**
     * Target 5xx responses as a percentage of requests that raises an alarm.
     * @default 5
     */
    errorRatePercent?: number;
    /**
     * p99 target response time, in seconds, that raises an alarm.
     * @default 1
     */
    p99LatencySeconds?: number;
}

export interface LoadBalancedServiceArgs extends ServiceCommonArgs {
    /** The VPC and subnets; pass a `Network`. */
    network: ServiceNetworkArgs;
    /**
     * An ACM certificate for the HTTPS listener. Give this or `domainName` with `hostedZoneId`.
     * @default a DNS-validated certificate for `domainName`
     */
    certificateArn?: pulumi.Input<string>;
    /**
     * Route 53 zone for `domainName`: validates the created certificate and holds the alias record.
     * @default none (no certificate is created and no record is written)
     */
    hostedZoneId?: pulumi.Input<string>;
    /**
     * The HTTPS listener's TLS policy.
     * @default TlsPolicy.Tls13And12
     */
    tlsPolicy?: TlsPolicy;
    /**
     * Put the load balancer in the private subnets, reachable only inside the VPC.
     * @default false (internet-facing)
     */
    internal?: boolean;
    /**
     * IPv4 CIDRs allowed to reach the load balancer on 443 (and on 80, which only redirects).
     * @default ["0.0.0.0/0"] for an internet-facing load balancer, the VPC's CIDR for an internal one
     */
    allowedIngressCidrs?: string[];
    /**
     * Refuse deletion of the load balancer until this is turned off.
     * @default true
     */
    deletionProtection?: boolean;
    /**
     * Access logs for the load balancer.
     * @default { enabled: false }
     */
    accessLogs?: AccessLogsArgs;
    /**
     * `Strict-Transport-Security` max-age the HTTPS listener sends, in seconds; 0 sends no header.
     * @default 31536000 (one year)
     */
    hstsMaxAgeSeconds?: number;
    /**
     * Seconds the load balancer drains a task before deregistering it (tuned for fast deploys).
     * @default 30
     */
    deregistrationDelaySeconds?: number;
    /**
     * Session persistence with a load-balancer cookie.
     * @default { enabled: false }
     */
    stickiness?: StickinessArgs;
    /**
     * Container secrets: environment variable name to a Secrets Manager secret ARN (optionally with
     * a `:json-key::` suffix). Only these secrets are readable by the execution role.
     * @default {}
     */
    secrets?: Record<string, pulumi.Input<string>>;
    /**
     * Container secrets from SSM Parameter Store: environment variable name to a parameter ARN.
     * @default {}
     */
    parameters?: Record<string, pulumi.Input<string>>;
    /**
     * KMS keys (ARNs) that encrypt the given secrets or parameters, if customer-managed.
     * @default []
     */
    secretKmsKeyArns?: pulumi.Input<string>[];
    /**
     * More ECR repositories (ARNs) the execution role may pull from, besides the one an ECR `image`
     * URI names (always included): for example the repository a pipeline deploys new images from.
     * @default [] (only the image's own repository; none for other registries)
     */
    imageRepositoryArns?: pulumi.Input<string>[];
    /**
     * The user the container runs as (never root).
     * @default "1000:1000"
     */
    user?: string;
    /**
     * CPU architecture of the tasks.
     * @default CpuArchitecture.X86_64
     */
    cpuArchitecture?: CpuArchitecture;
    /**
     * Days container logs are kept.
     * @default 30
     */
    logRetentionDays?: number;
    /**
     * KMS key ARN encrypting the container log group (its key policy must let logs.<region>.amazonaws.com use it).
     * @default CloudWatch Logs' own encryption
     */
    logKmsKeyArn?: pulumi.Input<string>;
    /**
     * Load balancer requests per task that autoscaling holds; 0 turns this policy off.
     * @default 1000
     */
    requestsPerTarget?: number;
    /**
     * New images are deployed by a pipeline (for example a `CiCdPipeline`), which registers task
     * definition revisions itself: `pulumi up` then keeps the revision the pipeline deployed instead
     * of resetting the service to `image`. `image` is used for the first deployment only.
     * @default false
     */
    externalDeployments?: boolean;
    /**
     * SNS topic alarms notify.
     * @default a topic created for the service
     */
    alarmTopicArn?: pulumi.Input<string>;
    /**
     * Alarm thresholds.
     * @default { errorRatePercent: 5, p99LatencySeconds: 1 }
     */
    alarms?: ServiceAlarmArgs;
}

const COMPONENT = "LoadBalancedService";
const CONTAINER_NAME = "app";
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)/;

/**
 * The guide's load balancing made real on AWS: an Application Load Balancer terminating TLS in the
 * public subnets, an ECS Fargate service in the private subnets that only the load balancer can
 * reach, autoscaling on CPU, memory and request count, and alarms on errors and latency.
 */
export class LoadBalancedService extends pulumi.ComponentResource {
    /** `https://` URL of the service (the domain name, else the load balancer's DNS name). */
    public readonly url: pulumi.Output<string>;
    /** The load balancer's DNS name (the alias record points at it). */
    public readonly loadBalancerDnsName: pulumi.Output<string>;
    /** The load balancer's ARN. */
    public readonly loadBalancerArn: pulumi.Output<string>;
    /** The `app/<name>/<id>` suffix CloudWatch uses as the LoadBalancer dimension. */
    public readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** The `targetgroup/<name>/<id>` suffix CloudWatch uses as the TargetGroup dimension. */
    public readonly targetGroupArnSuffix: pulumi.Output<string>;
    /** The ECS cluster the service runs in. */
    public readonly clusterName: pulumi.Output<string>;
    /** The ECS service name. */
    public readonly serviceName: pulumi.Output<string>;
    /** The task definition family: a pipeline registers its revisions under it. */
    public readonly taskDefinitionFamily: pulumi.Output<string>;
    /** The tasks' security group: admit it on a cache or database to let exactly this service in. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The load balancer's security group. */
    public readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
    /** The role the application runs as; empty by default, attach policies to extend it. */
    public readonly taskRoleArn: pulumi.Output<string>;
    /** Name of the task role, for attaching policies. */
    public readonly taskRoleName: pulumi.Output<string>;
    /** The role ECS uses to pull the image, read the named secrets and write logs. */
    public readonly executionRoleArn: pulumi.Output<string>;
    /** The CloudWatch log group of the containers. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The SNS topic the alarms notify (the given one or the created one). */
    public readonly alarmTopicArn: pulumi.Output<string>;

    constructor(name: string, args: LoadBalancedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const v = new Validator(COMPONENT, name);
        const shared = resolveServiceArgs(v, args);
        const internal = args.internal ?? false;
        const tlsPolicy = args.tlsPolicy ?? TlsPolicy.Tls13And12;
        const user = args.user ?? "1000:1000";
        const logRetentionDays = args.logRetentionDays ?? 30;
        const deregistrationDelay = args.deregistrationDelaySeconds ?? 30;
        const requestsPerTarget = args.requestsPerTarget ?? 1000;
        const hstsMaxAge = args.hstsMaxAgeSeconds ?? 31536000;
        const errorRatePercent = args.alarms?.errorRatePercent ?? 5;
        const p99LatencySeconds = args.alarms?.p99LatencySeconds ?? 1;
        const egress = shared.egress;

        v.check(isValidFargateSize(shared.cpu, shared.memory), shared.cpu in FARGATE_SIZES ? "memory" : "cpu",
            shared.cpu in FARGATE_SIZES ? shared.memory : shared.cpu, `a Fargate size: ${describeFargateMemory(shared.cpu)}`);
        v.check(args.certificateArn !== undefined || (args.domainName !== undefined && args.hostedZoneId !== undefined),
            "certificateArn", args.certificateArn, "an ACM certificate ARN, or domainName together with hostedZoneId to create one");
        v.oneOf("tlsPolicy", tlsPolicy, Object.values(TlsPolicy));
        checkNonRootUser(v, user);
        checkLogRetention(v, "logRetentionDays", logRetentionDays);
        v.intRange("deregistrationDelaySeconds", deregistrationDelay, 0, 3600);
        v.intRange("requestsPerTarget", requestsPerTarget, 0, 1_000_000);
        v.intRange("hstsMaxAgeSeconds", hstsMaxAge, 0, 63072000);
        v.percent("alarms.errorRatePercent", errorRatePercent);
        v.check(p99LatencySeconds > 0 && p99LatencySeconds <= 60, "alarms.p99LatencySeconds", p99LatencySeconds, "seconds above 0 and at most 60");
        if (args.stickiness?.enabled) {
            v.intRange("stickiness.durationSeconds", args.stickiness.durationSeconds, 1, 604800);
        }
        if (args.accessLogs?.enabled && args.accessLogs.bucketName === undefined) {
            v.intRange("accessLogs.retentionDays", args.accessLogs.retentionDays, 1, 3650);
        }
        for (const [i, cidr] of (args.allowedIngressCidrs ?? []).entries()) {
            v.check(parseCidr(cidr) !== undefined, `allowedIngressCidrs[${i}]`, cidr, "an IPv4 CIDR block such as \"203.0.113.0/24\"");
        }
        v.check(!internal || args.allowedIngressCidrs !== undefined || args.network.vpcCidrBlock !== undefined, "allowedIngressCidrs", undefined,
            "the CIDRs allowed to reach an internal load balancer, or network.vpcCidrBlock to admit the whole VPC");
        v.check(args.allowedIngressCidrs === undefined || args.allowedIngressCidrs.length > 0, "allowedIngressCidrs", args.allowedIngressCidrs,
            "at least one CIDR block (a load balancer nobody can reach serves nobody)");
        for (const [key, arn] of Object.entries(args.secrets ?? {})) {
            v.check(!isKnownString(arn) || /^arn:aws[a-z-]*:secretsmanager:/.test(arn), `secrets.${key}`, arn, "a Secrets Manager secret ARN");
        }
        for (const [key, arn] of Object.entries(args.parameters ?? {})) {
            v.check(!isKnownString(arn) || /^arn:aws[a-z-]*:ssm:/.test(arn), `parameters.${key}`, arn, "an SSM parameter ARN");
        }
        v.tags(args.tags);
        v.throwIfAny();

        super(typeToken(COMPONENT), name, {}, opts);
        const kit = new ComponentContext(this, COMPONENT, args);
        const tags = kit.tags;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const caller = aws.getCallerIdentityOutput({}, { parent: this });

        // --- Security groups: the load balancer takes 443/80 from the allowed CIDRs; tasks take
        // only the container port, only from the load balancer.
        const lbSg = new aws.ec2.SecurityGroup(`${name}-lb`, {
            vpcId: args.network.vpcId,
            description: `Load balancer of ${name}: HTTPS in, container port out to the tasks`,
            tags: { ...tags, Name: `${name}-lb` },
        }, kit.childOpts);
        const taskSg = new aws.ec2.SecurityGroup(`${name}-tasks`, {
            vpcId: args.network.vpcId,
            description: `Tasks of ${name}: container port from the load balancer only`,
            tags: { ...tags, Name: `${name}-tasks` },
        }, kit.childOpts);
        const ingressCidrs: pulumi.Input<string>[] = args.allowedIngressCidrs ?? (internal ? [args.network.vpcCidrBlock!] : ["0.0.0.0/0"]);
        ingressCidrs.forEach((cidr, i) => {
            for (const port of [443, 80]) {
                new aws.vpc.SecurityGroupIngressRule(`${name}-lb-${port}-${i}`, {
                    securityGroupId: lbSg.id,
                    cidrIpv4: cidr,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: port === 443 ? "HTTPS from allowed clients" : "HTTP from allowed clients (redirected to HTTPS)",
                    tags,
                }, kit.childOpts);
            }
        });
        new aws.vpc.SecurityGroupEgressRule(`${name}-lb-to-tasks`, {
            securityGroupId: lbSg.id,
            referencedSecurityGroupId: taskSg.id,
            ipProtocol: "tcp",
            fromPort: shared.containerPort,
            toPort: shared.containerPort,
            description: "Container port on the tasks",
            tags,
        }, kit.childOpts);
        admitSecurityGroup(`${name}-tasks-from-lb`, {
            securityGroupId: taskSg.id,
            from: lbSg.id,
            port: shared.containerPort,
            description: "Container port from the load balancer",
        }, tags, kit.childOpts);
        egress.forEach((rule, i) => new aws.vpc.SecurityGroupEgressRule(`${name}-tasks-egress-${i}`, {
            securityGroupId: taskSg.id,
            cidrIpv4: rule.cidr,
            ipProtocol: "tcp",
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            description: rule.description,
            tags,
        }, kit.childOpts));

        // --- Certificate: the caller's, or a DNS-validated one for the domain.
        let certificateArn: pulumi.Input<string>;
        if (args.certificateArn !== undefined) {
            certificateArn = args.certificateArn;
        } else {
            const cert = new aws.acm.Certificate(`${name}-cert`, {
                domainName: args.domainName,
                validationMethod: "DNS",
                keyAlgorithm: "EC_prime256v1",
                tags,
            }, kit.opts({ deleteBeforeReplace: false }));
            const dvo = cert.domainValidationOptions[0];
            const validationRecord = new aws.route53.Record(`${name}-cert-validation`, {
                zoneId: args.hostedZoneId!,
                name: dvo.resourceRecordName,
                type: dvo.resourceRecordType,
                records: [dvo.resourceRecordValue],
                ttl: 60,
                allowOverwrite: true,
            }, kit.childOpts);
            const validation = new aws.acm.CertificateValidation(`${name}-cert`, {
                certificateArn: cert.arn,
                validationRecordFqdns: [validationRecord.fqdn],
            }, kit.childOpts);
            certificateArn = validation.certificateArn;
        }

        // --- Access logs bucket, if asked for and not given.
        let accessLogsBucket: pulumi.Input<string> | undefined;
        if (args.accessLogs?.enabled) {
            if (args.accessLogs.bucketName !== undefined) {
                accessLogsBucket = args.accessLogs.bucketName;
            } else {
                const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: this });
                const bucket = secureBucket(`${name}-access-logs`, {
                    versioning: false,
                    expireAfterDays: args.accessLogs.retentionDays ?? 90,
                    forceDestroy: true,
                    extraStatements: (arn) => [{
                        sid: "ElbLogDelivery",
                        principals: { AWS: elbAccount.arn, Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                        actions: ["s3:PutObject"],
                        // The load balancer writes under its prefix (the service name), then AWSLogs/<account>.
                        resources: [pulumi.interpolate`${arn}/${name}/AWSLogs/${caller.accountId}/*`],
                    }],
                }, tags, kit.childOpts);
                accessLogsBucket = bucket.id;
            }
        }

        // --- Load balancer, target group, listeners.
        const lb = new aws.lb.LoadBalancer(`${name}-alb`, {
            loadBalancerType: "application",
            internal,
            securityGroups: [lbSg.id],
            subnets: internal ? args.network.privateSubnetIds : args.network.publicSubnetIds,
            dropInvalidHeaderFields: true,
            enableDeletionProtection: args.deletionProtection ?? true,
            desyncMitigationMode: "strictest",
            idleTimeout: 60,
            accessLogs: accessLogsBucket !== undefined ? { bucket: accessLogsBucket, enabled: true, prefix: name } : undefined,
            tags,
        }, kit.childOpts);

        const hc = shared.healthCheck;
        const tg = new aws.lb.TargetGroup(`${name}-tg`, {
            vpcId: args.network.vpcId,
            targetType: "ip",
            protocol: "HTTP",
            port: shared.containerPort,
            deregistrationDelay: deregistrationDelay,
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                path: hc.path,
                port: "traffic-port",
                interval: hc.intervalSeconds,
                timeout: hc.timeoutSeconds,
                healthyThreshold: hc.healthyThreshold,
                unhealthyThreshold: hc.unhealthyThreshold,
                matcher: hc.matcher,
            },
            stickiness: args.stickiness?.enabled
                ? { enabled: true, type: "lb_cookie", cookieDuration: args.stickiness.durationSeconds ?? 86400 }
                : { enabled: false, type: "lb_cookie" },
            tags,
        }, kit.childOpts);

        const httpsListener = new aws.lb.Listener(`${name}-https`, {
            loadBalancerArn: lb.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: tlsPolicy,
            certificateArn,
            defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
            routingHttpResponseStrictTransportSecurityHeaderValue: hstsMaxAge > 0 ? `max-age=${hstsMaxAge}` : undefined,
            tags,
        }, kit.childOpts);
        const httpRedirectListener = new aws.lb.Listener(`${name}-http-redirect`, {
            loadBalancerArn: lb.arn,
            port: 80,
            protocol: "HTTP",
            defaultActions: [{
                type: "redirect",
                redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
            }],
            tags,
        }, kit.childOpts);

        if (args.domainName !== undefined && args.hostedZoneId !== undefined) {
            new aws.route53.Record(`${name}-alias`, {
                zoneId: args.hostedZoneId,
                name: args.domainName,
                type: "A",
                aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }],
            }, kit.childOpts);
        }

        // --- Logs and IAM.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: `/scaling-toolkit/${name}/containers`,
            retentionInDays: logRetentionDays,
            kmsKeyId: args.logKmsKeyArn,
            tags,
        }, kit.childOpts);

        const trust = serviceTrustPolicy("ecs-tasks.amazonaws.com", caller.accountId);
        const executionRole = new aws.iam.Role(`${name}-execution`, {
            assumeRolePolicy: trust,
            description: `Lets ECS pull the image, read the named secrets and write logs for ${name}`,
            tags,
        }, kit.childOpts);
        const statements: Statement[] = [writeLogsStatement("WriteContainerLogs", logGroup.arn)];
        const imageRepository = ecrRepositoryArnOf(args.image);
        const repositoryArns = [...(imageRepository ? [imageRepository] : []), ...(args.imageRepositoryArns ?? [])];
        if (repositoryArns.length > 0) {
            statements.push(
                ECR_LOGIN,
                { sid: "PullImage", actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], resources: repositoryArns },
            );
        }
        const secretArns = Object.values(args.secrets ?? {}).map((arn) => pulumi.output(arn).apply(secretArnOf));
        if (secretArns.length > 0) {
            statements.push({ sid: "ReadSecrets", actions: ["secretsmanager:GetSecretValue"], resources: secretArns });
        }
        const parameterArns = Object.values(args.parameters ?? {});
        if (parameterArns.length > 0) {
            statements.push({ sid: "ReadParameters", actions: ["ssm:GetParameters"], resources: parameterArns });
        }
        if ((args.secretKmsKeyArns ?? []).length > 0) {
            statements.push({ sid: "DecryptSecrets", actions: ["kms:Decrypt"], resources: args.secretKmsKeyArns! });
        }
        new aws.iam.RolePolicy(`${name}-execution`, {
            role: executionRole.id,
            policy: policyDocument(statements),
        }, kit.childOpts);

        const taskRole = new aws.iam.Role(`${name}-task`, {
            assumeRolePolicy: trust,
            description: `The application role of ${name}; no permissions until the caller grants them`,
            tags,
        }, kit.childOpts);

        // --- Cluster, task definition, service.
        const cluster = new aws.ecs.Cluster(`${name}-cluster`, {
            settings: [{ name: "containerInsights", value: "enabled" }],
            tags,
        }, kit.childOpts);

        const containerDefinitions = pulumi.all([
            args.image,
            logGroup.name,
            region,
            pulumi.output(args.environment ?? {}),
            pulumi.output(args.secrets ?? {}),
            pulumi.output(args.parameters ?? {}),
        ]).apply(([image, logGroupName, regionName, env, secrets, parameters]) => JSON.stringify([{
            name: CONTAINER_NAME,
            image,
            essential: true,
            user,
            readonlyRootFilesystem: true,
            portMappings: [{ containerPort: shared.containerPort, protocol: "tcp" }],
            environment: Object.entries(env).sort(([a], [b]) => a.localeCompare(b)).map(([k, value]) => ({ name: k, value })),
            secrets: [...Object.entries(secrets), ...Object.entries(parameters)]
                .sort(([a], [b]) => a.localeCompare(b)).map(([k, valueFrom]) => ({ name: k, valueFrom })),
            mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
            stopTimeout: 30,
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": logGroupName, "awslogs-region": regionName, "awslogs-stream-prefix": CONTAINER_NAME },
            },
        }]));

        const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
            family: name,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: String(shared.cpu),
            memory: String(shared.memory),
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.cpuArchitecture ?? CpuArchitecture.X86_64 },
            volumes: [{ name: "tmp" }],
            containerDefinitions,
            tags,
        }, kit.childOpts);

        const service = new aws.ecs.Service(`${name}-service`, {
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            launchType: "FARGATE",
            platformVersion: "LATEST",
            desiredCount: shared.minCapacity,
            networkConfiguration: {
                subnets: args.network.privateSubnetIds,
                securityGroups: [taskSg.id],
                assignPublicIp: false,
            },
            loadBalancers: [{ targetGroupArn: tg.arn, containerName: CONTAINER_NAME, containerPort: shared.containerPort }],
            healthCheckGracePeriodSeconds: 60,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            enableExecuteCommand: false,
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            tags,
        }, kit.opts({
            // Autoscaling owns the running count: a deploy must not reset it to the minimum. A pipeline
            // that deploys images owns the task definition revision.
            ignoreChanges: args.externalDeployments ? ["desiredCount", "taskDefinition"] : ["desiredCount"],
            // ECS refuses a service whose target group no listener forwards to yet ("does not have an
            // associated load balancer"); the HTTPS listener waits on certificate validation.
            dependsOn: [tg, httpsListener, httpRedirectListener],
        }));

        // --- Autoscaling: target tracking on CPU, memory and requests per target.
        const scalingTarget = new aws.appautoscaling.Target(`${name}-scaling`, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
            minCapacity: shared.minCapacity,
            maxCapacity: shared.maxCapacity,
            tags,
        }, kit.childOpts);
        const as = shared.autoscaling;
        const track = (id: string, targetValue: number, metric: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecification) =>
            new aws.appautoscaling.Policy(`${name}-${id}`, {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scalingTarget.serviceNamespace,
                scalableDimension: scalingTarget.scalableDimension,
                resourceId: scalingTarget.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    targetValue,
                    predefinedMetricSpecification: metric,
                    scaleInCooldown: as.scaleInCooldownSeconds,
                    scaleOutCooldown: as.scaleOutCooldownSeconds,
                },
            }, kit.childOpts);
        track("cpu-scaling", as.cpuTargetPercent, { predefinedMetricType: "ECSServiceAverageCPUUtilization" });
        track("memory-scaling", as.memoryTargetPercent, { predefinedMetricType: "ECSServiceAverageMemoryUtilization" });
        if (requestsPerTarget > 0) {
            track("requests-scaling", requestsPerTarget, {
                predefinedMetricType: "ALBRequestCountPerTarget",
                resourceLabel: pulumi.interpolate`${lb.arnSuffix}/${tg.arnSuffix}`,
            });
        }

        // --- Alarms (the guide's response time, error rate, throughput).
        const topicArn = alarmTopic(name, args.alarmTopicArn, tags, kit.childOpts);
        const dims = { LoadBalancer: lb.arnSuffix, TargetGroup: tg.arnSuffix };
        const lbMetric = (id: string, metricName: string) => ({
            id,
            metric: { namespace: "AWS/ApplicationELB", metricName, period: 60, stat: "Sum", dimensions: dims },
        });
        const specs: AlarmSpec[] = [
            {
                id: "target-5xx-rate",
                description: `${name}: more than ${errorRatePercent}% of requests answered 5xx by the tasks`,
                comparisonOperator: "GreaterThanThreshold",
                threshold: errorRatePercent,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
                metricQueries: [
                    lbMetric("errors", "HTTPCode_Target_5XX_Count"),
                    lbMetric("requests", "RequestCount"),
                    { id: "rate", expression: "100 * FILL(errors, 0) / IF(requests > 0, requests, 1)", label: "5xx rate (%)", returnData: true },
                ],
            },
            {
                id: "p99-latency",
                description: `${name}: p99 response time above ${p99LatencySeconds}s`,
                namespace: "AWS/ApplicationELB",
                metricName: "TargetResponseTime",
                extendedStatistic: "p99",
                dimensions: dims,
                comparisonOperator: "GreaterThanThreshold",
                threshold: p99LatencySeconds,
                evaluationPeriods: 5,
                datapointsToAlarm: 3,
            },
            {
                id: "unhealthy-hosts",
                description: `${name}: a task is failing its health check`,
                namespace: "AWS/ApplicationELB",
                metricName: "UnHealthyHostCount",
                statistic: "Maximum",
                dimensions: dims,
                comparisonOperator: "GreaterThanThreshold",
                threshold: 0,
                evaluationPeriods: 3,
            },
        ];
        createAlarms(name, topicArn, specs, tags, kit.childOpts);

        this.loadBalancerDnsName = lb.dnsName;
        this.loadBalancerArn = lb.arn;
        this.loadBalancerArnSuffix = lb.arnSuffix;
        this.targetGroupArnSuffix = tg.arnSuffix;
        this.url = args.domainName !== undefined ? pulumi.output(`https://${args.domainName}`) : pulumi.interpolate`https://${lb.dnsName}`;
        this.clusterName = cluster.name;
        this.serviceName = service.name;
        this.taskDefinitionFamily = taskDefinition.family;
        this.securityGroupId = taskSg.id;
        this.loadBalancerSecurityGroupId = lbSg.id;
        this.taskRoleArn = taskRole.arn;
        this.taskRoleName = taskRole.name;
        this.executionRoleArn = executionRole.arn;
        this.logGroupName = logGroup.name;
        this.alarmTopicArn = topicArn;
        this.registerOutputs({
            url: this.url,
            loadBalancerDnsName: this.loadBalancerDnsName,
            loadBalancerArn: this.loadBalancerArn,
            clusterName: this.clusterName,
            serviceName: this.serviceName,
            securityGroupId: this.securityGroupId,
            taskRoleArn: this.taskRoleArn,
            executionRoleArn: this.executionRoleArn,
            alarmTopicArn: this.alarmTopicArn,
        });
    }
}

/** The ECR repository ARN of an image URI known now, or undefined for other registries. */
export function ecrRepositoryArnOf(image: pulumi.Input<string>): string | undefined {
    if (!isKnownString(image)) {
        return undefined;
    }
    const m = ECR_IMAGE.exec(image);
    if (!m) {
        return undefined;
    }
    const partition = m[3] ? "aws-cn" : "aws";
    return `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${m[4]}`;
}

/** A Secrets Manager reference without its `:json-key:version-stage:version-id` suffix. */
export function secretArnOf(reference: string): string {
    const parts = reference.split(":");
    return parts.length > 7 ? parts.slice(0, 7).join(":") : reference;
}
