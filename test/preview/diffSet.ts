/**
 * The replace set and the in-place set: real components recorded twice, with base arguments and
 * with one argument changed, made into plans and diffed. Each replace case names the resources
 * (by type) that must be replaced and the property that must be named as forcing it; each in-place
 * case names a resource that must be updated and must not be replaced.
 */
import {
    CiCdPipeline, CiCdPipelineArgs, CpuArchitecture, KubernetesService, KubernetesServiceArgs, LoadBalancedService, LoadBalancedServiceArgs,
    NatGatewayStrategy, Network, NetworkArgs, PartitionedDatabase, PartitionedDatabaseArgs, PartitionInterval, RedisCache, RedisCacheArgs,
} from "../../components";
import { buildPlan, Plan } from "../../preview/plan";
import { record } from "../support/harness";

const REGION = { "aws:region": "eu-west-1" };
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const awsNetwork = { vpcId: "vpc-123", publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"], vpcCidrBlock: "10.0.0.0/16" };
export const dataNetwork = { vpcId: "vpc-123", isolatedSubnetIds: ["subnet-iso-a", "subnet-iso-b"], privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"] };
export const ORDERS = {
    name: "orders",
    columns: [{ name: "id", type: "bigserial" }, { name: "order_date", type: "timestamptz" }, { name: "total", type: "numeric(12,2)" }],
    partitionKey: "order_date",
    interval: PartitionInterval.Month,
    retention: "12 months",
    primaryKey: ["id", "order_date"],
};
const SERVICE = { clusterName: "shop-cluster", serviceName: "shop-api", taskDefinitionFamily: "shop-api", taskRoleArn: "arn:aws:iam::123456789012:role/task", executionRoleArn: "arn:aws:iam::123456789012:role/exec" };

/** A plan of one component, recorded on the same runtime as the offline preview. */
export async function planOf(program: () => unknown, config: Record<string, unknown> = REGION): Promise<Plan> {
    const { graph, lookups } = await record(program, { config, project: "diffset", stack: "test" });
    return buildPlan("diffset", "test", graph.resources, lookups, {}, { pack: null, violations: [] }, undefined, config);
}

export interface Case<A> {
    component: string;
    change: string;
    build: (args: A) => unknown;
    base: A;
    changed: Partial<A>;
    /** Replace cases: [type, property] pairs, each expected on every resource of the type (or on `count` of them). */
    replaces?: { type: string; property: string; count?: number }[];
    /** In-place cases: a type whose resources must be updated (at least one) and none replaced. */
    updates?: { type: string; property: string }[];
}

const network = (args: NetworkArgs) => new Network("net", args);
const cache = (args: RedisCacheArgs) => new RedisCache("cache", args);
const db = (args: PartitionedDatabaseArgs) => new PartitionedDatabase("db", args);
const web = (args: LoadBalancedServiceArgs) => new LoadBalancedService("web", args);
const kube = (args: KubernetesServiceArgs) => new KubernetesService("kube", args);
const cd = (args: CiCdPipelineArgs) => new CiCdPipeline("cd", args);

const netBase: NetworkArgs = { cidrBlock: "10.0.0.0/16", availabilityZoneCount: 3 };
const cacheBase: RedisCacheArgs = { network: dataNetwork, allowedSecurityGroupIds: ["sg-0123456789abcdef0"] };
const dbBase: PartitionedDatabaseArgs = { network: dataNetwork, allowedSecurityGroupIds: ["sg-0fedcba9876543210"], tables: [ORDERS] };
const webBase: LoadBalancedServiceArgs = { network: awsNetwork, image: "nginx:1.27", certificateArn: CERT };
const kubeBase: KubernetesServiceArgs = { image: "nginx:1.27", domainName: "api.example.com", tls: { secretName: "api-tls" } };
const cdBase: CiCdPipelineArgs = { service: SERVICE, connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc", repository: "acme/shop-api" };

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const SECRET = "aws:secretsmanager/secret:Secret";
const RDS = "aws:rds/instance:Instance";
const TD = "aws:ecs/taskDefinition:TaskDefinition";
const TG = "aws:lb/targetGroup:TargetGroup";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const LOGS = "aws:cloudwatch/logGroup:LogGroup";
const ECR = "aws:ecr/repository:Repository";
const ROLE = "aws:iam/role:Role";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ECS = "aws:ecs/service:Service";
const KMS = "aws:kms/key:Key";
const BUCKET = "aws:s3/bucket:Bucket";
const K8S = (kind: string, group = "core/v1") => `kubernetes:${group}:${kind}`;

/** Changes that must replace (the property named), across every component. */
export const REPLACE_CASES: Case<any>[] = [
    { component: "Network", change: "cidrBlock 10.0.0.0/16 -> 10.1.0.0/16", build: network, base: netBase, changed: { cidrBlock: "10.1.0.0/16" },
        replaces: [{ type: VPC, property: "cidrBlock" }, { type: SUBNET, property: "cidrBlock" }] },
    { component: "Network", change: "two zones, cidrBlock 10.0.0.0/16 -> 10.2.0.0/16", build: network, base: { ...netBase, availabilityZoneCount: 2 }, changed: { cidrBlock: "10.2.0.0/16" },
        replaces: [{ type: VPC, property: "cidrBlock" }, { type: SUBNET, property: "cidrBlock", count: 6 }] },
    { component: "RedisCache", change: "kmsKeyArn set", build: cache, base: cacheBase, changed: { kmsKeyArn: KEY }, replaces: [{ type: RG, property: "kmsKeyId" }] },
    { component: "PartitionedDatabase", change: "databaseName app -> shop", build: db, base: dbBase, changed: { databaseName: "shop" }, replaces: [{ type: RDS, property: "dbName" }] },
    { component: "PartitionedDatabase", change: "masterUsername dbadmin -> owner", build: db, base: dbBase, changed: { masterUsername: "owner" }, replaces: [{ type: RDS, property: "username" }] },
    { component: "PartitionedDatabase", change: "kmsKeyArn given (with a read replica)", build: db, base: { ...dbBase, readReplicas: 1 }, changed: { kmsKeyArn: KEY },
        replaces: [{ type: RDS, property: "kmsKeyId", count: 2 }] },
    { component: "LoadBalancedService", change: "containerPort 8080 -> 9090", build: web, base: webBase, changed: { containerPort: 9090 },
        replaces: [{ type: TG, property: "port" }, { type: TD, property: "containerDefinitions" }] },
    { component: "LoadBalancedService", change: "internal false -> true", build: web, base: webBase, changed: { internal: true }, replaces: [{ type: LB, property: "internal" }] },
    { component: "LoadBalancedService", change: "cpu 256 -> 512", build: web, base: webBase, changed: { cpu: 512, memory: 1024 }, replaces: [{ type: TD, property: "cpu" }, { type: TD, property: "memory" }] },
    { component: "LoadBalancedService", change: "cpuArchitecture x86_64 -> arm64", build: web, base: webBase, changed: { cpuArchitecture: CpuArchitecture.ARM64 },
        replaces: [{ type: TD, property: "runtimePlatform.cpuArchitecture" }] },
    { component: "LoadBalancedService", change: "image nginx:1.27 -> nginx:1.28", build: web, base: webBase, changed: { image: "nginx:1.28" }, replaces: [{ type: TD, property: "containerDefinitions" }] },
    { component: "LoadBalancedService", change: "environment QUEUE added", build: web, base: webBase, changed: { environment: { QUEUE: "orders" } }, replaces: [{ type: TD, property: "containerDefinitions" }] },
    { component: "LoadBalancedService", change: "user 1000:1000 -> 2000:2000", build: web, base: webBase, changed: { user: "2000:2000" }, replaces: [{ type: TD, property: "containerDefinitions" }] },
    { component: "LoadBalancedService", change: "a secret added", build: web, base: webBase, changed: { secrets: { DB_PASSWORD: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" } },
        replaces: [{ type: TD, property: "containerDefinitions" }] },
    { component: "KubernetesService", change: "namespace default -> shop", build: kube, base: kubeBase, changed: { namespace: "shop" },
        replaces: [
            { type: K8S("Deployment", "apps/v1"), property: "metadata.namespace" },
            { type: K8S("Service"), property: "metadata.namespace" },
            { type: K8S("ServiceAccount"), property: "metadata.namespace" },
            { type: K8S("HorizontalPodAutoscaler", "autoscaling/v2"), property: "metadata.namespace" },
            { type: K8S("Ingress", "networking.k8s.io/v1"), property: "metadata.namespace" },
            { type: K8S("NetworkPolicy", "networking.k8s.io/v1"), property: "metadata.namespace" },
            { type: K8S("PodDisruptionBudget", "policy/v1"), property: "metadata.namespace" },
        ] },
    { component: "KubernetesService", change: "its own namespace renamed shop -> store", build: kube, base: { ...kubeBase, namespace: "shop", createNamespace: true }, changed: { namespace: "store" },
        replaces: [
            { type: K8S("Namespace"), property: "metadata.name" },
            { type: K8S("Deployment", "apps/v1"), property: "metadata.namespace" },
            { type: K8S("Service"), property: "metadata.namespace" },
        ] },
    { component: "CiCdPipeline", change: "repositoryName cd -> shop-api", build: cd, base: cdBase, changed: { repositoryName: "shop-api" }, replaces: [{ type: ECR, property: "name" }] },
    // The provider re-creates these: an Invocation runs again when its triggers (the SQL digest) change,
    // and an ECR lifecycle policy has no update at all (terraform-provider-aws, in replacement-sources.json).
    { component: "PartitionedDatabase", change: "retention 12 -> 18 months re-runs the bootstrap", build: db, base: dbBase, changed: { tables: [{ ...ORDERS, retention: "18 months" }] }, replaces: [{ type: "aws:lambda/invocation:Invocation", property: "triggers" }] },
    { component: "CiCdPipeline", change: "imageRetentionCount 30 -> 50", build: cd, base: cdBase, changed: { imageRetentionCount: 50 }, replaces: [{ type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", property: "policy" }] },
];

/** Changes that must update in place (never reported as a replacement). */
export const UPDATE_CASES: Case<any>[] = [
    { component: "Network", change: "flowLogRetentionDays 90 -> 365", build: network, base: netBase, changed: { flowLogRetentionDays: 365 }, updates: [{ type: LOGS, property: "retentionInDays" }] },
    { component: "Network", change: "flowLogKmsKeyArn set", build: network, base: netBase, changed: { flowLogKmsKeyArn: KEY }, updates: [{ type: LOGS, property: "kmsKeyId" }] },
    { component: "Network", change: "natGateways PerZone -> Single", build: network, base: netBase, changed: { natGateways: NatGatewayStrategy.Single }, updates: [{ type: "aws:ec2/route:Route", property: "natGatewayId" }] },
    { component: "RedisCache", change: "nodeType r7g.large -> r7g.xlarge", build: cache, base: cacheBase, changed: { nodeType: "cache.r7g.xlarge" }, updates: [{ type: RG, property: "nodeType" }] },
    { component: "RedisCache", change: "snapshotRetentionDays 7 -> 14", build: cache, base: cacheBase, changed: { snapshotRetentionDays: 14 }, updates: [{ type: RG, property: "snapshotRetentionLimit" }] },
    { component: "RedisCache", change: "maintenanceWindow moved", build: cache, base: cacheBase, changed: { maintenanceWindow: "mon:05:00-mon:06:00" }, updates: [{ type: RG, property: "maintenanceWindow" }] },
    { component: "RedisCache", change: "secretKmsKeyArn set", build: cache, base: cacheBase, changed: { secretKmsKeyArn: KEY }, updates: [{ type: SECRET, property: "kmsKeyId" }] },
    { component: "RedisCache", change: "logRetentionDays 30 -> 90", build: cache, base: cacheBase, changed: { logRetentionDays: 90 }, updates: [{ type: LOGS, property: "retentionInDays" }] },
    { component: "PartitionedDatabase", change: "instanceClass t4g.medium -> r7g.large", build: db, base: dbBase, changed: { instanceClass: "db.r7g.large" }, updates: [{ type: RDS, property: "instanceClass" }] },
    { component: "PartitionedDatabase", change: "allocatedStorageGb 50 -> 100", build: db, base: dbBase, changed: { allocatedStorageGb: 100 }, updates: [{ type: RDS, property: "allocatedStorage" }] },
    { component: "PartitionedDatabase", change: "multiAz true -> false", build: db, base: dbBase, changed: { multiAz: false }, updates: [{ type: RDS, property: "multiAz" }] },
    { component: "PartitionedDatabase", change: "backupRetentionDays 14 -> 30", build: db, base: dbBase, changed: { backupRetentionDays: 30 }, updates: [{ type: RDS, property: "backupRetentionPeriod" }] },
    { component: "PartitionedDatabase", change: "deletionProtection true -> false", build: db, base: dbBase, changed: { deletionProtection: false }, updates: [{ type: RDS, property: "deletionProtection" }] },
    { component: "PartitionedDatabase", change: "monitoringIntervalSeconds 60 -> 15", build: db, base: dbBase, changed: { monitoringIntervalSeconds: 15 }, updates: [{ type: RDS, property: "monitoringInterval" }] },
    { component: "LoadBalancedService", change: "deletionProtection true -> false", build: web, base: webBase, changed: { deletionProtection: false }, updates: [{ type: LB, property: "enableDeletionProtection" }] },
    { component: "LoadBalancedService", change: "deregistrationDelaySeconds 30 -> 60", build: web, base: webBase, changed: { deregistrationDelaySeconds: 60 }, updates: [{ type: TG, property: "deregistrationDelay" }] },
    { component: "LoadBalancedService", change: "healthCheck path / -> /healthz", build: web, base: webBase, changed: { healthCheck: { path: "/healthz" } }, updates: [{ type: TG, property: "healthCheck.path" }] },
    { component: "LoadBalancedService", change: "logRetentionDays 30 -> 90", build: web, base: webBase, changed: { logRetentionDays: 90 }, updates: [{ type: LOGS, property: "retentionInDays" }] },
    { component: "LoadBalancedService", change: "allowedIngressCidrs narrowed", build: web, base: webBase, changed: { allowedIngressCidrs: ["203.0.113.0/24"] }, updates: [{ type: INGRESS, property: "cidrIpv4" }] },
    { component: "LoadBalancedService", change: "tags added", build: web, base: webBase, changed: { tags: { Team: "shop" } }, updates: [{ type: ROLE, property: "tags.Team" }, { type: SG, property: "tags.Team" }, { type: ECS, property: "tags.Team" }] },
    { component: "KubernetesService", change: "image nginx:1.27 -> nginx:1.28", build: kube, base: kubeBase, changed: { image: "nginx:1.28" }, updates: [{ type: K8S("Deployment", "apps/v1"), property: "spec.template.spec.containers.image" }] },
    { component: "KubernetesService", change: "minCapacity 2 -> 3", build: kube, base: kubeBase, changed: { minCapacity: 3 }, updates: [{ type: K8S("HorizontalPodAutoscaler", "autoscaling/v2"), property: "spec.minReplicas" }] },
    { component: "CiCdPipeline", change: "logRetentionDays 30 -> 90", build: cd, base: cdBase, changed: { logRetentionDays: 90 }, updates: [{ type: LOGS, property: "retentionInDays" }] },
    { component: "CiCdPipeline", change: "tags added (artifact bucket tagged in place)", build: cd, base: cdBase, changed: { tags: { Team: "shop" } }, updates: [{ type: BUCKET, property: "tags.Team" }] },
    { component: "PartitionedDatabase", change: "KMS key kept, key rotation unchanged: bootstrapLogRetentionDays 30 -> 90", build: db, base: dbBase, changed: { bootstrapLogRetentionDays: 90 }, updates: [{ type: LOGS, property: "retentionInDays" }] },
];

export const TYPES_USED = { KMS, BUCKET };
