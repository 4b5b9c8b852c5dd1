import * as aws from "@pulumi/aws";
import { logGroupName } from "../../common/naming";
import { AwsContext } from "./context";
import { AwsServiceSpec } from "./spec";

/** The containers' log group, `/scaling-toolkit/<name>/containers`, with retention. */
export function containerLogs(ctx: AwsContext, spec: AwsServiceSpec): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(ctx.child("logs"), {
        name: logGroupName(ctx.name, "containers"),
        retentionInDays: spec.logRetentionDays,
        kmsKeyId: spec.logKmsKeyArn,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
}
