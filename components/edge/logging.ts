/**
 * Access logs: CloudFront standard logging (v2), a CloudWatch Logs vended delivery from the
 * distribution (a delivery source of type ACCESS_LOGS, managed in us-east-1) to a secure bucket.
 * Unlike the legacy logging, v2 needs no bucket ACLs, so the bucket keeps ACLs disabled
 * (BucketOwnerEnforced); the bucket policy admits the log delivery service for this account's
 * delivery sources only (CloudWatch Logs User Guide, "Logs sent to Amazon S3").
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secureBucket } from "../common/bucket";
import { accessLogDeliveryName, childName, CLOUDFRONT_REGION } from "../common/naming";
import { EdgeSpec } from "./spec";

/** The log bucket, created before the distribution so the distribution can depend on nothing of it. */
export function accessLogBucket(spec: EdgeSpec, tags: Record<string, string>, opts: pulumi.CustomResourceOptions): aws.s3.Bucket {
    const invoke = { parent: opts.parent };
    const account = aws.getCallerIdentityOutput({}, invoke).accountId;
    const partition = aws.getPartitionOutput({}, invoke).partition;
    return secureBucket(childName(spec.name, "access-logs"), {
        versioning: false,
        expireAfterDays: spec.accessLogRetentionDays,
        forceDestroy: true,
        extraStatements: (bucketArn) => [{
            sid: "CloudFrontAccessLogDelivery",
            principals: { Service: "delivery.logs.amazonaws.com" },
            actions: ["s3:PutObject"],
            resources: [pulumi.interpolate`${bucketArn}/*`],
            conditions: {
                StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": account },
                ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:logs:${CLOUDFRONT_REGION}:${account}:delivery-source:${accessLogDeliveryName(spec.name)}` },
            },
        }],
    }, tags, opts);
}

/** The delivery of the distribution's access logs to the bucket. */
export function accessLogDelivery(
    spec: EdgeSpec,
    distributionArn: pulumi.Input<string>,
    bucket: aws.s3.Bucket,
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogDelivery {
    const name = accessLogDeliveryName(spec.name);
    const source = new aws.cloudwatch.LogDeliverySource(name, {
        name,
        logType: "ACCESS_LOGS",
        resourceArn: distributionArn,
        region: CLOUDFRONT_REGION,
        tags,
    }, opts);
    const destination = new aws.cloudwatch.LogDeliveryDestination(name, {
        name,
        deliveryDestinationType: "S3",
        deliveryDestinationConfiguration: { destinationResourceArn: bucket.arn },
        region: CLOUDFRONT_REGION,
        tags,
    }, opts);
    return new aws.cloudwatch.LogDelivery(name, {
        deliverySourceName: source.name,
        deliveryDestinationArn: destination.arn,
        region: CLOUDFRONT_REGION,
        tags,
    }, opts);
}
