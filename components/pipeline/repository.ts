import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ECR_LOGIN, Statement } from "../common/iam";
import { childName } from "../common/naming";
import { PipelineContext } from "./context";
import { PipelineSpec } from "./spec";

/** Pulling an image: the layers and the manifest (IAM service authorization reference, ECR `repository` resource type). */
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
/** Pushing an image, and checking whether a tag is already pushed. */
export const ECR_PUSH_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages",
    "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"];

/**
 * The pipeline's image repository: scan on push, immutable tags, KMS encryption with the pipeline's
 * key, never force-deleted, and a lifecycle policy keeping the last `imageRetentionCount` images.
 */
export function imageRepository(ctx: PipelineContext, spec: PipelineSpec, key: aws.kms.Key): aws.ecr.Repository {
    const id = childName(ctx.name, "images");
    const repository = new aws.ecr.Repository(id, {
        name: spec.repositoryName,
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
        forceDelete: false,
        tags: ctx.kit.tags,
    }, ctx.kit.childOpts);
    new aws.ecr.LifecyclePolicy(id, {
        repository: repository.name,
        policy: JSON.stringify({
            rules: [{
                rulePriority: 1,
                description: `Keep the last ${spec.imageRetentionCount} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: spec.imageRetentionCount },
                action: { type: "expire" },
            }],
        }),
    }, ctx.kit.childOpts);
    return repository;
}

/**
 * What a role needs to pull the repository's images: the registry login (no resource-level
 * permissions) and the pull actions on exactly this repository. No KMS permission: ECR decrypts
 * through the grant it holds on the key (ECR user guide, "Encryption at rest").
 */
export function pullStatements(repositoryArn: pulumi.Input<string>): Statement[] {
    return [ECR_LOGIN, { sid: "PullImage", actions: ECR_PULL_ACTIONS, resources: [repositoryArn] }];
}
