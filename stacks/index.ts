/**
 * The scaling-toolkit stack program: the components composed for one environment. Everything that
 * differs between dev, staging and prod lives in `Pulumi.<stack>.yaml`, read and validated by
 * `config.ts`; this file has no `if (stack === "prod")`.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { CiCdPipeline, KubernetesService, LoadBalancedService, Network, PartitionedDatabase, RedisCache, ServiceCommonArgs } from "../components";
import { alarmTopic } from "../components/common/alarms";
import { loadStackConfig, NAMESPACE, Platform, ServiceConfig, StackConfig } from "./config";
import { cacheRow, dashboardBody, DashboardRow, databaseRow, serviceRow, WidgetRow } from "./dashboard";
import { edgeWidgets } from "../components/edge/alarms";
import { sloWidgets } from "../components/slo/dashboard";
import { sloObjectives, SloMetricSource } from "../components/slo/objectives";

const stack = pulumi.getStack();
/** The application database's name (services are told it). */
const DATABASE_NAME = "app";
const cfg: StackConfig = loadStackConfig();
const region = aws.getRegionOutput().region;

/** Tags on every resource; a production stack is marked so the data-protection policies apply. */
const tags: Record<string, string> = {
    ...cfg.tags,
    Environment: stack,
    ...(cfg.production ? { Production: "true" } : {}),
};

// One topic (and key) for every alarm of the stack, unless config names an existing one.
const alarmTopicArn = alarmTopic(`${stack}-ops`, cfg.alarmTopicArn, tags, {});

const network = new Network(`${stack}-network`, {
    cidrBlock: cfg.network.cidrBlock,
    availabilityZoneCount: cfg.network.availabilityZones,
    natGateways: cfg.network.natGateways,
    flowLogRetentionDays: cfg.network.flowLogRetentionDays,
    tags,
});

// The cache and the database admit the AWS services, and the services are told where those are:
// deferred outputs break the cycle in the program (there is none between the resources).
// Created only when there is a cache or database to resolve them (an unresolved one would never settle).
const cacheSecretArn = cfg.cache ? pulumi.deferredOutput<string>() : undefined;
const databaseHost = cfg.database ? pulumi.deferredOutput<string>() : undefined;
const databasePort = cfg.database ? pulumi.deferredOutput<number>() : undefined;
/** The PostgreSQL user a service logs in as with IAM authentication (granted below; created by the stack owner). */
const databaseUser = (svc: ServiceConfig) => svc.name.replace(/-/g, "_");

/** The arguments a service has on either platform (same names, same meanings). */
function commonArgs(svc: ServiceConfig): ServiceCommonArgs {
    return {
        image: svc.image,
        containerPort: svc.containerPort,
        healthCheck: svc.healthCheck,
        cpu: svc.cpu,
        memory: svc.memory,
        minCapacity: svc.minCapacity,
        maxCapacity: svc.maxCapacity,
        autoscaling: svc.autoscaling,
        environment: svc.environment,
        domainName: `${svc.name}.${cfg.dns.domain}`,
        tags,
    };
}

/** The ECR repository a service's pipeline pushes to. */
const repositoryName = (svc: ServiceConfig) => `${stack}-${svc.name}`;

function awsService(svc: ServiceConfig): LoadBalancedService {
    return new LoadBalancedService(`${stack}-${svc.name}`, {
        ...commonArgs(svc),
        network,
        environment: {
            ...(svc.environment ?? {}),
            // IAM database authentication: the task role is granted rds-db:connect as DATABASE_USER below.
            ...(databaseHost && databasePort ? { DATABASE_HOST: databaseHost[0], DATABASE_PORT: databasePort[0].apply(String), DATABASE_NAME, DATABASE_USER: databaseUser(svc) } : {}),
        },
        requestsPerTarget: svc.requestsPerTarget,
        secrets: {
            ...(svc.secrets ?? {}),
            ...(cacheSecretArn ? { REDIS_URL: pulumi.interpolate`${cacheSecretArn[0]}:url::` } : {}),
        },
        cpuArchitecture: svc.cpuArchitecture,
        allowedIngressCidrs: svc.allowedIngressCidrs,
        stickiness: svc.stickinessSeconds ? { enabled: true, durationSeconds: svc.stickinessSeconds } : undefined,
        hostedZoneId: cfg.dns.hostedZoneId,
        deletionProtection: cfg.protections.deletionProtection,
        logRetentionDays: cfg.protections.logRetentionDays,
        alarmTopicArn,
        cdn: svc.cdn,
        // The SLO widgets go on the stack's dashboard (below), not on a dashboard of their own.
        slo: svc.slo === undefined ? undefined : { ...svc.slo, dashboard: false },
        // Its pipeline deploys the images and lets the tasks pull them (grantPull below). The
        // pipeline's ECS deploy action calls UpdateService, so the ECS deployment controller, and the
        // native strategy in svc.deployment, run every pipeline deploy.
        ...(svc.pipeline ? { externalDeployments: true } : {}),
        deployment: svc.deployment,
    });
}

