import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secureBucket } from "../common/bucket";
import { Statement } from "../common/iam";
import { childName } from "../common/naming";
import { PipelineContext } from "./context";
import { PipelineSpec, SOURCE_NAMESPACE } from "./spec";

/** The artifact store: the bucket and the ARN pattern of its objects. */
export interface Artifacts {
    bucket: aws.s3.Bucket;
    /** `<bucket ARN>/*`. */
    objects: pulumi.Output<string>;
}

/** The common secure bucket (KMS, versioning, public access blocked, TLS only) expiring artifacts. */
export function artifactBucket(ctx: PipelineContext, spec: PipelineSpec, key: aws.kms.Key): Artifacts {
    const bucket = secureBucket(childName(ctx.name, "artifacts"), {
        kmsKeyArn: key.arn,
        versioning: true,
        expireAfterDays: spec.artifactRetentionDays,
    }, ctx.kit.tags, ctx.kit.childOpts);
    return { bucket, objects: pulumi.interpolate`${bucket.arn}/*` };
}

/** The pipeline's artifact store setting. */
export function artifactStore(artifacts: Artifacts, key: aws.kms.Key): aws.types.input.codepipeline.PipelineArtifactStore {
    return { type: "S3", location: artifacts.bucket.bucket, encryptionKey: { type: "KMS", id: key.arn } };
}

/** The Source stage: the branch from the Git host through the CodeStar connection. */
export function sourceStage(spec: PipelineSpec): aws.types.input.codepipeline.PipelineStage {
    return {
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
                ConnectionArn: spec.connectionArn,
                FullRepositoryId: spec.repository,
                BranchName: spec.branch,
                OutputArtifactFormat: "CODE_ZIP",
            },
        }],
    };
}

/**
 * The IAM action that uses a connection: its ARN's service prefix. CodeStar Connections was renamed
 * CodeConnections in 2024; both prefixes remain, and "when specifying a resource in the IAM policy,
 * the service prefix needs to match that of the resource" (Developer Tools console user guide,
 * "Connections rename - Summary of changes"): `codeconnections:UseConnection` for
 * `arn:aws:codeconnections:...`, `codestar-connections:UseConnection` for older connections.
 */
export function useConnectionAction(connectionArn: string): string {
    return `${connectionArn.split(":")[2] === "codestar-connections" ? "codestar-connections" : "codeconnections"}:UseConnection`;
}

/** Using the connection (the action chosen by the ARN's prefix, known once the ARN is). */
export function connectionStatement(connectionArn: pulumi.Input<string>): pulumi.Output<Statement> {
    return pulumi.output(connectionArn).apply((arn) => ({ sid: "UseConnection", actions: [useConnectionAction(arn)], resources: [arn] }));
}

/** What the pipeline role needs for the artifact store and the source action. */
export function sourceStatements(spec: PipelineSpec, artifacts: Artifacts, key: aws.kms.Key): pulumi.Input<Statement>[] {
    return [
        { sid: "UseArtifacts", actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], resources: [artifacts.objects] },
        { sid: "InspectArtifactBucket", actions: ["s3:GetBucketLocation", "s3:GetBucketVersioning"], resources: [artifacts.bucket.arn] },
        { sid: "EncryptArtifacts", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: [key.arn] },
        connectionStatement(spec.connectionArn),
    ];
}
