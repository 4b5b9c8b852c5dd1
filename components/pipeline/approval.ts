import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, Statement } from "../common/iam";
import { childName } from "../common/naming";
import { PipelineContext } from "./context";
import { PipelineSpec } from "./spec";

/** The Approve stage when a manual approval is enabled: approvers are notified on their topic. */
export function approvalStages(spec: PipelineSpec): aws.types.input.codepipeline.PipelineStage[] {
    if (!spec.approval.enabled) {
        return [];
    }
    return [{
        name: "Approve",
        actions: [{
            name: "Approve",
            category: "Approval",
            owner: "AWS",
            provider: "Manual",
            version: "1",
            configuration: {
                NotificationArn: spec.approval.notificationTopicArn!,
                CustomData: spec.approval.comment,
            },
        }],
    }];
}

/** What the pipeline role needs to notify approvers: publish to their topic (and use its key, if customer-managed). */
export function approvalStatements(spec: PipelineSpec): Statement[] {
    const approval = spec.approval;
    if (!approval.enabled) {
        return [];
    }
    return [
        { sid: "NotifyApprovers", actions: ["sns:Publish"], resources: [approval.notificationTopicArn!] },
        ...(approval.notificationTopicKmsKeyArn !== undefined
            ? [{ sid: "EncryptApprovalNotifications", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [approval.notificationTopicKmsKeyArn] }]
            : []),
    ];
}

/**
 * Failure notifications: an EventBridge rule matching this pipeline's failed executions publishes a
 * one-line message to a topic encrypted with the pipeline's key, which only that rule may publish to.
 */
export function failureNotifications(ctx: PipelineContext, pipeline: aws.codepipeline.Pipeline, key: aws.kms.Key): aws.sns.Topic {
    const { name, kit } = ctx;
    const topic = new aws.sns.Topic(childName(name, "notifications"), { kmsMasterKeyId: key.arn, tags: kit.tags }, kit.childOpts);
    const rule = new aws.cloudwatch.EventRule(childName(name, "failed"), {
        description: `Executions of pipeline ${name} that fail`,
        eventPattern: pulumi.jsonStringify({
            "source": ["aws.codepipeline"],
            "detail-type": ["CodePipeline Pipeline Execution State Change"],
            "detail": { pipeline: [pipeline.name], state: ["FAILED"] },
        }),
        tags: kit.tags,
    }, kit.childOpts);
    new aws.sns.TopicPolicy(childName(name, "notifications"), {
        arn: topic.arn,
        policy: policyDocument([{
            sid: "EventBridgePublishesPipelineFailures",
            principals: { Service: "events.amazonaws.com" },
            actions: ["sns:Publish"],
            resources: [topic.arn],
            conditions: { ArnEquals: { "aws:SourceArn": rule.arn } },
        }]),
    }, kit.childOpts);
    new aws.cloudwatch.EventTarget(childName(name, "failed"), {
        rule: rule.name,
        arn: topic.arn,
        inputTransformer: {
            inputPaths: { pipeline: "$.detail.pipeline", execution: "$.detail.execution-id", state: "$.detail.state" },
            inputTemplate: "\"Pipeline <pipeline> execution <execution> is <state>.\"",
        },
    }, kit.childOpts);
    return topic;
}