const cluster = cfg.kubernetes ? new k8s.Provider(`${stack}-cluster`, {
    kubeconfig: new pulumi.Config(NAMESPACE).getSecret("kubeconfig"),
    context: cfg.kubernetes.context,
}) : undefined;

function kubernetesService(svc: ServiceConfig): KubernetesService {
    const kube = cfg.kubernetes!;
    return new KubernetesService(`${stack}-${svc.name}`, {
        ...commonArgs(svc),
        namespace: kube.namespace,
        createNamespace: kube.createNamespace,
        ingressController: kube.ingressController,
        tls: { certManagerIssuer: kube.certManagerIssuer },
        // external-dns publishes the host name, as the alias record does on AWS.
        ingressAnnotations: { "external-dns.alpha.kubernetes.io/hostname": `${svc.name}.${cfg.dns.domain}` },
        // A budget must leave a pod to evict: with a single replica there is none to keep.
        disruptionBudget: { enabled: (svc.minCapacity ?? 2) >= 2 },
        rollout: svc.rollout,
        canary: svc.canary,
    }, { provider: cluster });
}

const awsServices: Record<string, LoadBalancedService> = {};
const kubernetesServices: Record<string, KubernetesService> = {};
for (const svc of cfg.services) {
    if (svc.platform === Platform.Kubernetes) {
        kubernetesServices[svc.name] = kubernetesService(svc);
    } else {
        awsServices[svc.name] = awsService(svc);
    }
}

const cache = cfg.cache ? new RedisCache(`${stack}-cache`, {
    network,
    allowedSecurityGroupIds: Object.values(awsServices).map((s) => s.securityGroupId),
    engine: cfg.cache.engine,
    nodeType: cfg.cache.nodeType,
    clusterMode: cfg.cache.clusterMode,
    shards: cfg.cache.shards,
    replicasPerShard: cfg.cache.replicasPerShard,
    snapshotRetentionDays: cfg.cache.snapshotRetentionDays,
    finalSnapshot: cfg.cache.finalSnapshot,
    applyImmediately: cfg.cache.applyImmediately,
    logRetentionDays: cfg.protections.logRetentionDays,
    alarmTopicArn,
    tags,
}, { protect: cfg.protections.deletionProtection }) : undefined;
if (cache && cacheSecretArn) {
    cacheSecretArn[1](cache.authSecretArn);
}

const awsClients = Object.values(awsServices).map((s) => s.securityGroupId);
const database = cfg.database ? new PartitionedDatabase(`${stack}-db`, {
    network,
    allowedSecurityGroupIds: awsClients,
    databaseName: DATABASE_NAME,
    instanceClass: cfg.database.instanceClass,
    multiAz: cfg.database.multiAz,
    allocatedStorageGb: cfg.database.allocatedStorageGb,
    maxAllocatedStorageGb: cfg.database.maxAllocatedStorageGb,
    backupRetentionDays: cfg.database.backupRetentionDays,
    deletionProtection: cfg.protections.deletionProtection,
    skipFinalSnapshot: cfg.database.skipFinalSnapshot,
    readReplicas: cfg.database.readReplicas,
    proxy: { enabled: cfg.database.proxy },
    monitoringIntervalSeconds: cfg.database.monitoringIntervalSeconds,
    partitionSpecFile: cfg.database.partitionSpecFile ? path.join(__dirname, cfg.database.partitionSpecFile) : undefined,
    bootstrapLogRetentionDays: cfg.protections.logRetentionDays,
    alarmTopicArn,
    tags,
}, { protect: cfg.protections.deletionProtection }) : undefined;
if (database && databaseHost && databasePort) {
    databaseHost[1](cfg.database!.proxy ? database.proxyEndpoint.apply((e) => e ?? "") : database.endpoint);
    databasePort[1](database.port);
    for (const svc of cfg.services.filter((s) => awsServices[s.name])) {
        const service = awsServices[svc.name];
        database.grantConnect(service.taskRoleName, databaseUser(svc), { id: svc.name, parent: service });
    }
}

