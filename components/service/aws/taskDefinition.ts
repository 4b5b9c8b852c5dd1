import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./context";
import { ServiceRoles } from "./roles";
import { AwsServiceSpec } from "./spec";

/** The Fargate task: one non-root container with a read-only root and a writable /tmp. */
export function taskDefinition(ctx: AwsContext, spec: AwsServiceSpec, inputs: { roles: ServiceRoles; logGroupName: pulumi.Input<string> }): aws.ecs.TaskDefinition {
    return new aws.ecs.TaskDefinition(ctx.child("task"), {
        family: ctx.name,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(spec.cpu),
        memory: String(spec.memory),
        executionRoleArn: inputs.roles.execution.arn,
        taskRoleArn: inputs.roles.task.arn,
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: spec.cpuArchitecture },
        volumes: [{ name: "tmp" }],
        containerDefinitions: containerDefinitions(ctx, spec, inputs.logGroupName),
        tags: ctx.tags,
    }, ctx.kit.childOpts);
}

/** The container definitions JSON: environment and secrets as the spec sorted them. */
function containerDefinitions(ctx: AwsContext, spec: AwsServiceSpec, logGroupName: pulumi.Input<string>): pulumi.Output<string> {
    const c = spec.container;
    const secrets = spec.containerSecrets.map((s) => pulumi.output(s.reference).apply((valueFrom) => ({ name: s.name, valueFrom })));
    return pulumi.all([c.image, logGroupName, ctx.region, c.environment, pulumi.all(secrets)])
        .apply(([image, group, region, environment, resolvedSecrets]) => JSON.stringify([{
            name: c.name,
            image,
            essential: true,
            ...(c.command !== undefined ? { command: c.command } : {}),
            user: c.user.text,
            readonlyRootFilesystem: true,
            portMappings: [{ containerPort: c.port, protocol: "tcp" }],
            environment,
            secrets: resolvedSecrets,
            mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
            stopTimeout: 30,
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": group, "awslogs-region": region, "awslogs-stream-prefix": c.name },
            },
        }]));
}
