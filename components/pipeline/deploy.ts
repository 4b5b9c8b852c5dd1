import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement } from "../common/iam";
import { PipelineContext, regionalArn } from "./context";
import { PipelineSpec } from "./spec";

/** The Deploy stage: an ECS deploy of the image definitions (UpdateService: ECS runs the service's own strategy, rolling or native blue/green, canary or linear); a failed deploy redeploys the image of the last successful execution. */
export function deployStage(spec: PipelineSpec): aws.types.input.codepipeline.PipelineStage {
    return {
        name: "Deploy",
        onFailure: { result: "ROLLBACK" },
        actions: [{
            name: "Deploy",
            category: "Deploy",
            owner: "AWS",
            provider: "ECS",
            version: "1",
            inputArtifacts: ["imagedefinitions"],
            configuration: {
                ClusterName: spec.service.clusterName,
                ServiceName: spec.service.serviceName,
                FileName: "imagedefinitions.json",
            },
        }],
    };
}

/** The ECS ARNs of the service: the service, its cluster, the cluster's tasks and the revisions of its family. */
export function ecsArns(ctx: PipelineContext, spec: PipelineSpec): { service: pulumi.Output<string>; cluster: pulumi.Output<string>; tasks: pulumi.Output<string>; family: pulumi.Output<string> } {
    const service = spec.service;
    const ecs = (resource: pulumi.Input<string>) => regionalArn(ctx, "ecs", resource);
    return {
        service: ecs(pulumi.interpolate`service/${service.clusterName}/${service.serviceName}`),
        cluster: ecs(pulumi.interpolate`cluster/${service.clusterName}`),
        tasks: ecs(pulumi.interpolate`task/${service.clusterName}/*`),
        // The resource type of ecs:RegisterTaskDefinition and ecs:RunTask is
        // task-definition/<family>:<revision> (IAM service authorization reference).
        family: ecs(pulumi.interpolate`task-definition/${service.taskDefinitionFamily}:*`),
    };
}

/** Passing exactly the service's task and execution roles, and only to ECS tasks. */
export function passServiceRolesStatement(spec: PipelineSpec): Statement {
    return {
        sid: "PassServiceRolesToEcs",
        actions: ["iam:PassRole"],
        resources: [spec.service.taskRoleArn, spec.service.executionRoleArn],
        conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    };
}

/**
 * What the pipeline role needs for the ECS deploy action: exactly the service, its tasks, its task
 * definition family and its two roles.
 */
export function deployStatements(ctx: PipelineContext, spec: PipelineSpec): Statement[] {
    const arns = ecsArns(ctx, spec);
    return [
        { sid: "DeployService", actions: ["ecs:DescribeServices", "ecs:UpdateService"], resources: [arns.service] },
        { sid: "WatchDeployment", actions: ["ecs:DescribeTasks"], resources: [arns.tasks] },
        { sid: "ListServiceTasks", actions: ["ecs:ListTasks"], resources: ["*"], conditions: { ArnEquals: { "ecs:cluster": arns.cluster } } },
        { sid: "DescribeTaskDefinitions", actions: ["ecs:DescribeTaskDefinition"], resources: ["*"] },
        // The deploy action registers a new revision (the service's current one with the new
        // image): only in the service's own family.
        { sid: "RegisterTaskDefinitionRevisions", actions: ["ecs:RegisterTaskDefinition"], resources: [arns.family] },
        {
            sid: "TagNewTaskDefinitionRevisions",
            actions: ["ecs:TagResource"],
            resources: [regionalArn(ctx, "ecs", "task-definition/*")],
            conditions: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
        },
        passServiceRolesStatement(spec),
    ];
}
