import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext, typeToken } from "../common/component";
import { GrantOptions, GrantRegistry, GrantRole } from "../common/grants";
import { publish } from "../common/publish";
import { approvalStages, approvalStatements, failureNotifications } from "./approval";
import { CiCdPipelineArgs } from "./args";
import { buildLogGroup, buildLogGroupName, buildProjects, buildStages, buildStatements } from "./builds";
import { pipelineContext } from "./context";
import { deployStage, deployStatements } from "./deploy";
import { pipelineKey } from "./key";
import { codePipeline, pipelineRole } from "./pipeline";
import { migrationBuild, migrationStages } from "./migration";
import { pullRequestPipeline } from "./pullRequests";
import { imageRepository, pullStatements } from "./repository";
import { artifactBucket, artifactStore, sourceStage, sourceStatements } from "./source";
import { COMPONENT, resolvePipelineSpec } from "./spec";

export { BuildComputeType, CiCdPipelineArgs, ManualApprovalArgs, MigrationArgs, PipelineServiceArgs } from "./args";

/** What the grants of a pipeline need: its repository. */
const grants = new GrantRegistry<{ repositoryArn: pulumi.Output<string> }>();

/**
 * The guide's CI/CD practice for one service: a CodePipeline (V2) that takes a branch from a Git host
 * through a CodeStar connection, runs the tests, builds and pushes the container image to its own
 * ECR repository, optionally waits for a person to approve, optionally runs the new image's database
 * migration as a one-off task, and rolls the image out to the service's ECS deployment. Pull
 * requests are tested in a separate, unprivileged tests-only pipeline. Everything it touches it creates, encrypts with its own KMS key and grants access
 * to by exact ARN; failures are announced on an SNS topic.
 */
export class CiCdPipeline extends pulumi.ComponentResource {
    /** The CodePipeline name. */
    public readonly pipelineName!: pulumi.Output<string>;
    /** The CodePipeline ARN. */
    public readonly pipelineArn!: pulumi.Output<string>;
    /** Where images are pushed (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
    public readonly repositoryUrl!: pulumi.Output<string>;
    /** Pass in the service's `imageRepositoryArns` so its execution role may pull the images (or call `grantPull`). */
    public readonly repositoryArn!: pulumi.Output<string>;
    /** The KMS-encrypted S3 bucket holding pipeline artifacts. */
    public readonly artifactBucketName!: pulumi.Output<string>;
    /** The KMS key encrypting artifacts, images, build logs and the notification topic. */
    public readonly kmsKeyArn!: pulumi.Output<string>;
    /** Pipeline failures are published here: subscribe to it. */
    public readonly notificationTopicArn!: pulumi.Output<string>;
    /** The CloudWatch log group of the test and image builds. */
    public readonly logGroupName!: pulumi.Output<string>;
    /** The role CodePipeline runs as. */
    public readonly pipelineRoleArn!: pulumi.Output<string>;

    constructor(name: string, args: CiCdPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = resolvePipelineSpec(name, args);
        super(typeToken(COMPONENT), name, {}, opts);
        const ctx = pipelineContext(this, name, new ComponentContext(this, COMPONENT, args));

        const key = pipelineKey(ctx, buildLogGroupName(ctx).arn);
        const artifacts = artifactBucket(ctx, spec, key);
        const repository = imageRepository(ctx, spec, key);
        const logGroup = buildLogGroup(ctx, spec, key);
        const inputs = { key, artifacts, repository, logGroup };
        const builds = buildProjects(ctx, spec, inputs);
        const migration = migrationBuild(ctx, spec, inputs);
        const role = pipelineRole(ctx, [
            ...sourceStatements(spec, artifacts, key),
            ...buildStatements([builds.test, builds.image, migration]),
            ...deployStatements(ctx, spec),
            ...approvalStatements(spec),
        ]);
        const pipeline = codePipeline(ctx, spec, role, artifactStore(artifacts, key), [
            sourceStage(spec),
            ...buildStages(builds),
            ...approvalStages(spec),
            ...migrationStages(migration),
            deployStage(spec),
        ]);
        pullRequestPipeline(ctx, spec, inputs);
        const topic = failureNotifications(ctx, pipeline, key);

        grants.set(this, name, { repositoryArn: repository.arn });
        publish<CiCdPipeline>(this, {
            pipelineName: pipeline.name,
            pipelineArn: pipeline.arn,
            repositoryUrl: repository.repositoryUrl,
            repositoryArn: repository.arn,
            artifactBucketName: artifacts.bucket.bucket,
            kmsKeyArn: key.arn,
            notificationTopicArn: topic.arn,
            logGroupName: logGroup.name,
            pipelineRoleArn: role.role.arn,
        });
    }

    /**
     * Lets a role pull the images this pipeline pushes (as `Repository.grantPull` does in AWS CDK):
     * an inline policy on the role with the registry login (`ecr:GetAuthorizationToken`, which has no
     * resource-level permissions) and `ecr:BatchCheckLayerAvailability`, `ecr:BatchGetImage`,
     * `ecr:GetDownloadUrlForLayer` on exactly this repository. Give it a service's execution role
     * instead of building the repository's ARN by hand.
     *
     * @param role an `aws.iam.Role`, or a role's name or ARN
     * @param options the policy's name (default `<pipeline>-pull-images`, `-2`, `-3`... after the
     *     first) and parent (default the role if a resource, else the pipeline: pass the service)
     */
    public grantPull(role: GrantRole, options?: GrantOptions): aws.iam.RolePolicy {
        return grants.grant(this, "pull-images", role, (d) => pullStatements(d.repositoryArn), options);
    }
}
