import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CpuArchitecture } from "../common/enums";
import { ECR_LOGIN, policyDocument, serviceTrustPolicy, Statement, writeLogsStatement } from "../common/iam";
import { childName, logGroupName } from "../common/naming";
import { IMAGE_BUILD_ENV } from "./buildspecs";
import { PipelineContext, regionalArn } from "./context";
import { ECR_PUSH_ACTIONS } from "./repository";
import { Artifacts } from "./source";
import { PipelineSpec, SOURCE_NAMESPACE } from "./spec";

/** CodeBuild's curated Amazon Linux images, per architecture. */
const BUILD_IMAGES: Record<CpuArchitecture, { image: string; type: string }> = {
    [CpuArchitecture.X86_64]: { image: "aws/codebuild/amazonlinux-x86_64-standard:5.0", type: "LINUX_CONTAINER" },
    [CpuArchitecture.ARM64]: { image: "aws/codebuild/amazonlinux-aarch64-standard:3.0", type: "ARM_CONTAINER" },
};

/** The build log group's name, `/scaling-toolkit/<name>/codebuild`, and its ARN (the key policy names it before it exists). */
export function buildLogGroupName(ctx: PipelineContext): { name: string; arn: pulumi.Output<string> } {
    const name = logGroupName(ctx.name, "codebuild");
    return { name, arn: regionalArn(ctx, "logs", `log-group:${name}`) };
}

/** The one encrypted log group both builds write to. */
export function buildLogGroup(ctx: PipelineContext, spec: PipelineSpec, key: aws.kms.Key): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(childName(ctx.name, "build-logs"), {
        name: buildLogGroupName(ctx).name,
        retentionInDays: spec.logRetentionDays,
        kmsKeyId: key.arn,
        tags: ctx.kit.tags,
    }, ctx.kit.childOpts);
}

/** What the builds use: the key, the artifact store, the repository and the log group. */
export interface BuildInputs {
    key: aws.kms.Key;
    artifacts: Artifacts;
    repository: aws.ecr.Repository;
    logGroup: aws.cloudwatch.LogGroup;
}

/** One CodeBuild project and the role it runs as. */
export interface Build {
    role: aws.iam.Role;
    project: aws.codebuild.Project;
}

/** The two builds: tests without Docker or registry rights; the image build alone is privileged and may push. */
export function buildProjects(ctx: PipelineContext, spec: PipelineSpec, inputs: BuildInputs): { test: Build; image: Build } {
    const { key, artifacts, repository } = inputs;
    const test = buildProject(ctx, spec, inputs, {
        id: "test",
        description: `Runs the tests of ${spec.repository} for pipeline ${ctx.name}`,
        privileged: false,
        buildspec: spec.testBuildspec,
        statements: [{ sid: "DecryptArtifacts", actions: ["kms:Decrypt"], resources: [key.arn] }],
        environmentVariables: [],
    });
    const image = buildProject(ctx, spec, inputs, {
        id: "image",
        description: `Builds and pushes the image of ${spec.repository} for pipeline ${ctx.name}`,
        privileged: true,
        buildspec: spec.imageBuildspec,
        statements: [
            { sid: "WriteImageDefinitions", actions: ["s3:PutObject"], resources: [artifacts.objects] },
            { sid: "EncryptArtifacts", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: [key.arn] },
            ECR_LOGIN,
            { sid: "PushImages", actions: ECR_PUSH_ACTIONS, resources: [repository.arn] },
        ],
        environmentVariables: [
            { name: IMAGE_BUILD_ENV.repositoryUri, value: repository.repositoryUrl, type: "PLAINTEXT" },
            { name: IMAGE_BUILD_ENV.containerName, value: spec.containerName, type: "PLAINTEXT" },
            { name: IMAGE_BUILD_ENV.dockerfile, value: spec.dockerfile, type: "PLAINTEXT" },
            { name: IMAGE_BUILD_ENV.dockerContext, value: spec.dockerContext, type: "PLAINTEXT" },
        ],
    });
    return { test, image };
}

