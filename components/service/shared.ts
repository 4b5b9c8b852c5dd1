import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../common/cidr";
import { CommonArgs } from "../common/component";
import { Validator } from "../common/validation";

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
     * How the load balancer decides a task or pod is healthy.
     * @default { path: "/" }
     */
    healthCheck?: HealthCheckArgs;
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

/** Defaults applied to the shared arguments. */
export const SERVICE_DEFAULTS = {
    containerPort: 8080,
    cpu: 256,
    memory: 512,
    minCapacity: 2,
    maxCapacity: 10,
    healthCheck: { path: "/", intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200-399" },
    autoscaling: { cpuTargetPercent: 60, memoryTargetPercent: 75, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 },
} as const;

export type ResolvedHealthCheck = Required<HealthCheckArgs>;
export type ResolvedAutoscaling = Required<AutoscalingArgs>;

/** The shared arguments with defaults applied. */
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

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_NAME = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Applies defaults to, and validates, the arguments both flavours share. */
export function resolveServiceArgs(v: Validator, args: ServiceCommonArgs): ResolvedServiceArgs {
    const resolved: ResolvedServiceArgs = {
        containerPort: args.containerPort ?? SERVICE_DEFAULTS.containerPort,
        cpu: args.cpu ?? SERVICE_DEFAULTS.cpu,
        memory: args.memory ?? SERVICE_DEFAULTS.memory,
        minCapacity: args.minCapacity ?? SERVICE_DEFAULTS.minCapacity,
        maxCapacity: args.maxCapacity ?? SERVICE_DEFAULTS.maxCapacity,
        healthCheck: { ...SERVICE_DEFAULTS.healthCheck, ...definedOnly(args.healthCheck) },
        autoscaling: { ...SERVICE_DEFAULTS.autoscaling, ...definedOnly(args.autoscaling) },
        egress: args.egress ?? [{ cidr: "0.0.0.0/0", fromPort: 0, toPort: 65535, description: "All TCP egress" }],
    };
    const hc = resolved.healthCheck;
    const as = resolved.autoscaling;
    v.nonEmpty("image", args.image);
    v.port("containerPort", resolved.containerPort);
    v.check(hc.path.startsWith("/"), "healthCheck.path", hc.path, "an HTTP path starting with \"/\"");
    v.intRange("healthCheck.intervalSeconds", hc.intervalSeconds, 5, 300);
    v.intRange("healthCheck.timeoutSeconds", hc.timeoutSeconds, 2, 120);
    v.check(hc.timeoutSeconds < hc.intervalSeconds, "healthCheck.timeoutSeconds", hc.timeoutSeconds, `less than healthCheck.intervalSeconds (${hc.intervalSeconds})`);
    v.intRange("healthCheck.healthyThreshold", hc.healthyThreshold, 2, 10);
    v.intRange("healthCheck.unhealthyThreshold", hc.unhealthyThreshold, 2, 10);
    v.check(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/.test(hc.matcher), "healthCheck.matcher", hc.matcher, "HTTP codes such as \"200\", \"200,204\" or \"200-399\"");
    v.intRange("minCapacity", resolved.minCapacity, 1, 1000);
    v.intRange("maxCapacity", resolved.maxCapacity, 1, 1000);
    v.check(resolved.minCapacity <= resolved.maxCapacity, "minCapacity", resolved.minCapacity, `at most maxCapacity (${resolved.maxCapacity})`);
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

/** A numeric user the container runs as: never root, neither UID 0 nor the root group. */
const NON_ROOT_USER = /^[1-9][0-9]*(:[1-9][0-9]*)?$/;

/** Validates the `user` a task or pod runs as (both flavours take the same form). */
export function checkNonRootUser(v: Validator, user: string): void {
    v.check(NON_ROOT_USER.test(user), "user", user, "a numeric UID with optional GID, neither 0 (root), such as \"1000\" or \"1000:1000\"");
}

/** Drops keys whose value is undefined, so they do not override defaults when spread. */
export function definedOnly<T extends object>(value: T | undefined): Partial<T> {
    return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

