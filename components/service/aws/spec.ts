/** LoadBalancedService's arguments resolved into the spec its concerns render, validated first. */
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../common/cidr";
import { childName } from "../../common/naming";
import { CpuArchitecture } from "../../common/enums";
import { ArgumentKind, ArgumentKinds, checkLogRetention, isKnownString, Validator } from "../../common/validation";
import { describeFargateMemory, FARGATE_SIZES, isValidFargateSize } from "./fargate";
import { resolveServiceSpec, SecretVariable, ServiceSpec, sortedByName } from "../spec";
import { EdgeOriginAccess, edgeSpec } from "../../edge/spec";
import { sloObjectives } from "../../slo/objectives";
import { checkDeployment, DeploymentSpec, resolveDeployment } from "./deploymentSpec";
import { AccessLogsArgs, LoadBalancedServiceArgs, ServiceCdnArgs, ServiceNetworkArgs, ServiceSloArgs, TlsPolicy } from "./args";

export const COMPONENT = "LoadBalancedService";

/** The kinds of LoadBalancedService's own arguments (the shared ones are the spec's). */
const AWS_ARGUMENT_KINDS: ArgumentKinds = {
    network: ArgumentKind.Object,
    "network.vpcId": ArgumentKind.Input,
    "network.publicSubnetIds": ArgumentKind.Inputs,
    "network.privateSubnetIds": ArgumentKind.Inputs,
    "network.vpcCidrBlock": ArgumentKind.Input,
    certificateArn: ArgumentKind.Input,
    hostedZoneId: ArgumentKind.Input,
    tlsPolicy: ArgumentKind.String,
    internal: ArgumentKind.Boolean,
    allowedIngressCidrs: ArgumentKind.Strings,
    deletionProtection: ArgumentKind.Boolean,
    accessLogs: ArgumentKind.Object,
    "accessLogs.enabled": ArgumentKind.Boolean,
    "accessLogs.bucketName": ArgumentKind.Input,
    "accessLogs.retentionDays": ArgumentKind.Number,
    hstsMaxAgeSeconds: ArgumentKind.Number,
    deregistrationDelaySeconds: ArgumentKind.Number,
    stickiness: ArgumentKind.Object,
    "stickiness.enabled": ArgumentKind.Boolean,
    "stickiness.durationSeconds": ArgumentKind.Number,
    parameters: ArgumentKind.InputMap,
    secretKmsKeyArns: ArgumentKind.Inputs,
    imageRepositoryArns: ArgumentKind.Inputs,
    cpuArchitecture: ArgumentKind.String,
    logRetentionDays: ArgumentKind.Number,
    logKmsKeyArn: ArgumentKind.Input,
    requestsPerTarget: ArgumentKind.Number,
    externalDeployments: ArgumentKind.Boolean,
    alarmTopicArn: ArgumentKind.Input,
    alarms: ArgumentKind.Object,
    "alarms.errorRatePercent": ArgumentKind.Number,
    "alarms.p99LatencySeconds": ArgumentKind.Number,
    slo: ArgumentKind.Object,
    "slo.availability": ArgumentKind.Object,
    "slo.latency": ArgumentKind.Object,
    "slo.dashboard": ArgumentKind.Boolean,
    cdn: ArgumentKind.Object,
    deployment: ArgumentKind.Object,
    "deployment.strategy": ArgumentKind.String,
    "deployment.bakeTimeMinutes": ArgumentKind.Number,
    "deployment.canaryPercent": ArgumentKind.Number,
    "deployment.canaryBakeTimeMinutes": ArgumentKind.Number,
    "deployment.stepPercent": ArgumentKind.Number,
    "deployment.stepBakeTimeMinutes": ArgumentKind.Number,
    "deployment.testTrafficHeader": ArgumentKind.String,
    "deployment.lifecycleHooks": ArgumentKind.Array,
    "deployment.lifecycleHooks[]": ArgumentKind.Object,
    "deployment.lifecycleHooks[].functionArn": ArgumentKind.Input,
    "deployment.lifecycleHooks[].stages": ArgumentKind.Strings,
    "deployment.lifecycleHooks[].details": ArgumentKind.StringMap,
    "deployment.rollbackOnAlarms": ArgumentKind.Boolean,
};