/** One build: its id (names the project, its role and its log stream) and what it may do. */
export interface ProjectSpec {
    id: string;
    description: string;
    privileged: boolean;
    buildspec: string;
    /** Statements beyond writing logs and reading the source artifact. */
    statements: Statement[];
    environmentVariables: aws.types.input.codebuild.ProjectEnvironmentEnvironmentVariable[];
    /** Minutes after which the build is stopped. @default spec.buildTimeoutMinutes */
    timeoutMinutes?: number;
    /**
     * Write only the build's own log streams (`<id>/<build id>`), not the other builds': for a build
     * running code nobody reviewed yet, which must not forge another build's log.
     */
    ownLogStreamsOnly?: boolean;
}

/** The log statement of a build: the whole group, or only the build's own streams. */
function buildLogsStatement(logGroupArn: pulumi.Output<string>, p: ProjectSpec): Statement {
    const statement = writeLogsStatement("WriteBuildLogs", logGroupArn);
    return p.ownLogStreamsOnly ? { ...statement, resources: [pulumi.interpolate`${logGroupArn}:log-stream:${p.id}/*`] } : statement;
}

/** One CodeBuild project with its own role: logs, the source artifact, and the project's own statements. */
export function buildProject(ctx: PipelineContext, spec: PipelineSpec, inputs: BuildInputs, p: ProjectSpec): Build {
    const { kit } = ctx;
    const environment = BUILD_IMAGES[spec.buildArchitecture];
    const roleName = childName(ctx.name, `${p.id}-build`);
    const role = new aws.iam.Role(roleName, {
        assumeRolePolicy: serviceTrustPolicy("codebuild.amazonaws.com", ctx.accountId),
        description: `CodeBuild role of the ${p.id} build of pipeline ${ctx.name}`,
        tags: kit.tags,
    }, kit.childOpts);
    const policy = new aws.iam.RolePolicy(roleName, {
        role: role.id,
        policy: policyDocument([
            buildLogsStatement(inputs.logGroup.arn, p),
            { sid: "ReadSourceArtifact", actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: [inputs.artifacts.objects] },
            { sid: "LocateArtifactBucket", actions: ["s3:GetBucketLocation"], resources: [inputs.artifacts.bucket.arn] },
            ...p.statements,
        ]),
    }, kit.childOpts);
    const project = new aws.codebuild.Project(childName(ctx.name, p.id), {
        description: p.description,
        serviceRole: role.arn,
        source: { type: "CODEPIPELINE", buildspec: p.buildspec },
        artifacts: { type: "CODEPIPELINE" },
        environment: {
            type: environment.type,
            image: environment.image,
            computeType: spec.buildComputeType,
            imagePullCredentialsType: "CODEBUILD",
            privilegedMode: p.privileged,
            environmentVariables: p.environmentVariables,
        },
        encryptionKey: inputs.key.arn,
        buildTimeout: p.timeoutMinutes ?? spec.buildTimeoutMinutes,
        queuedTimeout: 60,
        logsConfig: {
            cloudwatchLogs: { status: "ENABLED", groupName: inputs.logGroup.name, streamName: p.id },
            s3Logs: { status: "DISABLED" },
        },
        tags: kit.tags,
    }, kit.opts({ dependsOn: [policy] }));
    return { role, project };
}

/** The Test stage: the given (unprivileged) test build on the source. */
export function testStage(test: Build): aws.types.input.codepipeline.PipelineStage {
    return {
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
    };
}

/** The Test stage and the Build stage (the image, tagged with the commit id). */
export function buildStages(builds: { test: Build; image: Build }): aws.types.input.codepipeline.PipelineStage[] {
    return [
        testStage(builds.test),
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
                    ProjectName: builds.image.project.name,
                    EnvironmentVariables: JSON.stringify([
                        { name: IMAGE_BUILD_ENV.imageTag, value: `#{${SOURCE_NAMESPACE}.CommitId}`, type: "PLAINTEXT" },
                    ]),
                },
            }],
        },
    ];
}

/** What a pipeline role needs to run the given builds (and no other). */
export function buildStatements(builds: (Build | undefined)[]): Statement[] {
    const projects = builds.filter((b): b is Build => b !== undefined).map((b) => b.project.arn);
    return [{ sid: "RunBuilds", actions: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"], resources: projects }];
}
