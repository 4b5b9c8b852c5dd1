import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./context";
import { ECS_STRATEGY } from "./deploymentSpec";
import { AwsServiceSpec } from "./spec";
import { lifecycleHookRole, TrafficShifting } from "./trafficShifting";

export interface EcsService {
    cluster: aws.ecs.Cluster;
    service: aws.ecs.Service;
}

export interface EcsServiceInputs {
    taskDefinition: aws.ecs.TaskDefinition;
    securityGroupId: pulumi.Input<string>;
    targetGroup: aws.lb.TargetGroup;
    listeners: aws.lb.Listener[];
    /** The alarms a deployment rolls back on. */
    deploymentAlarmNames: pulumi.Input<string>[];
    /** With a native deployment strategy: the second target group, the rules and the role ECS shifts traffic with. */
    shifting?: TrafficShifting;
}

/** The cluster (Container Insights on) and the Fargate service behind the target group. */
export function ecsService(ctx: AwsContext, spec: AwsServiceSpec, inputs: EcsServiceInputs): EcsService {
    const cluster = new aws.ecs.Cluster(ctx.child("cluster"), {
        settings: [{ name: "containerInsights", value: "enabled" }],
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    const hooks = lifecycleHookRole(ctx, spec);
    const shifting = inputs.shifting;
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
        loadBalancers: [{
            targetGroupArn: inputs.targetGroup.arn,
            containerName: spec.container.name,
            containerPort: spec.container.port,
            advancedConfiguration: shifting === undefined ? undefined : {
                alternateTargetGroupArn: shifting.alternateTargetGroup.arn,
                productionListenerRule: shifting.productionRule.arn,
                testListenerRule: shifting.testRule?.arn,
                roleArn: shifting.role.arn,
            },
        }],
        // The startup tolerance: failing load balancer health checks do not stop a task this soon.
        healthCheckGracePeriodSeconds: spec.startupToleranceSeconds,
        ...deploymentInputs(spec, inputs.deploymentAlarmNames, hooks?.role.arn),
        enableExecuteCommand: false,
        propagateTags: "SERVICE",
        enableEcsManagedTags: true,
        tags: ctx.tags,
    }, ctx.kit.opts({
        // Autoscaling owns the running count: a deploy must not reset it to the minimum. A pipeline
        // that deploys images owns the task definition revision.
        ignoreChanges: spec.externalDeployments ? ["desiredCount", "taskDefinition"] : ["desiredCount"],
        // ECS refuses a service whose target group no listener forwards to yet ("does not have an
        // associated load balancer"); the HTTPS listener waits on certificate validation. The roles'
        // policies outlive the service (the provider's note: else a deletion can stick in DRAINING).
        dependsOn: [
            inputs.targetGroup, ...inputs.listeners,
            ...(shifting ? [shifting.alternateTargetGroup, shifting.productionRule, ...(shifting.testRule ? [shifting.testRule] : []), shifting.rolePolicy] : []),
            ...(hooks ? [hooks.policy] : []),
        ],
    }));
    return { cluster, service };
}

/**
 * The deployment settings of the service. Rolling keeps the circuit breaker (it "can only be used
 * for services using the rolling update deployment type", ECS API reference DeploymentConfiguration);
 * the native strategies turn it off explicitly (an omitted block would leave it as it was) and take
 * the bake times and hooks. Deployment alarms apply to every strategy of the ECS controller.
 */
function deploymentInputs(spec: AwsServiceSpec, alarmNames: pulumi.Input<string>[], hookRoleArn?: pulumi.Input<string>): Partial<aws.ecs.ServiceArgs> {
    const d = spec.deployment;
    return {
        deploymentCircuitBreaker: { enable: !d.native, rollback: !d.native },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        deploymentConfiguration: {
            strategy: ECS_STRATEGY[d.strategy],
            ...(d.native ? { bakeTimeInMinutes: String(d.bakeTimeMinutes) } : {}),
            ...(d.canary ? { canaryConfiguration: { canaryPercent: d.canary.percent, canaryBakeTimeInMinutes: String(d.canary.bakeTimeMinutes) } } : {}),
            ...(d.linear ? { linearConfiguration: { stepPercent: d.linear.stepPercent, stepBakeTimeInMinutes: String(d.linear.stepBakeTimeMinutes) } } : {}),
            ...(d.hooks.length > 0 ? {
                lifecycleHooks: d.hooks.map((h) => ({
                    hookTargetArn: h.functionArn,
                    roleArn: hookRoleArn,
                    lifecycleStages: h.stages,
                    ...(h.details !== undefined ? { hookDetails: JSON.stringify(h.details) } : {}),
                })),
            } : {}),
        },
        // Turned off explicitly too: the provider keeps an omitted block as it was (as AWS CDK renders it, no alarm names).
        alarms: d.rollbackOnAlarms ? { enable: true, rollback: true, alarmNames } : { enable: false, rollback: false, alarmNames: [] },
    };
}
