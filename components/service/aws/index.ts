import * as pulumi from "@pulumi/pulumi";
import { ComponentContext, typeToken } from "../../common/component";
import { publish } from "../../common/publish";
import { serviceUrl } from "../spec";
import { alarms } from "./alarms";
import { LoadBalancedServiceArgs } from "./args";
import { serviceCdn } from "./cdn";
import { certificate } from "./certificate";
import { awsContext } from "./context";
import { ecsService } from "./ecsService";
import { loadBalancer } from "./loadBalancer";
import { containerLogs } from "./logs";
import { roles } from "./roles";
import { scaling } from "./scaling";
import { securityGroups } from "./securityGroups";
import { serviceSlo } from "./slo";
import { COMPONENT, resolveAwsSpec } from "./spec";
import { taskDefinition } from "./taskDefinition";
import { trafficShifting } from "./trafficShifting";

export * from "./args";
export { ecrRepositoryArnOf, secretArnOf } from "./ecr";

/**
 * The guide's load balancing made real on AWS: an Application Load Balancer terminating TLS in the
 * public subnets, an ECS Fargate service in the private subnets that only the load balancer can
 * reach, autoscaling on CPU, memory and request count, and alarms on errors and latency.
 */
export class LoadBalancedService extends pulumi.ComponentResource {
    /** `https://` URL of the service (the domain name, else the load balancer's DNS name). */
    public readonly url!: pulumi.Output<string>;
    /** The load balancer's DNS name (the alias record points at it). */
    public readonly loadBalancerDnsName!: pulumi.Output<string>;
    /** The load balancer's ARN. */
    public readonly loadBalancerArn!: pulumi.Output<string>;
    /** The `app/<name>/<id>` suffix CloudWatch uses as the LoadBalancer dimension. */
    public readonly loadBalancerArnSuffix!: pulumi.Output<string>;
    /** The `targetgroup/<name>/<id>` suffix CloudWatch uses as the TargetGroup dimension. */
    public readonly targetGroupArnSuffix!: pulumi.Output<string>;
    /** The ECS cluster the service runs in. */
    public readonly clusterName!: pulumi.Output<string>;
    /** The ECS service name. */
    public readonly serviceName!: pulumi.Output<string>;
    /** The task definition family: a pipeline registers its revisions under it. */
    public readonly taskDefinitionFamily!: pulumi.Output<string>;
    /** The tasks' security group: admit it on a cache or database to let exactly this service in. */
    public readonly securityGroupId!: pulumi.Output<string>;
    /** The load balancer's security group. */
    public readonly loadBalancerSecurityGroupId!: pulumi.Output<string>;
    /** The role the application runs as; empty by default, attach policies to extend it. */
    public readonly taskRoleArn!: pulumi.Output<string>;
    /** Name of the task role, for attaching policies. */
    public readonly taskRoleName!: pulumi.Output<string>;
    /** The role ECS uses to pull the image, read the named secrets and write logs. */
    public readonly executionRoleArn!: pulumi.Output<string>;
    /** The CloudWatch log group of the containers. */
    public readonly logGroupName!: pulumi.Output<string>;
    /** The SNS topic the alarms notify (the given one or the created one). */
    public readonly alarmTopicArn!: pulumi.Output<string>;
    /** The CloudFront distribution's id, with `cdn`. */
    public readonly distributionId!: pulumi.Output<string | undefined>;
    /** The distribution's own domain name (`d111111abcdef8.cloudfront.net`), with `cdn`. */
    public readonly distributionDomainName!: pulumi.Output<string | undefined>;

    constructor(name: string, args: LoadBalancedServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = resolveAwsSpec(name, args);
        super(typeToken(COMPONENT), name, {}, opts);
        const ctx = awsContext(this, name, new ComponentContext(this, COMPONENT, args));

        const groups = securityGroups(ctx, spec);
        const certificateArn = certificate(ctx, spec);
        const lb = loadBalancer(ctx, spec, { securityGroupId: groups.loadBalancer.id, certificateArn });
        const logGroup = containerLogs(ctx, spec);
        const iam = roles(ctx, spec, logGroup.arn);
        const task = taskDefinition(ctx, spec, { roles: iam, logGroupName: logGroup.name });
        const shifting = trafficShifting(ctx, spec, lb);
        const alerts = alarms(ctx, spec, lb, shifting?.alternateTargetGroup.arnSuffix);
        const ecs = ecsService(ctx, spec, {
            taskDefinition: task, securityGroupId: groups.tasks.id, targetGroup: lb.targetGroup, listeners: lb.listeners,
            deploymentAlarmNames: alerts.deploymentAlarmNames, shifting,
        });
        scaling(ctx, spec, ecs, lb, shifting?.alternateTargetGroup);
        const alarmTopicArn = alerts.topicArn;
        serviceSlo(ctx, spec, lb, alarmTopicArn);
        const edge = serviceCdn(ctx, spec, lb, groups.loadBalancer.id);

        publish<LoadBalancedService>(this, {
            url: serviceUrl(spec, lb.loadBalancer.dnsName),
            loadBalancerDnsName: lb.loadBalancer.dnsName,
            loadBalancerArn: lb.loadBalancer.arn,
            loadBalancerArnSuffix: lb.loadBalancer.arnSuffix,
            targetGroupArnSuffix: lb.targetGroup.arnSuffix,
            clusterName: ecs.cluster.name,
            serviceName: ecs.service.name,
            taskDefinitionFamily: task.family,
            securityGroupId: groups.tasks.id,
            loadBalancerSecurityGroupId: groups.loadBalancer.id,
            taskRoleArn: iam.task.arn,
            taskRoleName: iam.task.name,
            executionRoleArn: iam.execution.arn,
            logGroupName: logGroup.name,
            alarmTopicArn,
            distributionId: edge === undefined ? pulumi.output(undefined) : edge.distributionId,
            distributionDomainName: edge === undefined ? pulumi.output(undefined) : edge.distributionDomainName,
        });
    }
}
