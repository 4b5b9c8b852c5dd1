/**
 * The scaling-toolkit stack program: the components composed for one environment. Everything that
 * differs between dev, staging and prod lives in `Pulumi.<stack>.yaml`, read and validated by
 * `config.ts`; this file has no `if (stack === "prod")`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancedService, Network } from "../components";
import { loadStackConfig, NAMESPACE, ServiceConfig, StackConfig } from "./config";
import { dashboardBody, DashboardRow, serviceRow } from "./dashboard";

const stack = pulumi.getStack();
const cfg: StackConfig = loadStackConfig();

/** Tags on every resource; a production stack is marked so the data-protection policies apply. */
const tags: Record<string, string> = {
    ...cfg.tags,
    Environment: stack,
    ...(cfg.production ? { Production: "true" } : {}),
};

const network = new Network(`${stack}-network`, {
    cidrBlock: cfg.network.cidrBlock,
    availabilityZoneCount: cfg.network.availabilityZones,
    natGateways: cfg.network.natGateways,
    flowLogRetentionDays: cfg.network.flowLogRetentionDays,
    tags,
});

function service(svc: ServiceConfig): LoadBalancedService {
    return new LoadBalancedService(`${stack}-${svc.name}`, {
        network,
        image: svc.image,
        containerPort: svc.containerPort,
        healthCheck: svc.healthCheck,
        cpu: svc.cpu,
        memory: svc.memory,
        minCapacity: svc.minCapacity,
        maxCapacity: svc.maxCapacity,
        autoscaling: svc.autoscaling,
        requestsPerTarget: svc.requestsPerTarget,
        environment: svc.environment,
        secrets: svc.secrets,
        cpuArchitecture: svc.cpuArchitecture,
        allowedIngressCidrs: svc.allowedIngressCidrs,
        stickiness: svc.stickinessSeconds ? { enabled: true, durationSeconds: svc.stickinessSeconds } : undefined,
        domainName: `${svc.name}.${cfg.dns.domain}`,
        hostedZoneId: cfg.dns.hostedZoneId,
        deletionProtection: cfg.protections.deletionProtection,
        logRetentionDays: cfg.protections.logRetentionDays,
        alarmTopicArn: cfg.alarmTopicArn,
        tags,
    });
}

const services = Object.fromEntries(cfg.services.map((svc) => [svc.name, service(svc)]));

const rows: DashboardRow[] = Object.entries(services).map(([svcName, svc]) => serviceRow(svcName, svc.loadBalancerArnSuffix, svc.targetGroupArnSuffix));
const region = aws.getRegionOutput().region;
const dashboard = new aws.cloudwatch.Dashboard(`${stack}-overview`, {
    dashboardName: `${NAMESPACE}-${stack}`,
    dashboardBody: dashboardBody(region, rows),
});

export const vpcId = network.vpcId;
export const serviceUrls = Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.url]));
export const serviceSecurityGroupIds = Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.securityGroupId]));
export const dashboardName = dashboard.dashboardName;
export const dashboardUrl = pulumi.interpolate`https://console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboard.dashboardName}`;
