/**
 * The stack's typed configuration: read from `Pulumi.<stack>.yaml`, validated as a whole before any
 * resource is declared. Unknown keys are errors (a misspelled key must not silently fall back to a
 * default), and every message names the config key and what is allowed.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CacheEngine, ClusterMode } from "../components/cache";
import { NatGatewayStrategy } from "../components/network/network";
import { IngressController } from "../components/service/kubernetesService";
import { ConfigIssue, validateCostSettings, validateUsage } from "../preview/cost/usage";
import { OFFLINE_SECRET_CONFIG } from "../components/common/validation";
import { CpuArchitecture } from "../components/common/enums";
import { DeploymentLifecycleStage, DeploymentStrategy } from "../components/service/aws/args";
import { EdgeOriginAccess, EdgePriceClass } from "../components/edge/spec";

/**
 * An ARN that may be kept encrypted (`pulumi config set --secret`): offline, an encrypted value is
 * unknown, so it passes as the components' checks pass a cloud-computed value.
 */
const arnOrSecret = (pattern: RegExp, allowed: string) =>
    z.string().regex(new RegExp(`${pattern.source}|^${OFFLINE_SECRET_CONFIG.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), allowed);

export const NAMESPACE = "scaling-toolkit";

/**
 * A configuration error: one line naming the key, what was given and what is allowed. A
 * `pulumi.RunError`, so the Pulumi CLI reports it without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

/** Where a service runs. */
export enum Platform {
    Aws = "aws",
    Kubernetes = "kubernetes",
}

const name = z.string().regex(/^[a-z][a-z0-9-]{0,22}[a-z0-9]$/, "a lower-case name of 2-24 letters, digits and dashes");
const retention = z.number().int().positive();

const serviceSchema = z.object({
    /** The service's name: resource names and the URL host derive from it. */
    name,
    image: z.string().min(1, "a container image"),
    containerPort: z.number().int().min(1).max(65535).optional(),
    healthCheck: z.object({
        path: z.string().optional(),
        intervalSeconds: z.number().int().optional(),
        timeoutSeconds: z.number().int().optional(),
        healthyThreshold: z.number().int().optional(),
        unhealthyThreshold: z.number().int().optional(),
        matcher: z.string().optional(),
    }).strict().optional(),
    cpu: z.number().int().optional(),
    memory: z.number().int().optional(),
    minCapacity: z.number().int().optional(),
    maxCapacity: z.number().int().optional(),
    autoscaling: z.object({
        cpuTargetPercent: z.number().int().optional(),
        memoryTargetPercent: z.number().int().optional(),
        scaleInCooldownSeconds: z.number().int().optional(),
        scaleOutCooldownSeconds: z.number().int().optional(),
    }).strict().optional(),
    requestsPerTarget: z.number().int().optional(),
    environment: z.record(z.string()).optional(),
    secrets: z.record(z.string()).optional(),
    cpuArchitecture: z.nativeEnum(CpuArchitecture).optional(),
    allowedIngressCidrs: z.array(z.string()).optional(),
    stickinessSeconds: z.number().int().optional(),
    /** CloudFront in front of the service's load balancer (AWS services only): LoadBalancedService's `cdn`. */
    cdn: z.object({
        originAccess: z.nativeEnum(EdgeOriginAccess).optional(),
        priceClass: z.nativeEnum(EdgePriceClass).optional(),
        waf: z.object({
            enabled: z.boolean().optional(),
            rateLimit: z.number().int().optional(),
            rateWindowSeconds: z.number().int().optional(),
            countOnly: z.boolean().optional(),
        }).strict().optional(),
        accessLogRetentionDays: retention.optional(),
    }).strict().optional(),
    /** Service level objectives with burn-rate alarms (AWS services only): LoadBalancedService's `slo`. */
    slo: z.object({
        availability: z.object({ enabled: z.boolean().optional(), objectivePercent: z.number().optional() }).strict().optional(),
        latency: z.object({ enabled: z.boolean().optional(), objectivePercent: z.number().optional(), thresholdMs: z.number().int().optional() }).strict().optional(),
        dashboard: z.boolean().optional(),
    }).strict().optional(),
    /** How new revisions deploy (AWS services only): LoadBalancedService's `deployment`. */
    deployment: z.object({
        strategy: z.nativeEnum(DeploymentStrategy).optional(),
        bakeTimeMinutes: z.number().int().optional(),
        canaryPercent: z.number().optional(),
        canaryBakeTimeMinutes: z.number().int().optional(),
        stepPercent: z.number().optional(),
        stepBakeTimeMinutes: z.number().int().optional(),
        testTrafficHeader: z.string().optional(),
        lifecycleHooks: z.array(z.object({
            functionArn: z.string(),
            stages: z.array(z.nativeEnum(DeploymentLifecycleStage)),
            details: z.record(z.string()).optional(),
        }).strict()).optional(),
        rollbackOnAlarms: z.boolean().optional(),
    }).strict().optional(),
    /** Rolling parameters (Kubernetes services only): KubernetesService's `rollout`. */
    rollout: z.object({ maxSurge: z.string().optional(), maxUnavailable: z.string().optional() }).strict().optional(),
    /** A weighted ingress-nginx canary (Kubernetes services only): KubernetesService's `canary`; promote by setting `image` to it and removing it. */
    canary: z.object({ image: z.string(), weight: z.number().optional(), replicas: z.number().optional() }).strict().optional(),
    /** Where the service runs; the shared arguments above mean the same on both. */
    platform: z.nativeEnum(Platform).default(Platform.Aws),
    /** Build, test and deploy this service from a repository (AWS services only). */
    pipeline: z.object({
        /** `owner/name` of the repository. */
        repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "a repository as \"owner/name\""),
        branch: z.string().optional(),
        /** The image's migration command (exec form), run as a one-off task before each deploy (CiCdPipeline `migration`); needs a database. */
        migrationCommand: z.array(z.string()).optional(),
    }).strict().optional(),
}).strict();

const cacheSchema = z.object({
    engine: z.nativeEnum(CacheEngine).optional(),
    nodeType: z.string(),
    clusterMode: z.nativeEnum(ClusterMode).optional(),
    shards: z.number().int().optional(),
    replicasPerShard: z.number().int(),
    snapshotRetentionDays: z.number().int(),
    finalSnapshot: z.boolean(),
    applyImmediately: z.boolean().optional(),
}).strict();

const databaseSchema = z.object({
    instanceClass: z.string(),
    multiAz: z.boolean(),
    allocatedStorageGb: z.number().int(),
    maxAllocatedStorageGb: z.number().int(),
    backupRetentionDays: z.number().int(),
    skipFinalSnapshot: z.boolean().default(false),
    readReplicas: z.number().int().default(0),
    /** An RDS Proxy in front (connection pooling); services then connect through it. */
    proxy: z.boolean().default(false),
    monitoringIntervalSeconds: z.number().int().optional(),
    /** Partitioned tables: a YAML/JSON spec file, relative to stacks/. */
    partitionSpecFile: z.string().optional(),
}).strict();

const kubernetesSchema = z.object({
    /** kubeconfig context of the cluster (the ambient kubeconfig, or scaling-toolkit:kubeconfig). */
    context: z.string().optional(),
    /** Namespace of the Kubernetes services. */
    namespace: z.string(),
    /** Create it (labelled for the restricted Pod Security profile). */
    createNamespace: z.boolean().default(false),
    ingressController: z.nativeEnum(IngressController).optional(),
    /** cert-manager ClusterIssuer that signs the services' certificates. */
    certManagerIssuer: z.string(),
}).strict();

const pipelinesSchema = z.object({
    /** CodeStar / CodeConnections connection to the source host. */
    connectionArn: arnOrSecret(/^arn:aws[a-z-]*:(codeconnections|codestar-connections):/, "a CodeConnections connection ARN"),
    /** Topic approvers subscribe to; required when protections.deployApproval is on. */
    approvalTopicArn: arnOrSecret(/^arn:aws[a-z-]*:sns:/, "an SNS topic ARN").optional(),
}).strict();

/** A config value checked by one of the cost model's plain validators (the preview ships without zod). */
function fromValidator(validate: (value: unknown, issues: ConfigIssue[]) => unknown) {
    return z.unknown().superRefine((value, ctx) => {
        const issues: ConfigIssue[] = [];
        validate(value, issues);
        for (const issue of issues) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, path: issue.path.slice(1), message: issue.message });
        }
    });
}

export const stackConfigSchema = z.object({
    /** Marks the stack as production: protections and the policy pack's data-protection rules apply. */
    production: z.boolean().default(false),
    network: z.object({
        cidrBlock: z.string(),
        availabilityZones: z.number().int(),
        natGateways: z.nativeEnum(NatGatewayStrategy),
        flowLogRetentionDays: retention,
    }).strict(),
    dns: z.object({
        /** Services are served at `<service>.<domain>`. */
        domain: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,63}$/, "a lower-case DNS domain such as \"dev.example.com\""),
        hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, "a Route 53 hosted zone id such as \"Z0123456789ABC\""),
    }).strict(),
    protections: z.object({
        /** Load balancer (and, as they land, database) deletion protection. */
        deletionProtection: z.boolean(),
        /** Retention of container logs, in days. */
        logRetentionDays: retention,
        /** A person approves every pipeline deployment (production). */
        deployApproval: z.boolean().default(false),
    }).strict(),
    /** The Redis cache every AWS service may use; absent: no cache. */
    cache: cacheSchema.optional(),
    /** The PostgreSQL database every AWS service may use; absent: no database. */
    database: databaseSchema.optional(),
    /** The cluster for services on the Kubernetes platform. */
    kubernetes: kubernetesSchema.optional(),
    /** Kubeconfig of that cluster (`pulumi config set --secret scaling-toolkit:kubeconfig`); default: the ambient one. */
    kubeconfig: z.string().optional(),
    /** Settings for the services' pipelines. */
    pipelines: pipelinesSchema.optional(),
    /**
     * Where alarms go. When absent, the stack creates one topic (`<stack>-ops-alarms`, with its own
     * KMS key) that every component's alarms notify; an EdgeCache's CloudFront alarms, evaluated in
     * us-east-1, get a topic of their own there (an alarm notifies only a topic of its region).
     */
    alarmTopicArn: arnOrSecret(/^arn:aws[a-z-]*:sns:/, "an SNS topic ARN").optional(),
    services: z.array(serviceSchema).min(1, "at least one service").superRefine((services, ctx) => {
        const seen = new Set<string>();
        services.forEach((s, i) => {
            if (seen.has(s.name)) {
                ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, "name"], message: `a name not used by another service ("${s.name}" repeats)` });
            }
            seen.add(s.name);
        });
    }),
    tags: z.record(z.string()).default({}),
    /** Usage assumptions of the cost estimate (preview/cost/usage.ts documents every key and default). */
    usage: fromValidator(validateUsage),
    /** The cost budget and the price snapshot's accepted age (preview/cost/usage.ts). */
    cost: fromValidator(validateCostSettings),
}).strict().superRefine((cfg, ctx) => {
    const require = (ok: boolean, path: (string | number)[], message: string) => {
        if (!ok) {
            ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
        }
    };
    cfg.services.forEach((svc, i) => {
        if (svc.platform === Platform.Kubernetes) {
            require(cfg.kubernetes !== undefined, ["kubernetes"], `a kubernetes block, since service "${svc.name}" runs on Kubernetes`);
            require(svc.pipeline === undefined, ["services", i, "pipeline"], "no pipeline: pipelines deploy to AWS services only");
            require(svc.cdn === undefined, ["services", i, "cdn"], "no cdn: the CDN fronts AWS services' load balancers only");
            require(svc.slo === undefined, ["services", i, "slo"], "no slo: SLO alarms watch AWS services' load balancers only");
            require(svc.deployment === undefined, ["services", i, "deployment"], "no deployment: the ECS deployment strategies apply to AWS services only");
        } else {
            require(svc.canary === undefined && svc.rollout === undefined, ["services", i, svc.canary !== undefined ? "canary" : "rollout"],
                "no canary or rollout: they configure Kubernetes services (platform: kubernetes)");
        }
        if (svc.pipeline !== undefined) {
            require(cfg.pipelines !== undefined, ["pipelines"], `a pipelines block with the connectionArn, since service "${svc.name}" has a pipeline`);
            require(svc.pipeline.migrationCommand === undefined || cfg.database !== undefined, ["services", i, "pipeline", "migrationCommand"],
                "no migrationCommand: the stack has no database block to migrate");
        }
    });
    const onAws = cfg.services.some((s) => s.platform === Platform.Aws);
    require(onAws || cfg.cache === undefined, ["cache"], "no cache block: the cache serves the AWS services, and none is configured");
    require(onAws || cfg.database === undefined, ["database"], "no database block: the database serves the AWS services, and none is configured");
    if (cfg.protections.deployApproval && cfg.services.some((s) => s.pipeline)) {
        require(cfg.pipelines?.approvalTopicArn !== undefined, ["pipelines", "approvalTopicArn"], "the approvers' SNS topic, since protections.deployApproval is on");
    }
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;

/** The top-level keys of this project's stack config, as they appear in `Pulumi.<stack>.yaml`. */
const KEYS = Object.keys(stackConfigSchema.innerType().shape) as (keyof ReturnType<typeof stackConfigSchema.innerType>["shape"])[];

function keyPath(path: (string | number)[]): string {
    const [top, ...rest] = path;
    return `${NAMESPACE}:${String(top)}${rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}`;
}

function describeIssue(issue: z.ZodIssue): string {
    const key = keyPath(issue.path);
    switch (issue.code) {
        case z.ZodIssueCode.unrecognized_keys:
            return `stack config "${key}" has unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; allowed: the keys documented in README (Stack configuration)`;
        case z.ZodIssueCode.invalid_type:
            return issue.received === "undefined"
                ? `stack config "${key}" is missing; allowed: a ${issue.expected}`
                : `stack config "${key}" was a ${issue.received}; allowed: a ${issue.expected}`;
        case z.ZodIssueCode.invalid_enum_value:
            return `stack config "${key}" was "${String(issue.received)}"; allowed: ${issue.options.map((o) => `"${String(o)}"`).join(", ")}`;
        default:
            return `stack config "${key}" is invalid; allowed: ${issue.message}`;
    }
}

/**
 * Reads and validates the stack's configuration. Structured values arrive as JSON strings from
 * the Pulumi engine (and from the offline preview), exactly as `pulumi config` stores them.
 */
export function loadStackConfig(config: pulumi.Config = new pulumi.Config(NAMESPACE)): StackConfig {
    const raw: Record<string, unknown> = {};
    const unknownKeys = Object.keys(pulumi.runtime.allConfig())
        .filter((k) => k.startsWith(`${NAMESPACE}:`) && !(KEYS as string[]).includes(k.slice(NAMESPACE.length + 1)));
    if (unknownKeys.length > 0) {
        throw new ConfigError(`stack config has unknown key(s) ${unknownKeys.map((k) => `"${k}"`).join(", ")}; allowed: ${KEYS.map((k) => `"${NAMESPACE}:${k}"`).join(", ")}`);
    }
    for (const key of KEYS) {
        if (key === "kubeconfig") {
            // A secret: only its presence is validated here; the program reads it with getSecret.
            if (config.getSecret(key) !== undefined) {
                raw[key] = "[secret]";
            }
            continue;
        }
        const value = config.get(key);
        if (value === undefined) {
            continue;
        }
        try {
            raw[key] = JSON.parse(value);
        } catch {
            raw[key] = value;
        }
    }
    const parsed = stackConfigSchema.safeParse(raw);
    if (!parsed.success) {
        throw new ConfigError(parsed.error.issues.map(describeIssue).join("\n"));
    }
    return parsed.data;
}
