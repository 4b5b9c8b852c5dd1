/**
 * Which family prices which resource type, and what the types without a price of their own are:
 * free (AWS's statement, from the snapshot's no-charge list), included (its cost is counted on
 * another resource, named), or not priced (said, and counted in the estimate's unpriced line).
 */
import type { PlanResource } from "../../plan";
import { CostContext, Pricing } from "../model";
import { priceId } from "../priceBook";
import { ecsService, lambdaFunction } from "./compute";
import { cacheCluster, rdsInstance, rdsProxy, replicationGroup } from "./data";
import { elasticIp, loadBalancer, natGateway, vpcEndpoint } from "./network";
import { dashboard, logGroup, metricAlarm } from "./observability";
import { bucket, codeBuildProject, dnsRecord, ecrRepository, hostedZone, kmsKey, pipeline, secret, snsTopic } from "./services";

type Family = (resource: PlanResource, ctx: CostContext) => Pricing;

export const FAMILIES: Record<string, Family> = {
    "aws:ecs/service:Service": ecsService,
    "aws:lambda/function:Function": lambdaFunction,
    "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:alb/loadBalancer:LoadBalancer": loadBalancer,
    "aws:ec2/natGateway:NatGateway": natGateway,
    "aws:ec2/eip:Eip": elasticIp,
    "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
    "aws:elasticache/replicationGroup:ReplicationGroup": replicationGroup,
    "aws:elasticache/cluster:Cluster": cacheCluster,
    "aws:rds/instance:Instance": rdsInstance,
    "aws:rds/proxy:Proxy": rdsProxy,
    "aws:cloudwatch/logGroup:LogGroup": logGroup,
    "aws:cloudwatch/metricAlarm:MetricAlarm": metricAlarm,
    "aws:cloudwatch/dashboard:Dashboard": dashboard,
    "aws:kms/key:Key": kmsKey,
    "aws:secretsmanager/secret:Secret": secret,
    "aws:s3/bucket:Bucket": bucket,
    "aws:s3/bucketV2:BucketV2": bucket,
    "aws:ecr/repository:Repository": ecrRepository,
    "aws:sns/topic:Topic": snsTopic,
    "aws:codepipeline/pipeline:Pipeline": pipeline,
    "aws:codebuild/project:Project": codeBuildProject,
    "aws:route53/zone:Zone": hostedZone,
    "aws:route53/record:Record": dnsRecord,
};

/** Types with no charge of their own: where their cost is counted. */
export const INCLUDED: Record<string, string> = {
    "aws:lb/listener:Listener": "counted in its load balancer's hours and LCUs",
    "aws:lb/listenerRule:ListenerRule": "counted in its load balancer's LCUs (rule evaluations)",
    "aws:lb/targetGroup:TargetGroup": "counted in its load balancer's hours and LCUs",
    "aws:appautoscaling/target:Target": "what it scales is priced on the ECS service (its min..max range)",
    "aws:appautoscaling/policy:Policy": "what it scales is priced on the ECS service (its min..max range)",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": "settings of the repository, priced by its storage",
    "aws:sns/topicPolicy:TopicPolicy": "settings of the topic, priced by its requests",
    "aws:sns/topicSubscription:TopicSubscription": "deliveries are charged on the topic",
    "aws:secretsmanager/secretVersion:SecretVersion": "a value of the secret, priced per secret-month",
    "aws:ec2/flowLog:FlowLog": "its records are priced as ingestion on its log group",
    "aws:lambda/invocation:Invocation": "its requests are priced on the Lambda function",
    "aws:lambda/permission:Permission": "settings of the Lambda function",
    "aws:rds/parameterGroup:ParameterGroup": "settings of the database instances",
    "aws:rds/subnetGroup:SubnetGroup": "settings of the database instances",
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": "settings of the RDS Proxy, priced by its targets' vCPUs",
    "aws:rds/proxyTarget:ProxyTarget": "priced on the RDS Proxy (per vCPU of its target)",
    "aws:elasticache/parameterGroup:ParameterGroup": "settings of the cache nodes",
    "aws:elasticache/subnetGroup:SubnetGroup": "settings of the cache nodes",
    "aws:acm/certificateValidation:CertificateValidation": "not an AWS resource: Pulumi waits for the certificate's validation",
    "aws:cloudwatch/logStream:LogStream": "priced as ingestion on its log group",
    "aws:cloudfront/cachePolicy:CachePolicy": "settings of the CloudFront distributions using it (themselves not priced: no CloudFront list price in the pricing snapshot)",
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": "settings of the CloudFront distributions using it (themselves not priced: no CloudFront list price in the pricing snapshot)",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": "settings of its log delivery, where the delivered logs are charged",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": "settings of its log delivery, where the delivered logs are charged",
};
for (const t of ["bucketPolicy:BucketPolicy", "bucketPublicAccessBlock:BucketPublicAccessBlock", "bucketVersioning:BucketVersioning", "bucketVersioningV2:BucketVersioningV2",
    "bucketOwnershipControls:BucketOwnershipControls", "bucketLifecycleConfiguration:BucketLifecycleConfiguration", "bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"]) {
    INCLUDED[`aws:s3/${t}`] = "settings of the bucket, priced by its storage";
}

