import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./context";
import { AwsServiceSpec } from "./spec";

export interface EcsService {
    cluster: aws.ecs.Cluster;
    service: aws.ecs.Service;
}

/** The cluster (Container Insights on) and the Fargate service behind the target group. */
export function ecsService(
    ctx: AwsContext,
    spec: AwsServiceSpec,
    inputs: { taskDefinition: aws.ecs.TaskDefinition; securityGroupId: pulumi.Input<string>; targetGroup: aws.lb.TargetGroup; listeners: aws.lb.Listener[] },
): EcsService {
    const cluster = new aws.ecs.Cluster(ctx.child("cluster"), {
        settings: [{ name: "containerInsights", value: "enabled" }],
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    const service = new aws.ecs.Service(ctx.child("service"), {
        cluster: cluster.arn,
        taskDefinition: inputs.taskDefinition.arn,
        launchType: "FARGATE",
        platformVersion: "LATEST",
        desiredCount: spec.minCapacity,
        networkConfiguration: {
            subnets: spec.network.privateSubnetIds,
            securityGroups: [inputs.securityGroupId],
            assignPublicIp: false,
        },
        loadBalancers: [{ targetGroupArn: inputs.targetGroup.arn, containerName: spec.container.name, containerPort: spec.container.port }],
        // The startup tolerance: failing load balancer health checks do not stop a task this soon.
        healthCheckGracePeriodSeconds: spec.startupToleranceSeconds,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        enableExecuteCommand: false,
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        tags: ctx.tags,
    }, ctx.kit.opts({
        // Autoscaling owns the running count: a deploy must not reset it to the minimum. A pipeline
        // that deploys images owns the task definition revision.
        ignoreChanges: spec.externalDeployments ? ["desiredCount", "taskDefinition"] : ["desiredCount"],
        // ECS refuses a service whose target group no listener forwards to yet ("does not have an
        // associated load balancer"); the HTTPS listener waits on certificate validation.
        dependsOn: [inputs.targetGroup, ...inputs.listeners],
    }));
    return { cluster, service };
}
