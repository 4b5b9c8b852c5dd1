import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement } from "../common/iam";
import { PipelineContext, regionalArn } from "./context";
import { PipelineSpec } from "./spec";

/** The Deploy stage: an ECS rolling deploy of the image definitions; a failed deploy redeploys the image of the last successful execution. */
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

/**
 * What the pipeline role needs for the ECS deploy action: exactly the service, its tasks, its task
 * definition family and its two roles.
 */
export function deployStatements(ctx: PipelineContext, spec: PipelineSpec): Statement[] {
    const service = spec.service;
    const ecs = (resource: pulumi.Input<string>) => regionalArn(ctx, "ecs", resource);
    return [
        { sid: "DeployService", actions: ["ecs:DescribeServices", "ecs:UpdateService"], resources: [ecs(pulumi.interpolate`service/${service.clusterName}/${service.serviceName}`)] },
        { sid: "WatchDeployment", actions: ["ecs:DescribeTasks"], resources: [ecs(pulumi.interpolate`task/${service.clusterName}/*`)] },
        { sid: "ListServiceTasks", actions: ["ecs:ListTasks"], resources: ["*"], conditions: { ArnEquals: { "ecs:cluster": ecs(pulumi.interpolate`cluster/${service.clusterName}`) } } },
        { sid: "DescribeTaskDefinitions", actions: ["ecs:DescribeTaskDefinition"], resources: ["*"] },
        // The deploy action registers a new revision (the service's current one with the new
        // image). The action's resource type is task-definition/<family>:<revision> (IAM service
        // authorization reference): only the service's own family.
        { sid: "RegisterTaskDefinitionRevisions", actions: ["ecs:RegisterTaskDefinition"], resources: [ecs(pulumi.interpolate`task-definition/${service.taskDefinitionFamily}:*`)] },
        {
            sid: "TagNewTaskDefinitionRevisions",
            actions: ["ecs:TagResource"],
            resources: [ecs("task-definition/*")],
            conditions: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
        },
        {
            sid: "PassServiceRolesToEcs",
            actions: ["iam:PassRole"],
            resources: [service.taskRoleArn, service.executionRoleArn],
            conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
    ];
}