/** Types the snapshot has no price for, with the reason shown in the estimate. */
export const NOT_PRICED: Record<string, string> = {
    "aws:cloudwatch/eventRule:EventRule": "EventBridge rules: no EventBridge prices in the snapshot",
    "aws:cloudwatch/eventTarget:EventTarget": "EventBridge targets: no EventBridge prices in the snapshot",
    "aws:cloudwatch/compositeAlarm:CompositeAlarm": "composite alarms: not in the snapshot",
    // The pricing snapshot (scripts/sources/pricing/README.md) has no CloudFront and no AWS WAF rows.
    "aws:cloudfront/distribution:Distribution": "CloudFront distributions (requests, data transfer out): not priced, no CloudFront list price in the pricing snapshot",
    "aws:cloudfront/vpcOrigin:VpcOrigin": "CloudFront VPC origins: not priced, no CloudFront list price in the pricing snapshot",
    "aws:cloudfront/monitoringSubscription:MonitoringSubscription": "CloudFront additional metrics: not priced, no CloudFront list price in the pricing snapshot",
    "aws:wafv2/webAcl:WebAcl": "AWS WAF web ACLs (the ACL, its rules, its requests): not priced, no WAF list price in the pricing snapshot",
    // The snapshot's vended-logs price is for logs ingested into CloudWatch Logs (its offer row's description).
    "aws:cloudwatch/logDelivery:LogDelivery": "vended log delivery: not priced, the pricing snapshot has the vended-logs price for CloudWatch Logs ingestion only, not for delivery to S3 or Firehose",
};

/** How a resource is priced: a family, a price of 0 with its source, a no-charge statement, included elsewhere, or not priced. */
export function priceResource(resource: PlanResource, ctx: CostContext): Pricing {
    const family = FAMILIES[resource.type];
    if (family) {
        return family(resource, ctx);
    }
    const statement = ctx.prices.noCharge(resource.type);
    if (statement) {
        return { lines: [], free: { note: statement.statement, source: `${statement.source} (${statement.asOf})` } };
    }
    if (resource.type === "aws:acm/certificate:Certificate") {
        const price = ctx.prices.get(priceId("ACM", "public certificate used with ACM-integrated services"));
        if (price && price.usd === 0 && resource.inputs.certificateAuthorityArn === undefined) {
            return { lines: [], free: { note: "public certificate used with ACM-integrated services", source: `${price.source} (${price.asOf})` } };
        }
    }
    if (INCLUDED[resource.type]) {
        return { lines: [], free: { note: INCLUDED[resource.type], included: true } };
    }
    if (resource.type.startsWith("random:") || resource.type.startsWith("tls:")) {
        return { lines: [], free: { note: "not a cloud resource: computed by its Pulumi provider", included: true } };
    }
    if (resource.type.startsWith("kubernetes:")) {
        return { lines: [], notPriced: ["runs on a Kubernetes cluster this stack does not create: the cluster's nodes carry its cost"] };
    }
    return { lines: [], notPriced: [NOT_PRICED[resource.type] ?? `${resource.type}: no price in the snapshot`] };
}
