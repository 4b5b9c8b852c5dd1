import * as pulumi from "@pulumi/pulumi";
import { CpuArchitecture } from "../../common/enums";
import { EdgeCacheSettings } from "../../edge/spec";
import { SloSettings } from "../../slo/objectives";
import { ServiceCommonArgs } from "../spec";

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

/**
 * How ECS replaces the tasks when the task definition (the image) changes. Every strategy but
 * `Rolling` is one of ECS's native traffic-shifting strategies (the ECS deployment controller,
 * `deploymentConfiguration.strategy`): the new revision's tasks start in a second target group and
 * ECS moves the production listener rule's traffic to them.
 */
export enum DeploymentStrategy {
    /** Replace tasks in place, at most doubling the count, with the circuit breaker rolling back failed deploys (ECS's `ROLLING`). */
    Rolling = "rolling",
    /** Start the whole new revision, shift all production traffic at once, keep the old one for the bake time (`BLUE_GREEN`). */
    BlueGreen = "blueGreen",
    /** Shift `canaryPercent` of the traffic, wait `canaryBakeTimeMinutes`, then shift the rest (`CANARY`). */
    Canary = "canary",
    /** Shift `stepPercent` of the traffic every `stepBakeTimeMinutes` until all of it has moved (`LINEAR`). */
    Linear = "linear",
}

/**
 * The stages of a native (blue/green, canary, linear) deployment a lifecycle hook can run at
 * (ECS API reference, `DeploymentLifecycleHook.lifecycleStages`).
 */
export enum DeploymentLifecycleStage {
    /** A new deployment starts while more than one service revision is active. */
    ReconcileService = "RECONCILE_SERVICE",
    /** Before the new revision's tasks start; the old revision serves all production traffic. */
    PreScaleUp = "PRE_SCALE_UP",
    /** The new revision's tasks run; the old revision still serves all production traffic. */
    PostScaleUp = "POST_SCALE_UP",
    /** Test traffic moves to the new revision. */
    TestTrafficShift = "TEST_TRAFFIC_SHIFT",
    /** The new revision serves all test traffic. */
    PostTestTrafficShift = "POST_TEST_TRAFFIC_SHIFT",
    /** Production traffic moves to the new revision. */
    ProductionTrafficShift = "PRODUCTION_TRAFFIC_SHIFT",
    /** The new revision serves all production traffic (the bake time follows). */
    PostProductionTrafficShift = "POST_PRODUCTION_TRAFFIC_SHIFT",
}

/** A Lambda function ECS invokes at stages of a native deployment; it answers SUCCEEDED, FAILED (roll back) or IN_PROGRESS (ask again). */
export interface DeploymentLifecycleHookArgs {
    /** The Lambda function's ARN (ECS invokes it with a role the service creates, allowed only `lambda:InvokeFunction` on it). */
    functionArn: pulumi.Input<string>;
    /** The stages to run at (at least one, no repeats). */
    stages: DeploymentLifecycleStage[];
    /**
     * Parameters ECS passes to the function on every invocation (`hookDetails`).
     * @default none
     */
    details?: Record<string, string>;
}

/** How the service deploys a new task definition revision, and what rolls it back. */
export interface ServiceDeploymentArgs {
    /**
     * The deployment strategy.
     * @default DeploymentStrategy.Rolling
     */
    strategy?: DeploymentStrategy;
    /**
     * Minutes both revisions keep running after all production traffic has moved, before the old
     * one stops (0-1440); an alarm during this time still rolls back. Not with `Rolling`.
     * @default 10
     */
    bakeTimeMinutes?: number;
    /**
     * Percentage of production traffic the canary gets (0.1-100, in steps of 0.1). `Canary` only.
     * @default 5
     */
    canaryPercent?: number;
    /**
     * Minutes the canary serves its share before the rest of the traffic moves (0-1440). `Canary` only.
     * @default 10
     */
    canaryBakeTimeMinutes?: number;
    /**
     * Percentage of production traffic moved in each step (3-100, in steps of 0.1). `Linear` only.
     * @default 10
     */
    stepPercent?: number;
    /**
     * Minutes between two steps (0-1440). `Linear` only.
     * @default 6
     */
    stepBakeTimeMinutes?: number;
    /**
     * An HTTP header that routes a request to the new revision while a deployment runs (a test
     * listener rule: any request carrying the header, with any value, is test traffic). Anyone who
     * can reach the load balancer can send it. Not with `Rolling`.
     * @default none (no test traffic; the test stages pass without any)
     */
    testTrafficHeader?: string;
    /**
     * Lambda functions ECS invokes at stages of the deployment. Not with `Rolling`.
     * @default []
     */
    lifecycleHooks?: DeploymentLifecycleHookArgs[];
    /**
     * Roll back a deployment (and, with a native strategy, during its bake time) when the
     * service's target 5xx-rate or p99-latency alarm goes off (ECS deployment alarms).
     * @default true
     */
    rollbackOnAlarms?: boolean;
}

/**
 * The service's SLOs: a `ServiceLevelObjectives` over its load balancer's metrics, paging the
 * service's alarm topic (components/slo).
 */
export type ServiceSloArgs = SloSettings;

/**
 * The service's CDN: an `EdgeCache` (components/edge) in front of its load balancer. The service
 * supplies the load balancer, the origin port (443), `domainName`, `hostedZoneId` and the tags.
 */
export type ServiceCdnArgs = EdgeCacheSettings;

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
    /**
     * Service level objectives with multiwindow burn-rate alarms (page and ticket) on the load
     * balancer's metrics, notifying the service's alarm topic. `{}` takes the SLO defaults
     * (availability 99.9%, latency 99% within 300 ms, a dashboard).
     * @default none (no SLO alarms)
     */
    slo?: SloSettings;
    /**
     * A CloudFront distribution (an `EdgeCache`) in front of the load balancer, serving `domainName`
     * (which needs `hostedZoneId`): the edge writes the alias records instead of the service. With
     * `EdgeOriginAccess.VpcOrigin` (the default) the load balancer is internal and admits 443 from
     * the VPC only; with `PublicHttps` it admits 443 only from CloudFront's origin-facing prefix list
     * and forwards only requests carrying the edge's secret `X-Origin-Verify` header (others get 403).
     * @default none (clients reach the load balancer directly)
     */
    cdn?: EdgeCacheSettings;
    /**
     * How new revisions are deployed: rolling (replace tasks in place) or one of ECS's native
     * blue/green, canary and linear strategies (a second target group, a production listener rule
     * and a role ECS shifts traffic with), rolled back on the service's 5xx-rate and latency alarms.
     * @default { strategy: DeploymentStrategy.Rolling, rollbackOnAlarms: true }
     */
    deployment?: ServiceDeploymentArgs;
}
