/**
 * The platform-neutral service spec: the arguments LoadBalancedService (AWS) and KubernetesService
 * share, resolved (defaults applied) and validated once, with one meaning on both platforms.
 * `aws/` and `kubernetes/` render a ServiceSpec; neither reads these arguments again.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../common/cidr";
import { CommonArgs } from "../common/component";
import { ArgumentKind, ArgumentKinds, checkArgumentKinds, isKnownString, Validator } from "../common/validation";

/** Health check settings shared by the AWS and Kubernetes flavours of a service. */
export interface HealthCheckArgs {
    /**
     * HTTP path probed on the container port; must start with `/`.
     * @default "/"
     */
    path?: string;
    /**
     * Seconds between probes (5-300).
     * @default 15
     */
    intervalSeconds?: number;
    /**
     * Seconds a probe may take (2-120, less than the interval).
     * @default 5
     */
    timeoutSeconds?: number;
    /**
     * Consecutive successes before a target counts as healthy (2-10).
     * @default 2
     */
    healthyThreshold?: number;
    /**
     * Consecutive failures before a target counts as unhealthy (2-10).
     * @default 3
     */
    unhealthyThreshold?: number;
    /**
     * HTTP codes that count as healthy, for example `200` or `200-399`.
     * @default "200-399"
     */
    matcher?: string;
}

/** Autoscaling targets shared by both flavours. */
export interface AutoscalingArgs {
    /**
     * Average CPU utilisation (percent) the service is scaled to hold.
     * @default 60
     */
    cpuTargetPercent?: number;
    /**
     * Average memory utilisation (percent) the service is scaled to hold.
     * @default 75
     */
    memoryTargetPercent?: number;
    /**
     * Seconds to wait after a scale-in before the next one (slow, to avoid flapping).
     * @default 300
     */
    scaleInCooldownSeconds?: number;
    /**
     * Seconds to wait after a scale-out before the next one (fast, to meet load).
     * @default 60
     */
    scaleOutCooldownSeconds?: number;
}

/** One egress rule: where the tasks or pods may connect (TCP). */
export interface EgressRuleArgs {
    /** IPv4 CIDR the service may reach. */
    cidr: string;
    /** First port of the range. */
    fromPort: number;
    /** Last port of the range. */
    toPort: number;
    /** Why this rule exists (shown on the rule in AWS). */
    description: string;
}

/**
 * The arguments a service has on any platform. A service moves between AWS (LoadBalancedService)
 * and Kubernetes (KubernetesService) by changing the class: these names and meanings are the same.
 */
export interface ServiceCommonArgs extends CommonArgs {
    /** Container image, for example `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2`. */
    image: pulumi.Input<string>;
    /**
     * The port the container listens on.
     * @default 8080
     */
    containerPort?: number;
    /**
     * Arguments replacing the image's `CMD` (the image's `ENTRYPOINT` is kept): the container
     * definition's `command` on ECS, the container's `args` on Kubernetes.
     * @default the image's CMD
     */
    command?: string[];
    /**
     * How the load balancer decides a task or pod is healthy.
     * @default { path: "/" }
     */
    healthCheck?: HealthCheckArgs;
    /**
     * Seconds a new task or pod may take to start serving before failing health checks count
     * against it (10-3600). On AWS the ECS service's health-check grace period (the load balancer
     * still sends no traffic to a task until it is healthy); on Kubernetes the startup probe's limit
     * (probed every 5 s; liveness and readiness start once it passes).
     * @default 300
     */
    startupTimeoutSeconds?: number;
    /**
     * The user the container runs as (never root): a numeric `UID` or `UID:GID`.
     * @default "1000:1000"
     */
    user?: string;
    /**
     * CPU per task or pod, in units of 1/1024 vCPU (256 = a quarter vCPU).
     * @default 256
     */
    cpu?: number;
    /**
     * Memory per task or pod, in MiB.
     * @default 512
     */
    memory?: number;
    /**
     * Fewest tasks or pods; also the count started with.
     * @default 2
     */
    minCapacity?: number;
    /**
     * Most tasks or pods autoscaling may run.
     * @default 10
     */
    maxCapacity?: number;
    /**
     * Autoscaling targets.
     * @default { cpuTargetPercent: 60, memoryTargetPercent: 75 }
     */
    autoscaling?: AutoscalingArgs;
    /**
     * Plain environment variables for the container (never secrets: see `secrets`).
     * @default {}
     */
    environment?: Record<string, pulumi.Input<string>>;
    /**
     * Secret environment variables: variable name to a reference the platform resolves when the
     * container starts, so the value is never in the plan or the task/pod spec. On AWS
     * (LoadBalancedService) a Secrets Manager secret ARN, optionally with a `:json-key::` suffix;
     * only these secrets are readable by the execution role. On Kubernetes (KubernetesService)
     * `<secret-name>/<key>`: a key of a Secret in the service's namespace (`secretKeyRef`).
     * @default {}
     */
    secrets?: Record<string, pulumi.Input<string>>;
    /**
     * The public host name served over TLS, for example `api.example.com`.
     * @default none
     */
    domainName?: string;
    /**
     * Where the service may connect (on Kubernetes, DNS to the cluster resolver is always allowed).
     * @default [{ cidr: "0.0.0.0/0", fromPort: 0, toPort: 65535, ... }] (all TCP)
     */
    egress?: EgressRuleArgs[];
}

