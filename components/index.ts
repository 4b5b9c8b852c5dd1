// The public API of scaling-toolkit: every component and its argument types, nothing else.
export { ValidationError, ValidationProblem } from "./common/errors";
export { CommonArgs } from "./common/component";
// The role and options the components' grant methods (grantPull, grantReadAuthToken) take.
export { GrantOptions, GrantRole } from "./common/grants";
export { Network, NetworkArgs, NatGatewayStrategy, SubnetPlan } from "./network/network";
export { AutoscalingArgs, EgressRuleArgs, HealthCheckArgs, ServiceCommonArgs } from "./service/spec";
export {
    AccessLogsArgs,
    CpuArchitecture,
    DeploymentLifecycleHookArgs,
    DeploymentLifecycleStage,
    DeploymentStrategy,
    LoadBalancedService,
    LoadBalancedServiceArgs,
    ServiceAlarmArgs,
    ServiceCdnArgs,
    ServiceDeploymentArgs,
    ServiceNetworkArgs,
    ServiceSloArgs,
    StickinessArgs,
    TlsPolicy,
} from "./service/aws";
export {
    CertManagerIssuerKind,
    DisruptionBudgetArgs,
    IngressController,
    KubernetesCanaryArgs,
    KubernetesResourcesArgs,
    KubernetesRolloutArgs,
    KubernetesService,
    KubernetesServiceArgs,
    KubernetesSloArgs,
    KubernetesTlsArgs,
    PrometheusScrapeArgs,
    PrometheusSloMetrics,
} from "./service/kubernetes";
export {
    CacheAlarmArgs,
    CacheEngine,
    CacheNetworkArgs,
    CacheSubnetTier,
    ClusterMode,
    RedisCache,
    RedisCacheArgs,
} from "./cache";
export {
    BuildComputeType,
    CiCdPipeline,
    CiCdPipelineArgs,
    ManualApprovalArgs,
    MigrationArgs,
    PipelineServiceArgs,
} from "./pipeline";
export {
    ColumnSpec,
    IndexMethod,
    IndexSpec,
    PartitionedTableSpec,
    PartitioningSpec,
    PartitionInterval,
    RetentionAction,
} from "./database/partitioning/spec";
export {
    DatabaseAlarmArgs,
    DatabaseNetworkArgs,
    DatabaseProxyArgs,
    GrantConnectOptions,
    PartitionedDatabase,
    PartitionedDatabaseArgs,
} from "./database/partitionedDatabase";
export {
    CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
    EdgeAlarmArgs,
    EdgeCache,
    EdgeCacheArgs,
    EdgeCacheSettings,
    EdgeOriginAccess,
    EdgePriceClass,
    EdgeStaticCacheArgs,
    EdgeWafArgs,
} from "./edge/edgeCache";
export {
    AvailabilityObjectiveArgs,
    LatencyObjectiveArgs,
    ServiceLevelObjectives,
    ServiceLevelObjectivesArgs,
    SloMetricSource,
    SloSettings,
} from "./slo/serviceLevelObjectives";
