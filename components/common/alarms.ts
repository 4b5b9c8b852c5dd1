import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./iam";

/** One CloudWatch alarm a component raises, described as data so tests and docs can list them. */
export interface AlarmSpec {
    /** Short id appended to the component name, for example `target-5xx`. */
    id: string;
    description: string;
    namespace?: string;
    metricName?: string;
    /** `Average`, `Maximum`, `Sum`...; ignored when `extendedStatistic` or `metricQueries` is set. */
    statistic?: string;
    /** A percentile such as `p99`. */
    extendedStatistic?: string;
    dimensions?: Record<string, pulumi.Input<string>>;
    /** Metric math instead of a single metric. */
    metricQueries?: aws.types.input.cloudwatch.MetricAlarmMetricQuery[];
    comparisonOperator: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
    threshold: number;
    /** @default 60 */
    periodSeconds?: number;
    /** @default 5 */
    evaluationPeriods?: number;
    /** @default the evaluation periods */
    datapointsToAlarm?: number;
    /** @default "notBreaching" */
    treatMissingData?: "missing" | "notBreaching" | "breaching" | "ignore";
    /**
     * The region the alarm lives in, when not the stack's (CloudFront publishes its metrics in
     * us-east-1 only, so its alarms must be there).
     * @default the provider's region
     */
    region?: string;
    /** Raise no notification itself (a window of a composite alarm, which notifies instead). @default false */
    silent?: boolean;
}

/**
 * The SNS topic alarms notify: the caller's, or one created with its own KMS key. The key is a
 * customer-managed one because CloudWatch cannot publish to a topic encrypted with the AWS-managed
 * SNS key (its policy cannot admit cloudwatch.amazonaws.com). Returns the topic ARN.
 */
export function alarmTopic(
    name: string,
    given: pulumi.Input<string> | undefined,
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
    /** The topic's region (an alarm can only notify a topic of its own region). @default the provider's */
    region?: string,
): pulumi.Output<string> {
    if (given !== undefined) {
        return pulumi.output(given);
    }
    const invokeOpts = { parent: opts.parent };
    const accountId = aws.getCallerIdentityOutput({}, invokeOpts).accountId;
    const partition = aws.getPartitionOutput({}, invokeOpts).partition;
    const key = new aws.kms.Key(`${name}-alarms`, {
        description: `Encrypts the alarm notifications of ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: policyDocument([
            {
                sid: "AccountAdministersKeyThroughIam",
                principals: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
                actions: ["kms:*"],
                resources: ["*"],
            },
            {
                sid: "CloudWatchPublishesAlarms",
                principals: { Service: "cloudwatch.amazonaws.com" },
                actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
                resources: ["*"],
                conditions: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ]),
        tags,
        region,
    }, opts);
    const topic = new aws.sns.Topic(`${name}-alarms`, { kmsMasterKeyId: key.arn, tags, region }, opts);
    new aws.sns.TopicPolicy(`${name}-alarms`, {
        region,
        arn: topic.arn,
        policy: policyDocument([{
            sid: "CloudWatchAlarmsOfThisAccount",
            principals: { Service: "cloudwatch.amazonaws.com" },
            actions: ["sns:Publish"],
            resources: [topic.arn],
            conditions: { StringEquals: { "aws:SourceAccount": accountId } },
        }]),
    }, opts);
    return topic.arn;
}

/** Creates one alarm per spec, each notifying the topic on alarm and on recovery. */
export function createAlarms(
    name: string,
    topicArn: pulumi.Input<string>,
    specs: AlarmSpec[],
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm[] {
    return specs.map((spec) => {
        const single = spec.metricQueries === undefined;
        return new aws.cloudwatch.MetricAlarm(`${name}-${spec.id}`, {
            alarmDescription: spec.description,
            comparisonOperator: spec.comparisonOperator,
            threshold: spec.threshold,
            evaluationPeriods: spec.evaluationPeriods ?? 5,
            datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods ?? 5,
            treatMissingData: spec.treatMissingData ?? "notBreaching",
            ...(single ? {
                namespace: spec.namespace,
                metricName: spec.metricName,
                period: spec.periodSeconds ?? 60,
                dimensions: spec.dimensions,
                ...(spec.extendedStatistic ? { extendedStatistic: spec.extendedStatistic } : { statistic: spec.statistic ?? "Average" }),
            } : { metricQueries: spec.metricQueries }),
            ...(spec.silent ? {} : { alarmActions: [topicArn], okActions: [topicArn] }),
            region: spec.region,
            tags,
        }, opts);
    });
}
