import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, Statement } from "./iam";

export interface SecureBucketOptions {
    /** KMS key for default encryption; without one, SSE-S3 (AES-256), which ALB access logs require. */
    kmsKeyArn?: pulumi.Input<string>;
    /** Keep object versions (for data that must survive an overwrite or delete). */
    versioning: boolean;
    /** Days after which objects (and old versions) expire. */
    expireAfterDays: number;
    /** Statements added to the bucket policy after the TLS-only deny. */
    extraStatements?: (bucketArn: pulumi.Output<string>) => Statement[];
    /** Delete objects when the bucket is destroyed (only for disposable data such as logs). */
    forceDestroy?: boolean;
}

/**
 * An S3 bucket with the toolkit's baseline: public access blocked, ACLs disabled, default
 * encryption, a bucket policy refusing requests not made over TLS, and lifecycle expiry.
 */
export function secureBucket(
    name: string,
    options: SecureBucketOptions,
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): aws.s3.Bucket {
    const bucket = new aws.s3.Bucket(name, { forceDestroy: options.forceDestroy ?? false, tags }, opts);
    const pab = new aws.s3.BucketPublicAccessBlock(name, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketOwnershipControls(name, {
        bucket: bucket.id,
        rule: { objectOwnership: "BucketOwnerEnforced" },
    }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(name, {
        bucket: bucket.id,
        rules: [{
            applyServerSideEncryptionByDefault: options.kmsKeyArn
                ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: options.kmsKeyArn }
                : { sseAlgorithm: "AES256" },
            bucketKeyEnabled: options.kmsKeyArn !== undefined,
        }],
    }, opts);
    if (options.versioning) {
        new aws.s3.BucketVersioning(name, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, opts);
    }
    new aws.s3.BucketLifecycleConfiguration(name, {
        bucket: bucket.id,
        rules: [{
            id: "expire",
            status: "Enabled",
            filter: {},
            expiration: { days: options.expireAfterDays },
            noncurrentVersionExpiration: { noncurrentDays: options.expireAfterDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        }],
    }, opts);
    const objects = pulumi.interpolate`${bucket.arn}/*`;
    new aws.s3.BucketPolicy(name, {
        bucket: bucket.id,
        policy: policyDocument([
            {
                sid: "DenyInsecureTransport",
                effect: "Deny",
                principals: "*",
                actions: ["s3:*"],
                resources: [bucket.arn, objects],
                conditions: { Bool: { "aws:SecureTransport": "false" } },
            },
            ...(options.extraStatements?.(bucket.arn) ?? []),
        ]),
    }, { ...opts, dependsOn: [pab] });
    return bucket;
}
