import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../common/iam";
import { childName, logGroupName } from "../common/naming";
import { NetworkContext } from "./context";
import { NetworkSpec } from "./plan";

/** Flow logs: every accepted and rejected flow, to a log group with a bounded retention. Returns the log group. */
export function createFlowLogs(ctx: NetworkContext, spec: NetworkSpec, vpc: aws.ec2.Vpc, kmsKeyArn: pulumi.Input<string> | undefined): aws.cloudwatch.LogGroup {
    const { kit } = ctx;
    const tags = kit.tags;
    const logsName = childName(ctx.name, "flow-logs");
    const logGroup = new aws.cloudwatch.LogGroup(logsName, {
        name: logGroupName(ctx.name, "vpc-flow-logs"),
        retentionInDays: spec.retention,
        kmsKeyId: kmsKeyArn,
        tags,
    }, kit.childOpts);
    const caller = aws.getCallerIdentityOutput({}, { parent: ctx.component });
    const role = new aws.iam.Role(logsName, {
        assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", caller.accountId),
        tags,
    }, kit.childOpts);
    new aws.iam.RolePolicy(logsName, {
        role: role.id,
        policy: policyDocument([{
            sid: "WriteFlowLogs",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:*`],
        }]),
    }, kit.childOpts);
    const flowLogName = childName(ctx.name, "flow-log");
    new aws.ec2.FlowLog(flowLogName, {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 60,
        tags: ctx.tagged(flowLogName),
    }, kit.childOpts);
    return logGroup;
}
