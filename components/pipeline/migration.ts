/**
 * The migration gate: before Deploy, the new image runs its migration command as a one-off ECS task
 * in the service's own network configuration (its private subnets and security groups, read from
 * the service when the gate runs) with the service's task and execution roles, and a migration that
 * fails, or does not finish in time, stops the execution before the deploy.
 *
 * CodePipeline has no ECS run-task action (CodePipeline user guide, "Action structure reference":
 * the ECS providers are the deploy actions), so a CodeBuild action with its own role runs the task
 * through the ECS API and waits for its exit code. The build itself only calls AWS APIs: it needs no
 * VPC; the task runs in the VPC.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Statement } from "../common/iam";
import { Build, BuildInputs, buildProject } from "./builds";
import { PipelineContext } from "./context";
import { ecsArns, passServiceRolesStatement } from "./deploy";
import { PipelineSpec } from "./spec";

/** Environment variables the migration script reads; the project sets them. */
export const MIGRATION_ENV = {
    clusterName: "CLUSTER_NAME",
    serviceName: "SERVICE_NAME",
    family: "TASK_DEFINITION_FAMILY",
    containerName: "CONTAINER_NAME",
    command: "MIGRATION_COMMAND",
    timeoutMinutes: "MIGRATION_TIMEOUT_MINUTES",
    pollSeconds: "MIGRATION_POLL_SECONDS",
} as const;

/** Who started the task, as ECS records it (`startedBy`, at most 128 characters). */
export const MIGRATION_STARTED_BY = "scaling-toolkit-migration";

/**
 * Attributes DescribeTaskDefinition returns that RegisterTaskDefinition does not accept (the list
 * the aws-actions/amazon-ecs-deploy-task-definition action strips for the same reason).
 */
const READ_ONLY_TASK_DEFINITION_FIELDS = ["compatibilities", "taskDefinitionArn", "requiresAttributes", "revision", "status", "registeredAt", "deregisteredAt", "registeredBy"];

/**
 * The migration as one bash script (the build's only command; CodeBuild's curated Amazon Linux
 * images have bash, jq and the AWS CLI v2: aws/aws-codebuild-docker-images
 * al/x86_64/standard/5.0/Dockerfile @07a5b84e2be8 installs `jq` with yum and the CLI v2 bundle):
 * 1. the new image from `imagedefinitions.json` (the artifact the deploy will use);
 * 2. the service's current task definition with that image, registered as a revision of the
 *    service's family (the same revision the deploy action is about to register);
 * 3. `ecs run-task` with the service's network configuration, launch type or capacity providers and
 *    platform version, and the container's command replaced by the migration command;
 * 4. waits until the task stops (at most the timeout, then stops it) and exits with success only
 *    when the container exited 0.
 */
export function migrationScript(): string {
    const e = MIGRATION_ENV;
    const v = (name: string) => `"$${name}"`;
    return [
        "set -euo pipefail",
        `IMAGE_URI=$(jq -r --arg c ${v(e.containerName)} '.[] | select(.name == $c) | .imageUri' imagedefinitions.json)`,
        `test -n "$IMAGE_URI" || { echo "imagedefinitions.json names no image for container $${e.containerName}"; exit 1; }`,
        `SERVICE=$(aws ecs describe-services --cluster ${v(e.clusterName)} --services ${v(e.serviceName)} --query 'services[0]' --output json)`,
        `test "$(jq -r '.status // empty' <<<"$SERVICE")" = ACTIVE || { echo "service $${e.serviceName} is not ACTIVE in cluster $${e.clusterName}"; exit 1; }`,
        `jq -e '.networkConfiguration.awsvpcConfiguration.subnets | length > 0' <<<"$SERVICE" >/dev/null || { echo "service $${e.serviceName} has no awsvpc network configuration to run the migration in"; exit 1; }`,
        `aws ecs describe-task-definition --task-definition "$(jq -r .taskDefinition <<<"$SERVICE")" --query taskDefinition --output json > service-task-definition.json`,
        `test "$(jq -r .family service-task-definition.json)" = ${v(e.family)} || { echo "the service's task definition is not of family $${e.family}"; exit 1; }`,
        `jq --arg c ${v(e.containerName)} --arg image "$IMAGE_URI" 'del(${READ_ONLY_TASK_DEFINITION_FIELDS.map((f) => `.${f}`).join(", ")}) | .containerDefinitions |= map(if .name == $c then .image = $image else . end)' service-task-definition.json > migration-task-definition.json`,
        `REVISION=$(aws ecs register-task-definition --cli-input-json file://migration-task-definition.json --query taskDefinition.taskDefinitionArn --output text)`,
        `jq -n --argjson svc "$SERVICE" --arg td "$REVISION" --arg c ${v(e.containerName)} --argjson command ${v(e.command)} '{cluster: $svc.clusterArn, taskDefinition: $td, count: 1, startedBy: "${MIGRATION_STARTED_BY}", networkConfiguration: $svc.networkConfiguration, overrides: {containerOverrides: [{name: $c, command: $command}]}} + (if ($svc.capacityProviderStrategy // []) | length > 0 then {capacityProviderStrategy: $svc.capacityProviderStrategy} else {launchType: $svc.launchType} end) + (if $svc.platformVersion then {platformVersion: $svc.platformVersion} else {} end)' > run-task.json`,
        `aws ecs run-task --cli-input-json file://run-task.json --output json > run-task-result.json`,
        `TASK=$(jq -r '.tasks[0].taskArn // empty' run-task-result.json)`,
        `test -n "$TASK" || { echo "the migration task did not start: $(jq -c '.failures' run-task-result.json)"; exit 1; }`,
        `echo "migration task $TASK started with $IMAGE_URI"`,
        `DEADLINE=$(( $(date +%s) + $${e.timeoutMinutes} * 60 ))`,
        `until [ "$(aws ecs describe-tasks --cluster ${v(e.clusterName)} --tasks "$TASK" --query 'tasks[0].lastStatus' --output text)" = STOPPED ]; do ` +
            `if [ "$(date +%s)" -ge "$DEADLINE" ]; then aws ecs stop-task --cluster ${v(e.clusterName)} --task "$TASK" --reason "migration timed out" >/dev/null; ` +
            `echo "the migration did not finish in $${e.timeoutMinutes} minutes: task stopped, nothing deployed"; exit 1; fi; sleep "\${${e.pollSeconds}:-15}"; done`,
        `aws ecs describe-tasks --cluster ${v(e.clusterName)} --tasks "$TASK" --query 'tasks[0]' --output json > stopped-task.json`,
        `EXIT_CODE=$(jq -r --arg c ${v(e.containerName)} '.containers[] | select(.name == $c) | .exitCode // "none"' stopped-task.json)`,
        `echo "migration task stopped ($(jq -r '.stopCode // "no stop code"' stopped-task.json): $(jq -r '.stoppedReason // ""' stopped-task.json)); container $${e.containerName} exit code $EXIT_CODE"`,
        `test "$EXIT_CODE" = 0 || { echo "the migration failed: nothing deployed"; exit 1; }`,
    ].join("\n");
}

