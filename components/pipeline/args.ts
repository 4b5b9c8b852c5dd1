import * as pulumi from "@pulumi/pulumi";
import { CommonArgs } from "../common/component";
import { CpuArchitecture } from "../common/enums";

/** CodeBuild compute sizes the pipeline's builds may use. */
export enum BuildComputeType {
    /** 2 vCPU, 3 GB (x86) / 4 GB (ARM). */
    Small = "BUILD_GENERAL1_SMALL",
    /** 4 vCPU, 7 GB (x86) / 8 GB (ARM). */
    Medium = "BUILD_GENERAL1_MEDIUM",
    /** 8 vCPU, 15 GB (x86) / 16 GB (ARM). */
    Large = "BUILD_GENERAL1_LARGE",
}

/**
 * The ECS service the pipeline deploys to. A `LoadBalancedService` satisfies this: pass it directly.
 */
export interface PipelineServiceArgs {
    /** Name of the ECS cluster running the service. */
    clusterName: pulumi.Input<string>;
    /** Name of the ECS service. */
    serviceName: pulumi.Input<string>;
    /** The service's task definition family: the deploy action registers revisions in it, and only in it. */
    taskDefinitionFamily: pulumi.Input<string>;
    /** The service's task role: the deploy action may pass it (and only it and the execution role) to ECS. */
    taskRoleArn: pulumi.Input<string>;
    /** The service's task execution role. */
    executionRoleArn: pulumi.Input<string>;
}

/** A manual approval between the image build and the deploy. */
export interface ManualApprovalArgs {
    /** Hold every deploy until a person approves it. */
    enabled: boolean;
    /**
     * SNS topic that tells approvers a deploy is waiting. Required when enabled: an approval nobody
     * hears about blocks the pipeline until it expires after 7 days.
     * @default none
     */
    notificationTopicArn?: pulumi.Input<string>;
    /**
     * Customer-managed KMS key encrypting that topic, if any: the pipeline role may use it to publish.
     * @default none (an unencrypted topic or one using the AWS-managed key)
     */
    notificationTopicKmsKeyArn?: pulumi.Input<string>;
    /**
     * Text shown to approvers.
     * @default "Approve deploying <repository>@<branch> to the ECS service"
     */
    comment?: string;
}

/**
 * The migration gate: before the deploy, the new image runs `command` as a one-off ECS task in the
 * service's cluster, subnets and security groups (read from the service when the gate runs) with its
 * task and execution roles; only exit code 0 lets the deploy proceed.
 */
export interface MigrationArgs {
    /**
     * The migration command in exec form, replacing the container's command in the one-off task, for
     * example `["npm", "run", "migrate"]`. It must be safe to run twice (a retried execution runs it
     * again) and keep the running code working (expand first, contract after the deploy).
     * @default none (required)
     */
    command: string[];
    /**
     * Minutes the migration may run; then the task is stopped and the execution fails before the
     * deploy.
     * @default 30
     */
    timeoutMinutes?: number;
}

export interface CiCdPipelineArgs extends CommonArgs {
    /** The ECS service to deploy to; pass a `LoadBalancedService`. */
    service: PipelineServiceArgs;
    /**
     * ARN of the CodeStar (CodeConnections) connection to the Git host; create it and complete the
     * handshake in the console first.
     * @default none (required)
     */
    connectionArn: pulumi.Input<string>;
    /**
     * The repository as `owner/name`.
     * @default none (required)
     */
    repository: string;
    /**
     * The branch that is built and deployed; pushes to it start the pipeline.
     * @default "main"
     */
    branch?: string;
    /**
     * Target branches whose pull requests (opened or updated) are tested. They run in a separate
     * tests-only pipeline (`<name>-pr-pipeline`: source and an unprivileged test build, no image, no
     * deploy); the main pipeline starts on pushes to `branch` only. Needs no `manualApproval`: a
     * pull request's code never reaches a privileged build or the deploy.
     * @default [] (pull requests are not tested)
     */
    pullRequestBranches?: string[];
    /**
     * Commands the test build runs from the repository root (ignored when `testBuildspec` is given).
     * @default ["npm ci", "npm test"]
     */
    testCommands?: string[];
    /**
     * The caller's buildspec for the test build: inline YAML, or a path in the repository.
     * @default a buildspec running `testCommands`
     */
    testBuildspec?: string;
    /**
     * The caller's buildspec for the image build: inline YAML, or a path in the repository. It must
     * push to the repository in `$REPOSITORY_URI` with tag `$IMAGE_TAG` and write
     * `imagedefinitions.json` naming the container `$CONTAINER_NAME`.
     * @default a buildspec doing exactly that with `docker build`
     */
    imageBuildspec?: string;
    /**
     * Dockerfile path for the default image buildspec.
     * @default "Dockerfile"
     */
    dockerfile?: string;
    /**
     * Docker build context for the default image buildspec.
     * @default "."
     */
    dockerContext?: string;
    /**
     * The container in the service's task definition whose image is replaced on deploy.
     * @default "app" (the container a LoadBalancedService defines)
     */
    containerName?: string;
    /**
     * Name of the ECR repository created for the images (lowercase).
     * @default the component name
     */
    repositoryName?: string;
    /**
     * Images the repository keeps; older ones expire.
     * @default 30
     */
    imageRetentionCount?: number;
    /**
     * A manual approval before the deploy (with an SNS notification to approvers).
     * @default { enabled: false }
     */
    manualApproval?: ManualApprovalArgs;
    /**
     * Run the new image's migration command as a one-off task before every deploy; a failed
     * migration stops the deploy.
     * @default none (no migration stage)
     */
    migration?: MigrationArgs;
    /**
     * CodeBuild compute size of the builds.
     * @default BuildComputeType.Small
     */
    buildComputeType?: BuildComputeType;
    /**
     * CPU architecture of the builds: match the service's `cpuArchitecture`.
     * @default CpuArchitecture.X86_64
     */
    buildArchitecture?: CpuArchitecture;
    /**
     * Minutes after which a build is stopped.
     * @default 30
     */
    buildTimeoutMinutes?: number;
    /**
     * Days build logs are kept.
     * @default 30
     */
    logRetentionDays?: number;
    /**
     * Days pipeline artifacts (and their old versions) are kept in the artifact bucket.
     * @default 30
     */
    artifactRetentionDays?: number;
}
