import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../common/iam";
import { childName } from "../common/naming";
import { PipelineContext } from "./context";

/**
 * One customer-managed key, with rotation, for the artifacts, images, build logs and the failure
 * notification topic. Its policy: the account administers the key through IAM (the AWS default),
 * CloudWatch Logs may use it for exactly the build log group, and EventBridge may use it to publish
 * to the encrypted notification topic (whose own policy admits only the pipeline's failure rule).
 */
export function pipelineKey(ctx: PipelineContext, buildLogGroupArn: pulumi.Output<string>): aws.kms.Key {
    const { partition, accountId } = ctx;
    return new aws.kms.Key(childName(ctx.name, "key"), {
        description: `Encrypts the artifacts, images, build logs and notifications of pipeline ${ctx.name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: ctx.region.apply((regionName) => policyDocument([
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
                conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": buildLogGroupArn } },
            },
            {
                sid: "EventBridgePublishesToEncryptedTopic",
                principals: { Service: "events.amazonaws.com" },
                actions: ["kms:Decrypt", "kms:GenerateDataKey"],
                resources: ["*"],
                conditions: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ])),
        tags: ctx.kit.tags,
    }, ctx.kit.childOpts);
}