/**
 * The buildspec (version 0.2): the script as the build phase's one command, aborting on failure. It
 * runs in a subshell, so its `set -euo pipefail` does not leak into the shell CodeBuild runs its
 * own steps in; the subshell's exit status is the command's.
 */
export function migrationBuildspec(): string {
    return JSON.stringify({
        version: "0.2",
        env: { shell: "bash" },
        phases: { build: { "on-failure": "ABORT", commands: [`(\n${migrationScript()}\n)`] } },
    }, null, 2);
}

/**
 * What the migration build may do: read the service (its task definition and network
 * configuration), register revisions of the service's family only, run them only in the service's
 * cluster, watch and stop the tasks of that cluster, and pass the service's two roles to ECS tasks.
 */
export function migrationStatements(ctx: PipelineContext, spec: PipelineSpec, key: pulumi.Input<string>): Statement[] {
    const arns = ecsArns(ctx, spec);
    return [
        { sid: "DecryptArtifacts", actions: ["kms:Decrypt"], resources: [key] },
        { sid: "ReadService", actions: ["ecs:DescribeServices"], resources: [arns.service] },
        { sid: "DescribeTaskDefinitions", actions: ["ecs:DescribeTaskDefinition"], resources: ["*"] },
        { sid: "RegisterMigrationRevisions", actions: ["ecs:RegisterTaskDefinition"], resources: [arns.family] },
        { sid: "RunMigrationTask", actions: ["ecs:RunTask"], resources: [arns.family], conditions: { ArnEquals: { "ecs:cluster": arns.cluster } } },
        { sid: "WatchMigrationTask", actions: ["ecs:DescribeTasks", "ecs:StopTask"], resources: [arns.tasks] },
        passServiceRolesStatement(spec),
    ];
}

/** The migration's CodeBuild project and role, when a migration is configured. */
export function migrationBuild(ctx: PipelineContext, spec: PipelineSpec, inputs: BuildInputs): Build | undefined {
    const migration = spec.migration;
    if (migration === undefined) {
        return undefined;
    }
    const e = MIGRATION_ENV;
    const service = spec.service;
    const plain = (name: string, value: pulumi.Input<string>) => ({ name, value, type: "PLAINTEXT" });
    return buildProject(ctx, spec, inputs, {
        id: "migrate",
        description: `Runs the migration of ${spec.repository} as a one-off ECS task before pipeline ${ctx.name} deploys`,
        privileged: false,
        buildspec: migrationBuildspec(),
        statements: migrationStatements(ctx, spec, inputs.key.arn),
        environmentVariables: [
            plain(e.clusterName, service.clusterName),
            plain(e.serviceName, service.serviceName),
            plain(e.family, service.taskDefinitionFamily),
            plain(e.containerName, spec.containerName),
            plain(e.command, JSON.stringify(migration.command)),
            plain(e.timeoutMinutes, String(migration.timeoutMinutes)),
        ],
        // The script stops the task at its own deadline; the build's timeout only backs it up.
        timeoutMinutes: migration.timeoutMinutes + MIGRATION_BUILD_MARGIN_MINUTES,
    });
}

/** Minutes the build may run beyond the migration's timeout (starting the task, stopping it). */
export const MIGRATION_BUILD_MARGIN_MINUTES = 10;

/**
 * The Migrate stage, between the approval and the deploy: the migration build on the image
 * definitions. A failure fails the execution (no rollback: a migration cannot be undone by
 * redeploying), so the Deploy stage never starts.
 */
export function migrationStages(build: Build | undefined): aws.types.input.codepipeline.PipelineStage[] {
    if (build === undefined) {
        return [];
    }
    return [{
        name: "Migrate",
        onFailure: { result: "FAIL" },
        actions: [{
            name: "Migrate",
            category: "Build",
            owner: "AWS",
            provider: "CodeBuild",
            version: "1",
            inputArtifacts: ["imagedefinitions"],
            configuration: { ProjectName: build.project.name },
        }],
    }];
}