/** What LoadBalancedService renders: the shared spec plus its AWS settings, defaults applied. */
export interface AwsServiceSpec extends ServiceSpec {
    network: ServiceNetworkArgs;
    internal: boolean;
    /** CIDRs admitted to the load balancer on `ingressPorts`. */
    ingressCidrs: pulumi.Input<string>[];
    /** The listener ports clients reach: 443 and 80, or 443 alone behind a CDN. */
    ingressPorts: number[];
    tlsPolicy: TlsPolicy;
    certificateArn?: pulumi.Input<string>;
    hostedZoneId?: pulumi.Input<string>;
    deletionProtection: boolean;
    accessLogs?: Required<Pick<AccessLogsArgs, "retentionDays">> & Pick<AccessLogsArgs, "bucketName">;
    hstsMaxAgeSeconds: number;
    deregistrationDelaySeconds: number;
    /** Cookie duration in seconds when stickiness is on. */
    stickinessSeconds?: number;
    /** Secrets Manager secrets and SSM parameters, sorted by name: the container's `secrets`. */
    containerSecrets: SecretVariable[];
    parameterArns: pulumi.Input<string>[];
    secretKmsKeyArns: pulumi.Input<string>[];
    imageRepositoryArns: pulumi.Input<string>[];
    cpuArchitecture: CpuArchitecture;
    logRetentionDays: number;
    logKmsKeyArn?: pulumi.Input<string>;
    requestsPerTarget: number;
    externalDeployments: boolean;
    alarmTopicArn?: pulumi.Input<string>;
    errorRatePercent: number;
    p99LatencySeconds: number;
    /** The SLOs, when given (validated here with the SLO module's rules). */
    slo?: ServiceSloArgs;
    /** The CDN, when given, and how it reaches the load balancer. */
    cdn?: { args: ServiceCdnArgs; originAccess: EdgeOriginAccess };
    /** How new revisions deploy (components/service/aws/deploymentSpec.ts). */
    deployment: DeploymentSpec;
}

const SECRETS_MANAGER_ARN = { test: (ref: string) => /^arn:aws[a-z-]*:secretsmanager:/.test(ref), allowed: "a Secrets Manager secret ARN" };

/** Resolves and validates every argument; throws one ValidationError listing every problem. */
export function resolveAwsSpec(name: string, args: LoadBalancedServiceArgs): AwsServiceSpec {
    const v = new Validator(COMPONENT, name);
    const shared = resolveServiceSpec(v, name, args, { kinds: AWS_ARGUMENT_KINDS, secretReference: SECRETS_MANAGER_ARN });
    const originAccess = args.cdn === undefined ? undefined : args.cdn.originAccess ?? EdgeOriginAccess.VpcOrigin;
    const internal = args.internal ?? originAccess === EdgeOriginAccess.VpcOrigin;
    const spec: AwsServiceSpec = {
        ...shared,
        network: args.network,
        internal,
        ingressCidrs: originAccess === EdgeOriginAccess.PublicHttps ? []
            : args.allowedIngressCidrs ?? (internal ? [args.network?.vpcCidrBlock ?? ""] : ["0.0.0.0/0"]),
        ingressPorts: originAccess === undefined ? [443, 80] : [443],
        tlsPolicy: args.tlsPolicy ?? TlsPolicy.Tls13And12,
        certificateArn: args.certificateArn,
        hostedZoneId: args.hostedZoneId,
        deletionProtection: args.deletionProtection ?? true,
        accessLogs: args.accessLogs?.enabled ? { bucketName: args.accessLogs.bucketName, retentionDays: args.accessLogs.retentionDays ?? 90 } : undefined,
        hstsMaxAgeSeconds: args.hstsMaxAgeSeconds ?? 31536000,
        deregistrationDelaySeconds: args.deregistrationDelaySeconds ?? 30,
        stickinessSeconds: args.stickiness?.enabled ? args.stickiness.durationSeconds ?? 86400 : undefined,
        containerSecrets: sortedByName([...Object.entries(args.secrets ?? {}), ...Object.entries(args.parameters ?? {})])
            .map(([key, reference]) => ({ name: key, reference })),
        parameterArns: Object.values(args.parameters ?? {}),
        secretKmsKeyArns: args.secretKmsKeyArns ?? [],
        imageRepositoryArns: args.imageRepositoryArns ?? [],
        cpuArchitecture: args.cpuArchitecture ?? CpuArchitecture.X86_64,
        logRetentionDays: args.logRetentionDays ?? 30,
        logKmsKeyArn: args.logKmsKeyArn,
        requestsPerTarget: args.requestsPerTarget ?? 1000,
        externalDeployments: args.externalDeployments ?? false,
        alarmTopicArn: args.alarmTopicArn,
        errorRatePercent: args.alarms?.errorRatePercent ?? 5,
        p99LatencySeconds: args.alarms?.p99LatencySeconds ?? 1,
        slo: args.slo,
        cdn: originAccess === undefined ? undefined : { args: args.cdn!, originAccess },
        deployment: resolveDeployment(args.deployment),
    };
    checkTask(v, spec, args);
    checkLoadBalancer(v, spec, args);
    if (args.slo !== undefined) {
        v.nested("slo", () => sloObjectives(COMPONENT, name, args.slo!));
    }
    checkCdn(v, name, spec, args);
    checkDeployment(v, args, spec.deployment);
    v.tags(args.tags);
    v.throwIfAny();
    return spec;
}

