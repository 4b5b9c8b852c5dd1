import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secureBucket } from "../common/bucket";
import { CommonArgs, ComponentContext, typeToken } from "../common/component";
import { ECR_LOGIN, policyDocument, serviceTrustPolicy, Statement, writeLogsStatement } from "../common/iam";
import { checkLogRetention, isKnownString, Validator } from "../common/validation";
import { CpuArchitecture } from "../common/enums";
import { IMAGE_BUILD_ENV, imageBuildspec, testBuildspec } from "./buildspecs";

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
     * Target branches whose pull requests (opened or updated) also start the pipeline. A pull-request
     * execution runs every stage with the pull request's code, so this requires `manualApproval`.
     * @default [] (no pull-request trigger)
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
     * CodeBuild compute size of both builds.
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

const COMPONENT = "CiCdPipeline";
const SOURCE_NAMESPACE = "SourceVariables";
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const ECR_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** ECS task definition family names: up to 255 letters, digits, hyphens and underscores (ECS RegisterTaskDefinition API). */
const TASK_DEFINITION_FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
/** Git ref names: no whitespace, no `..`, `~^:?*[\`, no leading `-` or `/`, no trailing `/` or `.lock`. */
const BRANCH = /^(?![-/])(?!.*\.\.)(?!.*\/$)(?!.*\.lock$)[^\s~^:?*[\\]+$/;
/** CodeBuild's curated Amazon Linux images, per architecture. */
const BUILD_IMAGES: Record<CpuArchitecture, { image: string; type: string }> = {
    [CpuArchitecture.X86_64]: { image: "aws/codebuild/amazonlinux-x86_64-standard:5.0", type: "LINUX_CONTAINER" },
    [CpuArchitecture.ARM64]: { image: "aws/codebuild/amazonlinux-aarch64-standard:3.0", type: "ARM_CONTAINER" },
};

/**
 * The guide's CI/CD practice for one service: a CodePipeline (V2) that takes a branch from a Git host
 * through a CodeStar connection, runs the tests, builds and pushes the container image to its own
 * ECR repository, optionally waits for a person to approve, and rolls the image out to the service's
 * ECS deployment. Everything it touches it creates, encrypts with its own KMS key and grants access
 * to by exact ARN; failures are announced on an SNS topic.
 */
export class CiCdPipeline extends pulumi.ComponentResource {
    /** The CodePipeline name. */
    public readonly pipelineName: pulumi.Output<string>;
    /** The CodePipeline ARN. */
    public readonly pipelineArn: pulumi.Output<string>;
    /** Where images are pushed (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** Pass in the service's `imageRepositoryArns` so its execution role may pull the images. */
    public readonly repositoryArn: pulumi.Output<string>;
    /** The KMS-encrypted S3 bucket holding pipeline artifacts. */
    public readonly artifactBucketName: pulumi.Output<string>;
    /** The KMS key encrypting artifacts, images, build logs and the notification topic. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** Pipeline failures are published here: subscribe to it. */
    public readonly notificationTopicArn: pulumi.Output<string>;
    /** The CloudWatch log group of the test and image builds. */
    public readonly logGroupName: pulumi.Output<string>;
    /** The role CodePipeline runs as. */
    public readonly pipelineRoleArn: pulumi.Output<string>;

    constructor(name: string, args: CiCdPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        const v = new Validator(COMPONENT, name);
        const branch = args.branch ?? "main";
        const pullRequestBranches = args.pullRequestBranches ?? [];
        const testCommands = args.testCommands ?? ["npm ci", "npm test"];
        const containerName = args.containerName ?? "app";
        const repositoryName = args.repositoryName ?? name;
        const imageRetentionCount = args.imageRetentionCount ?? 30;
        const approval = args.manualApproval ?? { enabled: false };
        const buildComputeType = args.buildComputeType ?? BuildComputeType.Small;
        const buildArchitecture = args.buildArchitecture ?? CpuArchitecture.X86_64;
        const buildTimeoutMinutes = args.buildTimeoutMinutes ?? 30;
        const logRetentionDays = args.logRetentionDays ?? 30;
        const artifactRetentionDays = args.artifactRetentionDays ?? 30;

        v.check(args.service !== undefined, "service", args.service, "a LoadBalancedService, or { clusterName, serviceName, taskDefinitionFamily, taskRoleArn, executionRoleArn }");
        const family = args.service?.taskDefinitionFamily;
        v.check(args.service === undefined || (family !== undefined && (!isKnownString(family) || TASK_DEFINITION_FAMILY.test(family))),
            "service.taskDefinitionFamily", family, "the service's task definition family: 1-255 letters, digits, - and _");
        v.check(args.connectionArn !== undefined && (!isKnownString(args.connectionArn) || CONNECTION_ARN.test(args.connectionArn)),
            "connectionArn", args.connectionArn, "the ARN of a CodeStar connection, such as \"arn:aws:codeconnections:eu-west-1:123456789012:connection/<id>\"");
        v.check(typeof args.repository === "string" && REPOSITORY.test(args.repository), "repository", args.repository, "the repository as \"owner/name\"");
        v.check(typeof branch === "string" && BRANCH.test(branch), "branch", branch, "a non-empty Git branch name such as \"main\"");
        pullRequestBranches.forEach((b, i) => v.check(typeof b === "string" && BRANCH.test(b), `pullRequestBranches[${i}]`, b, "a non-empty Git branch name"));
        v.check(pullRequestBranches.length === 0 || approval.enabled, "pullRequestBranches", pullRequestBranches,
            "[] unless manualApproval is enabled: a pull-request execution would otherwise deploy unreviewed code");
        v.check(args.testBuildspec !== undefined || (testCommands.length > 0 && testCommands.every((c) => c.trim().length > 0)),
            "testCommands", testCommands, "at least one non-empty command (the pipeline tests before it builds and deploys)");
        v.check(args.testBuildspec === undefined || args.testBuildspec.trim().length > 0, "testBuildspec", args.testBuildspec, "inline buildspec YAML or a path in the repository");
        v.check(args.imageBuildspec === undefined || args.imageBuildspec.trim().length > 0, "imageBuildspec", args.imageBuildspec, "inline buildspec YAML or a path in the repository");
        v.nonEmpty("dockerfile", args.dockerfile ?? "Dockerfile");
        v.nonEmpty("dockerContext", args.dockerContext ?? ".");
        v.check(CONTAINER_NAME.test(containerName), "containerName", containerName, "the container's name in the task definition (letters, digits, - and _)");
        v.check(repositoryName.length >= 2 && repositoryName.length <= 256 && ECR_NAME.test(repositoryName), "repositoryName", repositoryName,
            "an ECR repository name: 2-256 lowercase letters, digits and . _ - / separators");
        v.intRange("imageRetentionCount", imageRetentionCount, 1, 1000);
        const approvalTopic = approval.notificationTopicArn;
        v.check(!approval.enabled || (approvalTopic !== undefined && (!isKnownString(approvalTopic) || SNS_TOPIC_ARN.test(approvalTopic))),
            "manualApproval.notificationTopicArn", approvalTopic, "the ARN of an SNS topic approvers subscribe to (required when manualApproval is enabled)");
        v.oneOf("buildComputeType", buildComputeType, Object.values(BuildComputeType));
        v.oneOf("buildArchitecture", buildArchitecture, Object.values(CpuArchitecture));
        v.intRange("buildTimeoutMinutes", buildTimeoutMinutes, 5, 480);
        checkLogRetention(v, "logRetentionDays", logRetentionDays);
        v.intRange("artifactRetentionDays", artifactRetentionDays, 1, 3650);
        v.tags(args.tags);
        v.throwIfAny();

        super(typeToken(COMPONENT), name, {}, opts);
        const kit = new ComponentContext(this, COMPONENT, args);
        const tags = kit.tags;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const service = args.service;

        // --- One customer-managed key for artifacts, images, build logs and the notification topic.
        const logGroupName = `/scaling-toolkit/${name}/codebuild`;
        const logGroupArn = pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupName}`;
        const key = new aws.kms.Key(`${name}-key`, {
            description: `Encrypts the artifacts, images, build logs and notifications of pipeline ${name}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: keyPolicy(partition, region, accountId, logGroupArn),
            tags,
        }, kit.childOpts);

        // --- Where artifacts, images and logs go.
        const bucket = secureBucket(`${name}-artifacts`, {
            kmsKeyArn: key.arn,
            versioning: true,
            expireAfterDays: artifactRetentionDays,
        }, tags, kit.childOpts);
        const objects = pulumi.interpolate`${bucket.arn}/*`;

        const repository = new aws.ecr.Repository(`${name}-images`, {
            name: repositoryName,
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
            forceDelete: false,
            tags,
        }, kit.childOpts);
        new aws.ecr.LifecyclePolicy(`${name}-images`, {
            repository: repository.name,
            policy: JSON.stringify({
                rules: [{
                    rulePriority: 1,
                    description: `Keep the last ${imageRetentionCount} images`,
                    selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: imageRetentionCount },
                    action: { type: "expire" },
                }],
            }),
        }, kit.childOpts);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-build-logs`, {
            name: logGroupName,
            retentionInDays: logRetentionDays,
            kmsKeyId: key.arn,
            tags,
        }, kit.childOpts);

        // --- Builds: tests without Docker or registry rights; the image build alone is privileged.
        const codebuildTrust = serviceTrustPolicy("codebuild.amazonaws.com", accountId);
        const buildEnvironment = BUILD_IMAGES[buildArchitecture];
        const project = (id: string, description: string, privileged: boolean, buildspec: string, statements: Statement[],
            environmentVariables: aws.types.input.codebuild.ProjectEnvironmentEnvironmentVariable[]) => {
            const role = new aws.iam.Role(`${name}-${id}-build`, {
                assumeRolePolicy: codebuildTrust,
                description: `CodeBuild role of the ${id} build of pipeline ${name}`,
                tags,
            }, kit.childOpts);
            const policy = new aws.iam.RolePolicy(`${name}-${id}-build`, {
                role: role.id,
                policy: policyDocument([
                    writeLogsStatement("WriteBuildLogs", logGroup.arn),
                    { sid: "ReadSourceArtifact", actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [objects] },
                    { sid: "LocateArtifactBucket", actions: ["s3:GetBucketLocation"], resources: [bucket.arn] },
                    ...statements,
                ]),
            }, kit.childOpts);
            const built = new aws.codebuild.Project(`${name}-${id}`, {
                description,
                serviceRole: role.arn,
                source: { type: "CODEPIPELINE", buildspec },
                artifacts: { type: "CODEPIPELINE" },
                environment: {
                    type: buildEnvironment.type,
                    image: buildEnvironment.image,
                    computeType: buildComputeType,
                    imagePullCredentialsType: "CODEBUILD",
                    privilegedMode: privileged,
                    environmentVariables,
                },
                encryptionKey: key.arn,
                buildTimeout: buildTimeoutMinutes,
                queuedTimeout: 60,
                logsConfig: {
                    cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name, streamName: id },
                    s3Logs: { status: "DISABLED" },
                },
                tags,
            }, kit.opts({ dependsOn: [policy] }));
            return { role, project: built };
        };

        const test = project("test", `Runs the tests of ${args.repository} for pipeline ${name}`, false,
            args.testBuildspec ?? testBuildspec(testCommands),
            [{ sid: "DecryptArtifacts", actions: ["kms:Decrypt"], resources: [key.arn] }], []);
        const image = project("image", `Builds and pushes the image of ${args.repository} for pipeline ${name}`, true,
            args.imageBuildspec ?? imageBuildspec(),
            [
                { sid: "WriteImageDefinitions", actions: ["s3:PutObject"], resources: [objects] },
                { sid: "EncryptArtifacts", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: [key.arn] },
                ECR_LOGIN,
                {
                    sid: "PushImages",
                    actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages",
                        "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"],
                    resources: [repository.arn],
                },
            ],
            [
                { name: IMAGE_BUILD_ENV.repositoryUri, value: repository.repositoryUrl, type: "PLAINTEXT" },
                { name: IMAGE_BUILD_ENV.containerName, value: containerName, type: "PLAINTEXT" },
                { name: IMAGE_BUILD_ENV.dockerfile, value: args.dockerfile ?? "Dockerfile", type: "PLAINTEXT" },
                { name: IMAGE_BUILD_ENV.dockerContext, value: args.dockerContext ?? ".", type: "PLAINTEXT" },
            ]);

        // --- The pipeline role: exactly the bucket, key, connection, builds, service and roles it uses.
        const clusterArn = pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:cluster/${service.clusterName}`;
        const serviceArn = pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:service/${service.clusterName}/${service.serviceName}`;
        const taskDefinitionArns = pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:task-definition/${service.taskDefinitionFamily}:*`;
        const pipelineRole = new aws.iam.Role(`${name}-pipeline`, {
            assumeRolePolicy: serviceTrustPolicy("codepipeline.amazonaws.com", accountId),
            description: `CodePipeline role of pipeline ${name}`,
            tags,
        }, kit.childOpts);
        const pipelineStatements: Statement[] = [
            { sid: "UseArtifacts", actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], resources: [objects] },
            { sid: "InspectArtifactBucket", actions: ["s3:GetBucketLocation", "s3:GetBucketVersioning"], resources: [bucket.arn] },
            { sid: "EncryptArtifacts", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: [key.arn] },
            // Connections created before 2024 are `codestar-connections`, newer ones `codeconnections`.
            { sid: "UseConnection", actions: ["codeconnections:UseConnection", "codestar-connections:UseConnection"], resources: [args.connectionArn] },
            { sid: "RunBuilds", actions: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"], resources: [test.project.arn, image.project.arn] },
            { sid: "DeployService", actions: ["ecs:DescribeServices", "ecs:UpdateService"], resources: [serviceArn] },
            { sid: "WatchDeployment", actions: ["ecs:DescribeTasks"], resources: [pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:task/${service.clusterName}/*`] },
            { sid: "ListServiceTasks", actions: ["ecs:ListTasks"], resources: ["*"], conditions: { ArnEquals: { "ecs:cluster": clusterArn } } },
            { sid: "DescribeTaskDefinitions", actions: ["ecs:DescribeTaskDefinition"], resources: ["*"] },
            // The deploy action registers a new revision (the service's current one with the new
            // image). The action's resource type is task-definition/<family>:<revision> (IAM service
            // authorization reference): only the service's own family.
            { sid: "RegisterTaskDefinitionRevisions", actions: ["ecs:RegisterTaskDefinition"], resources: [taskDefinitionArns] },
            {
                sid: "TagNewTaskDefinitionRevisions",
                actions: ["ecs:TagResource"],
                resources: [pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:task-definition/*`],
                conditions: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } },
            },
            {
                sid: "PassServiceRolesToEcs",
                actions: ["iam:PassRole"],
                resources: [service.taskRoleArn, service.executionRoleArn],
                conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
            },
        ];
        if (approval.enabled) {
            pipelineStatements.push({ sid: "NotifyApprovers", actions: ["sns:Publish"], resources: [approval.notificationTopicArn!] });
            if (approval.notificationTopicKmsKeyArn !== undefined) {
                pipelineStatements.push({ sid: "EncryptApprovalNotifications", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [approval.notificationTopicKmsKeyArn] });
            }
        }
        const pipelinePolicy = new aws.iam.RolePolicy(`${name}-pipeline`, {
            role: pipelineRole.id,
            policy: policyDocument(pipelineStatements),
        }, kit.childOpts);
        // --- The pipeline: source -> test -> image -> (approval) -> deploy.
        const stages: aws.types.input.codepipeline.PipelineStage[] = [
            {
                name: "Source",
                actions: [{
                    name: "Source",
                    category: "Source",
                    owner: "AWS",
                    provider: "CodeStarSourceConnection",
                    version: "1",
                    namespace: SOURCE_NAMESPACE,
                    outputArtifacts: ["source"],
                    configuration: {
                        ConnectionArn: args.connectionArn,
                        FullRepositoryId: args.repository,
                        BranchName: branch,
                        OutputArtifactFormat: "CODE_ZIP",
                    },
                }],
            },
            {
                name: "Test",
                actions: [{
                    name: "Test",
                    category: "Build",
                    owner: "AWS",
                    provider: "CodeBuild",
                    version: "1",
                    inputArtifacts: ["source"],
                    configuration: { ProjectName: test.project.name },
                }],
            },
            {
                name: "Build",
                actions: [{
                    name: "Image",
                    category: "Build",
                    owner: "AWS",
                    provider: "CodeBuild",
                    version: "1",
                    inputArtifacts: ["source"],
                    outputArtifacts: ["imagedefinitions"],
                    configuration: {
                        ProjectName: image.project.name,
                        EnvironmentVariables: JSON.stringify([
                            { name: IMAGE_BUILD_ENV.imageTag, value: `#{${SOURCE_NAMESPACE}.CommitId}`, type: "PLAINTEXT" },
                        ]),
                    },
                }],
            },
        ];
        if (approval.enabled) {
            stages.push({
                name: "Approve",
                actions: [{
                    name: "Approve",
                    category: "Approval",
                    owner: "AWS",
                    provider: "Manual",
                    version: "1",
                    configuration: {
                        NotificationArn: approval.notificationTopicArn!,
                        CustomData: approval.comment ?? `Approve deploying ${args.repository}@${branch} (commit #{${SOURCE_NAMESPACE}.CommitId}) to the ECS service`,
                    },
                }],
            });
        }
        stages.push({
            name: "Deploy",
            // A failed deploy redeploys the image of the last successful execution.
            onFailure: { result: "ROLLBACK" },
            actions: [{
                name: "Deploy",
                category: "Deploy",
                owner: "AWS",
                provider: "ECS",
                version: "1",
                inputArtifacts: ["imagedefinitions"],
                configuration: {
                    ClusterName: service.clusterName,
                    ServiceName: service.serviceName,
                    FileName: "imagedefinitions.json",
                },
            }],
        });

        const pipeline = new aws.codepipeline.Pipeline(`${name}-pipeline`, {
            pipelineType: "V2",
            executionMode: "SUPERSEDED",
            roleArn: pipelineRole.arn,
            artifactStores: [{ type: "S3", location: bucket.bucket, encryptionKey: { type: "KMS", id: key.arn } }],
            triggers: [{
                providerType: "CodeStarSourceConnection",
                gitConfiguration: {
                    sourceActionName: "Source",
                    pushes: [{ branches: { includes: [branch] } }],
                    pullRequests: pullRequestBranches.length > 0
                        ? [{ events: ["OPEN", "UPDATED"], branches: { includes: pullRequestBranches } }]
                        : undefined,
                },
            }],
            stages,
            tags,
        }, kit.opts({ dependsOn: [pipelinePolicy] }));

        // --- Failure notifications: pipeline executions that fail publish to an encrypted topic.
        const topic = new aws.sns.Topic(`${name}-notifications`, { kmsMasterKeyId: key.arn, tags }, kit.childOpts);
        const rule = new aws.cloudwatch.EventRule(`${name}-failed`, {
            description: `Executions of pipeline ${name} that fail`,
            eventPattern: pulumi.jsonStringify({
                "source": ["aws.codepipeline"],
                "detail-type": ["CodePipeline Pipeline Execution State Change"],
                "detail": { pipeline: [pipeline.name], state: ["FAILED"] },
            }),
            tags,
        }, kit.childOpts);
        new aws.sns.TopicPolicy(`${name}-notifications`, {
            arn: topic.arn,
            policy: policyDocument([{
                sid: "EventBridgePublishesPipelineFailures",
                principals: { Service: "events.amazonaws.com" },
                actions: ["sns:Publish"],
                resources: [topic.arn],
                conditions: { ArnEquals: { "aws:SourceArn": rule.arn } },
            }]),
        }, kit.childOpts);
        new aws.cloudwatch.EventTarget(`${name}-failed`, {
            rule: rule.name,
            arn: topic.arn,
            inputTransformer: {
                inputPaths: { pipeline: "$.detail.pipeline", execution: "$.detail.execution-id", state: "$.detail.state" },
                inputTemplate: "\"Pipeline <pipeline> execution <execution> is <state>.\"",
            },
        }, kit.childOpts);

        this.pipelineName = pipeline.name;
        this.pipelineArn = pipeline.arn;
        this.repositoryUrl = repository.repositoryUrl;
        this.repositoryArn = repository.arn;
        this.artifactBucketName = bucket.bucket;
        this.kmsKeyArn = key.arn;
        this.notificationTopicArn = topic.arn;
        this.logGroupName = logGroup.name;
        this.pipelineRoleArn = pipelineRole.arn;
        this.registerOutputs({
            pipelineName: this.pipelineName,
            pipelineArn: this.pipelineArn,
            repositoryUrl: this.repositoryUrl,
            repositoryArn: this.repositoryArn,
            artifactBucketName: this.artifactBucketName,
            kmsKeyArn: this.kmsKeyArn,
            notificationTopicArn: this.notificationTopicArn,
            logGroupName: this.logGroupName,
        });
    }
}

/**
 * The key policy: the account administers the key through IAM (the AWS default), CloudWatch Logs may
 * use it for exactly the build log group, and EventBridge may use it to publish to the encrypted
 * notification topic (whose own policy admits only the pipeline's failure rule).
 */
function keyPolicy(partition: pulumi.Output<string>, region: pulumi.Output<string>, accountId: pulumi.Output<string>,
    logGroupArn: pulumi.Output<string>): pulumi.Output<string> {
    return region.apply((regionName) => policyDocument([
        {
            sid: "AccountAdministersKeyThroughIam",
            principals: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
            actions: ["kms:*"],
            resources: ["*"],
        },
        {
            sid: "CloudWatchLogsEncryptsBuildLogs",
            principals: { Service: `logs.${regionName}.amazonaws.com` },
            actions: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
            resources: ["*"],
            conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
        },
        {
            sid: "EventBridgePublishesToEncryptedTopic",
            principals: { Service: "events.amazonaws.com" },
            actions: ["kms:Decrypt", "kms:GenerateDataKey"],
            resources: ["*"],
            conditions: { StringEquals: { "aws:SourceAccount": accountId } },
        },
    ]));
}