const pipelines = Object.fromEntries(cfg.services.filter((svc) => svc.pipeline).map((svc) => [svc.name, new CiCdPipeline(`${stack}-${svc.name}-cd`, {
    service: awsServices[svc.name],
    connectionArn: cfg.pipelines!.connectionArn,
    repository: svc.pipeline!.repository,
    branch: svc.pipeline!.branch,
    repositoryName: repositoryName(svc),
    manualApproval: cfg.protections.deployApproval ? { enabled: true, notificationTopicArn: cfg.pipelines!.approvalTopicArn } : undefined,
    // The schema changes go out before the code that needs them (a failed migration stops the deploy).
    migration: database && svc.pipeline!.migrationCommand ? { command: svc.pipeline!.migrationCommand } : undefined,
    logRetentionDays: cfg.protections.logRetentionDays,
    tags,
})]));
// A pipelined service's tasks may pull every image its pipeline pushes (the grant lives with the service).
for (const [name, pipeline] of Object.entries(pipelines)) {
    pipeline.grantPull(awsServices[name].executionRoleArn, { parent: awsServices[name] });
}

const rows: DashboardRow[] = [
    ...Object.entries(awsServices).map(([name, svc]) => serviceRow(name, svc.loadBalancerArnSuffix)),
    ...(cache ? [cacheRow("cache", cache.replicationGroupId)] : []),
    ...(database ? [databaseRow("database", database.instanceIdentifier)] : []),
];
/** The edge's and the SLOs' widgets of the AWS services that have them. */
const widgetRows: WidgetRow[] = cfg.services.filter((svc) => awsServices[svc.name]).flatMap((svc) => {
    const service = awsServices[svc.name];
    return [
        ...(svc.cdn ? [{ title: `Edge ${svc.name}`, widgets: service.distributionId.apply((id) => edgeWidgets(id ?? "", `${svc.name} edge`)) }] : []),
        ...(svc.slo ? [{
            title: `SLOs ${svc.name}`,
            widgets: pulumi.all([service.loadBalancerArnSuffix, region]).apply(([id, regionName]) =>
                sloWidgets(svc.name, { source: SloMetricSource.LoadBalancer, id }, sloObjectives("stack", svc.name, svc.slo!), regionName)),
        }] : []),
    ];
});
const dashboard = new aws.cloudwatch.Dashboard(`${stack}-overview`, {
    dashboardName: `${NAMESPACE}-${stack}`,
    dashboardBody: dashboardBody(region, rows, widgetRows),
});

const byName = <T>(items: Record<string, T>, pick: (item: T) => pulumi.Output<string>) => Object.fromEntries(Object.entries(items).map(([n, i]) => [n, pick(i)]));

export const vpcId = network.vpcId;
export const serviceUrls = { ...byName(awsServices, (s) => s.url), ...byName(kubernetesServices, (s) => s.url) };
export const serviceSecurityGroupIds = byName(awsServices, (s) => s.securityGroupId);
export const cacheOutputs = cache ? { endpoint: cache.endpoint, port: cache.port, secretArn: cache.authSecretArn } : {};
export const databaseOutputs = database ? {
    endpoint: database.endpoint,
    readerEndpoints: database.readerEndpoints,
    proxyEndpoint: database.proxyEndpoint,
    port: database.port,
    name: database.databaseName,
    masterSecretArn: database.masterSecretArn,
    partitioningSql: database.partitioningSql,
} : {};
export const imageRepositories = byName(pipelines, (p) => p.repositoryUrl);
export const pipelineNames = byName(pipelines, (p) => p.pipelineName);
export { alarmTopicArn };
export const dashboardName = dashboard.dashboardName;
export const dashboardUrl = pulumi.interpolate`https://console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboard.dashboardName}`;