/** Fargate size, secrets and parameters, logs, scaling and alarms. */
function checkTask(v: Validator, spec: AwsServiceSpec, args: LoadBalancedServiceArgs): void {
    const knownCpu = spec.cpu in FARGATE_SIZES;
    v.check(isValidFargateSize(spec.cpu, spec.memory), knownCpu ? "memory" : "cpu", knownCpu ? spec.memory : spec.cpu,
        `a Fargate size: ${describeFargateMemory(spec.cpu)}`);
    for (const [key, arn] of Object.entries(args.parameters ?? {})) {
        v.check(!isKnownString(arn) || /^arn:aws[a-z-]*:ssm:/.test(arn), `parameters.${key}`, arn, "an SSM parameter ARN");
        v.check(!(key in (args.secrets ?? {})) && !(key in (args.environment ?? {})), `parameters.${key}`, key,
            "a name not also given in secrets or environment (the container would get one of them)");
    }
    v.oneOf("cpuArchitecture", spec.cpuArchitecture, Object.values(CpuArchitecture));
    checkLogRetention(v, "logRetentionDays", spec.logRetentionDays);
    v.intRange("requestsPerTarget", spec.requestsPerTarget, 0, 1_000_000);
    v.percent("alarms.errorRatePercent", spec.errorRatePercent);
    v.check(spec.p99LatencySeconds > 0 && spec.p99LatencySeconds <= 60, "alarms.p99LatencySeconds", spec.p99LatencySeconds, "seconds above 0 and at most 60");
}

/** Certificate, TLS, clients, listeners' settings, target group and access logs. */
function checkLoadBalancer(v: Validator, spec: AwsServiceSpec, args: LoadBalancedServiceArgs): void {
    v.check(args.certificateArn !== undefined || (args.domainName !== undefined && args.hostedZoneId !== undefined),
        "certificateArn", args.certificateArn, "an ACM certificate ARN, or domainName together with hostedZoneId to create one");
    v.oneOf("tlsPolicy", spec.tlsPolicy, Object.values(TlsPolicy));
    v.intRange("deregistrationDelaySeconds", spec.deregistrationDelaySeconds, 0, 3600);
    v.intRange("hstsMaxAgeSeconds", spec.hstsMaxAgeSeconds, 0, 63072000);
    if (args.stickiness?.enabled) {
        v.intRange("stickiness.durationSeconds", args.stickiness.durationSeconds, 1, 604800);
    }
    if (args.accessLogs?.enabled && args.accessLogs.bucketName === undefined) {
        v.intRange("accessLogs.retentionDays", args.accessLogs.retentionDays, 1, 3650);
    }
    for (const [i, cidr] of (args.allowedIngressCidrs ?? []).entries()) {
        v.check(parseCidr(cidr) !== undefined, `allowedIngressCidrs[${i}]`, cidr, "an IPv4 CIDR block such as \"203.0.113.0/24\"");
    }
    v.check(args.network !== undefined, "network", undefined, "a Network, or { vpcId, publicSubnetIds, privateSubnetIds, vpcCidrBlock? }");
    v.check(!spec.internal || args.allowedIngressCidrs !== undefined || args.network?.vpcCidrBlock !== undefined, "allowedIngressCidrs", undefined,
        "the CIDRs allowed to reach an internal load balancer, or network.vpcCidrBlock to admit the whole VPC");
    v.check(args.allowedIngressCidrs === undefined || args.allowedIngressCidrs.length > 0, "allowedIngressCidrs", args.allowedIngressCidrs,
        "at least one CIDR block (a load balancer nobody can reach serves nobody)");
}

/** The CDN: the edge's own checks (under cdn.*) and what the service must give it. */
function checkCdn(v: Validator, name: string, spec: AwsServiceSpec, args: LoadBalancedServiceArgs): void {
    if (spec.cdn === undefined) {
        return;
    }
    v.check(args.domainName !== undefined && args.hostedZoneId !== undefined, args.domainName === undefined ? "domainName" : "hostedZoneId", undefined,
        "domainName together with hostedZoneId when cdn is given (the distribution serves domainName and writes its alias records in the zone)");
    v.check(spec.cdn.originAccess !== EdgeOriginAccess.VpcOrigin || spec.internal, "internal", args.internal,
        "true or unset with cdn.originAccess VpcOrigin (CloudFront reaches an internal load balancer through the VPC origin)");
    v.check(spec.cdn.originAccess !== EdgeOriginAccess.PublicHttps || (!spec.internal && args.allowedIngressCidrs === undefined), "allowedIngressCidrs", args.allowedIngressCidrs,
        "unset, with an internet-facing load balancer, with cdn.originAccess PublicHttps (the load balancer admits only CloudFront's origin-facing prefix list)");
    if (args.domainName !== undefined && args.hostedZoneId !== undefined) {
        const deferred = pulumi.output("known at deployment");
        v.nested("cdn", () => edgeSpec(childName(name, "cdn"), { ...spec.cdn!.args, loadBalancerArn: deferred, loadBalancerDnsName: deferred, domainName: args.domainName!, hostedZoneId: args.hostedZoneId!, tags: args.tags }));
    }
}