/** The name of the one container of a task or pod (and the ECS log stream prefix). */
export const CONTAINER_NAME = "app";

/** Defaults applied to the shared arguments. */
export const SERVICE_DEFAULTS = {
    containerPort: 8080,
    cpu: 256,
    memory: 512,
    minCapacity: 2,
    maxCapacity: 10,
    user: "1000:1000",
    startupTimeoutSeconds: 300,
    healthCheck: { path: "/", intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200-399" },
    autoscaling: { cpuTargetPercent: 60, memoryTargetPercent: 75, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 },
    egress: [{ cidr: "0.0.0.0/0", fromPort: 0, toPort: 65535, description: "All TCP egress" }],
} as const;

/** The kind every shared argument must have (one rule, `checkArgumentKinds`, for all of them). */
export const SERVICE_ARGUMENT_KINDS: ArgumentKinds = {
    image: ArgumentKind.Input,
    containerPort: ArgumentKind.Number,
    command: ArgumentKind.Strings,
    healthCheck: ArgumentKind.Object,
    "healthCheck.path": ArgumentKind.String,
    "healthCheck.intervalSeconds": ArgumentKind.Number,
    "healthCheck.timeoutSeconds": ArgumentKind.Number,
    "healthCheck.healthyThreshold": ArgumentKind.Number,
    "healthCheck.unhealthyThreshold": ArgumentKind.Number,
    "healthCheck.matcher": ArgumentKind.String,
    startupTimeoutSeconds: ArgumentKind.Number,
    user: ArgumentKind.String,
    cpu: ArgumentKind.Number,
    memory: ArgumentKind.Number,
    minCapacity: ArgumentKind.Number,
    maxCapacity: ArgumentKind.Number,
    autoscaling: ArgumentKind.Object,
    "autoscaling.cpuTargetPercent": ArgumentKind.Number,
    "autoscaling.memoryTargetPercent": ArgumentKind.Number,
    "autoscaling.scaleInCooldownSeconds": ArgumentKind.Number,
    "autoscaling.scaleOutCooldownSeconds": ArgumentKind.Number,
    environment: ArgumentKind.InputMap,
    secrets: ArgumentKind.InputMap,
    domainName: ArgumentKind.String,
    egress: ArgumentKind.Array,
    "egress[]": ArgumentKind.Object,
    "egress[].cidr": ArgumentKind.String,
    "egress[].fromPort": ArgumentKind.Number,
    "egress[].toPort": ArgumentKind.Number,
    "egress[].description": ArgumentKind.String,
    tags: ArgumentKind.StringMap,
};

export type ResolvedHealthCheck = Required<HealthCheckArgs>;
export type ResolvedAutoscaling = Required<AutoscalingArgs>;

/** The shared arguments with defaults applied (the numbers both platforms render). */
export interface ResolvedServiceArgs {
    containerPort: number;
    cpu: number;
    memory: number;
    minCapacity: number;
    maxCapacity: number;
    healthCheck: ResolvedHealthCheck;
    autoscaling: ResolvedAutoscaling;
    egress: EgressRuleArgs[];
}

/** One environment variable as both ECS and Kubernetes write it. */
export interface EnvironmentVariable {
    name: string;
    value: string;
}

/** One secret environment variable: its name and the platform's reference to the value. */
export interface SecretVariable {
    name: string;
    reference: pulumi.Input<string>;
}

/** The user a container runs as, parsed. */
export interface ContainerUser {
    /** As given: `UID` or `UID:GID`. */
    text: string;
    uid: number;
    gid?: number;
}

/** The one container of a task or pod. */
export interface ContainerSpec {
    name: string;
    image: pulumi.Input<string>;
    port: number;
    command?: string[];
    user: ContainerUser;
    /** Plain variables, sorted by name. */
    environment: pulumi.Output<EnvironmentVariable[]>;
    /** Secret variables, sorted by name. */
    secrets: SecretVariable[];
}

/** The resolved, validated service both platforms render. */
export interface ServiceSpec extends ResolvedServiceArgs {
    /** The component's resource name. */
    name: string;
    container: ContainerSpec;
    /** Seconds a new task or pod may take to start (`startupTimeoutSeconds`). */
    startupToleranceSeconds: number;
    domainName?: string;
    tags?: Record<string, string>;
}

/** What a platform adds to the shared rules. */
export interface PlatformRules {
    /** The kinds of the platform's own arguments, checked with the shared ones before any other rule. */
    kinds: ArgumentKinds;
    /** Whether a `secrets` reference known now is one the platform resolves, and what is allowed. */
    secretReference: { test(reference: string): boolean; allowed: string };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** A numeric user the container runs as: never root, neither UID 0 nor the root group. */
const NON_ROOT_USER = /^[1-9][0-9]*(:[1-9][0-9]*)?$/;

/**
 * Checks the kinds of every argument (shared and the platform's), then applies defaults to, and
 * validates, the shared ones. A wrong kind stops here: the other rules assume the kinds.
 */
export function resolveServiceSpec(v: Validator, name: string, args: ServiceCommonArgs, platform: PlatformRules): ServiceSpec {
    if (!checkArgumentKinds(v, args, { ...SERVICE_ARGUMENT_KINDS, ...platform.kinds })) {
        v.throwIfAny();
    }
    const resolved = resolveServiceArgs(v, args);
    const user = args.user ?? SERVICE_DEFAULTS.user;
    const startup = args.startupTimeoutSeconds ?? SERVICE_DEFAULTS.startupTimeoutSeconds;
    checkNonRootUser(v, user);
    v.intRange("startupTimeoutSeconds", startup, 10, 3600);
    (args.command ?? []).forEach((part, i) => v.check(part.length > 0, `command[${i}]`, part, "a non-empty string"));
    v.check(args.command === undefined || args.command.length > 0, "command", args.command, "at least one argument (leave it out to keep the image's CMD)");
    checkSecrets(v, args, platform.secretReference);
    const [uid, gid] = user.split(":").map(Number);
    return {
        ...resolved,
        name,
        container: {
            name: CONTAINER_NAME,
            image: args.image,
            port: resolved.containerPort,
            command: args.command,
            user: { text: user, uid, ...(gid !== undefined ? { gid } : {}) },
            environment: sortedEnvironment(args.environment),
            secrets: sortedByName(Object.entries(args.secrets ?? {})).map(([key, reference]) => ({ name: key, reference })),
        },
        startupToleranceSeconds: startup,
        domainName: args.domainName,
        tags: args.tags,
    };
}

/** Applies defaults to, and validates, the numbers and rules both flavours share. */
export function resolveServiceArgs(v: Validator, args: ServiceCommonArgs): ResolvedServiceArgs {
    const resolved: ResolvedServiceArgs = {
        containerPort: args.containerPort ?? SERVICE_DEFAULTS.containerPort,
        cpu: args.cpu ?? SERVICE_DEFAULTS.cpu,
        memory: args.memory ?? SERVICE_DEFAULTS.memory,
        minCapacity: args.minCapacity ?? SERVICE_DEFAULTS.minCapacity,
        maxCapacity: args.maxCapacity ?? SERVICE_DEFAULTS.maxCapacity,
        healthCheck: { ...SERVICE_DEFAULTS.healthCheck, ...definedOnly(args.healthCheck) },
        autoscaling: { ...SERVICE_DEFAULTS.autoscaling, ...definedOnly(args.autoscaling) },
        egress: args.egress ?? SERVICE_DEFAULTS.egress.map((rule) => ({ ...rule })),
    };
    v.nonEmpty("image", args.image);
    v.port("containerPort", resolved.containerPort);
    checkHealthCheck(v, resolved.healthCheck);
    v.intRange("minCapacity", resolved.minCapacity, 1, 1000);
    v.intRange("maxCapacity", resolved.maxCapacity, 1, 1000);
    v.check(resolved.minCapacity <= resolved.maxCapacity, "minCapacity", resolved.minCapacity, `at most maxCapacity (${resolved.maxCapacity})`);
    const as = resolved.autoscaling;
    v.intRange("autoscaling.cpuTargetPercent", as.cpuTargetPercent, 10, 95);
    v.intRange("autoscaling.memoryTargetPercent", as.memoryTargetPercent, 10, 95);
    v.intRange("autoscaling.scaleInCooldownSeconds", as.scaleInCooldownSeconds, 0, 3600);
    v.intRange("autoscaling.scaleOutCooldownSeconds", as.scaleOutCooldownSeconds, 0, 3600);
    for (const key of Object.keys(args.environment ?? {})) {
        v.check(ENV_NAME.test(key), `environment.${key}`, key, "an environment variable name: letters, digits and _, not starting with a digit");
    }
    resolved.egress.forEach((rule, i) => {
        v.check(parseCidr(rule.cidr) !== undefined, `egress[${i}].cidr`, rule.cidr, "an IPv4 CIDR block");
        v.intRange(`egress[${i}].fromPort`, rule.fromPort, 0, 65535);
        v.intRange(`egress[${i}].toPort`, rule.toPort, rule.fromPort, 65535);
    });
    if (args.domainName !== undefined) {
        v.check(HOST_NAME.test(args.domainName), "domainName", args.domainName, "a lower-case DNS host name such as \"api.example.com\"");
    }
    return resolved;
}

function checkHealthCheck(v: Validator, hc: ResolvedHealthCheck): void {
    v.check(hc.path.startsWith("/"), "healthCheck.path", hc.path, "an HTTP path starting with \"/\"");
    v.intRange("healthCheck.intervalSeconds", hc.intervalSeconds, 5, 300);
    v.intRange("healthCheck.timeoutSeconds", hc.timeoutSeconds, 2, 120);
    v.check(hc.timeoutSeconds < hc.intervalSeconds, "healthCheck.timeoutSeconds", hc.timeoutSeconds, `less than healthCheck.intervalSeconds (${hc.intervalSeconds})`);
    v.intRange("healthCheck.healthyThreshold", hc.healthyThreshold, 2, 10);
    v.intRange("healthCheck.unhealthyThreshold", hc.unhealthyThreshold, 2, 10);
    v.check(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(hc.matcher), "healthCheck.matcher", hc.matcher, "HTTP codes such as \"200\", \"200,204\" or \"200-399\"");
}

/** Secret variables: names as environment names, none also a plain variable, references the platform's. */
function checkSecrets(v: Validator, args: ServiceCommonArgs, rule: PlatformRules["secretReference"]): void {
    for (const [key, reference] of Object.entries(args.secrets ?? {})) {
        v.check(ENV_NAME.test(key), `secrets.${key}`, key, "an environment variable name: letters, digits and _, not starting with a digit");
        v.check(!(key in (args.environment ?? {})), `secrets.${key}`, key, "a name not also given in environment (the container would get one of the two)");
        v.check(!isKnownString(reference) || rule.test(reference), `secrets.${key}`, reference, rule.allowed);
    }
}

/** Validates the `user` a task or pod runs as (both flavours take the same form). */
export function checkNonRootUser(v: Validator, user: string): void {
    v.check(NON_ROOT_USER.test(user), "user", user, "a numeric UID with optional GID, neither 0 (root), such as \"1000\" or \"1000:1000\"");
}

/** Entries sorted by name, so rendered containers are stable across runs. */
export function sortedByName<T>(entries: [string, T][]): [string, T][] {
    return [...entries].sort(([a], [b]) => a.localeCompare(b));
}

function sortedEnvironment(environment: Record<string, pulumi.Input<string>> | undefined): pulumi.Output<EnvironmentVariable[]> {
    return pulumi.output(environment ?? {}).apply((env) => sortedByName(Object.entries(env)).map(([key, value]) => ({ name: key, value })));
}

/** The service's `https://` URL: the domain name when given, else the host the platform assigns. */
export function serviceUrl(spec: ServiceSpec, assignedHost: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`https://${spec.domainName ?? assignedHost}`;
}

/** Drops keys whose value is undefined, so they do not override defaults when spread. */
export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
    return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
