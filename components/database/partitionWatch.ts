/**
 * The partition watch of a PartitionedDatabase: a small function in the VPC, run on a schedule,
 * reading `scaling_toolkit.partition_health()` and publishing per table the future partitions left,
 * the rows in the default partition and the maintenance runs skipped in a row as CloudWatch metrics
 * (embedded metric format log lines), plus the alarms on them. Maintenance that silently stopped
 * (pg_cron off, a job failing, a lock never free) shows up as fewer future partitions than `premake`;
 * rows outside every interval partition show up in the default partition.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmSpec } from "../common/alarms";
import { childName } from "../common/naming";
import { Validator } from "../common/validation";
import { watchBundle } from "./bootstrap/bundle";
import { DatabaseFunctionArgs, databaseFunction } from "./databaseFunction";
import { ResolvedTableSpec } from "./partitioning/spec";
import { WATCH_METRICS, WATCH_NAMESPACE } from "./watch/metrics";

/** The partition watch. */
export interface PartitionWatchArgs {
    /**
     * Run the watch and raise its alarms.
     * @default true when there are tables
     */
    enabled?: boolean;
    /**
     * Minutes between checks (5-60).
     * @default 15
     */
    scheduleMinutes?: number;
    /**
     * Hours the future partitions may stay below `premake` before the alarm (1-48): at each interval
     * boundary one fewer remains until the next maintenance run, so keep it above the time between
     * maintenance runs.
     * @default 2
     */
    toleranceHours?: number;
}

/** Skipped maintenance runs in a row that raise an alarm. */
export const SKIPPED_RUNS_ALARM = 3;

/** Validates the watch arguments (recording problems on `v`) and applies defaults. */
export function checkWatch(v: Validator, args: PartitionWatchArgs | undefined, hasTables: boolean): Required<PartitionWatchArgs> {
    const watch = {
        enabled: args?.enabled ?? hasTables,
        scheduleMinutes: args?.scheduleMinutes ?? 15,
        toleranceHours: args?.toleranceHours ?? 2,
    };
    v.check(!watch.enabled || hasTables, "partitionWatch.enabled", watch.enabled, "false when there are no tables to partition");
    v.intRange("partitionWatch.scheduleMinutes", watch.scheduleMinutes, 5, 60);
    v.intRange("partitionWatch.toleranceHours", watch.toleranceHours, 1, 48);
    return watch;
}

export interface PartitionWatchResources extends Omit<DatabaseFunctionArgs,
    "id" | "logName" | "purpose" | "description" | "code" | "timeoutSeconds" | "logFormat" | "environment"> {
    tables: ResolvedTableSpec[];
    scheduleMinutes: number;
    toleranceHours: number;
    instanceIdentifier: pulumi.Input<string>;
}

/** Creates the function and its schedule; returns the alarms to raise on the watch's metrics. */
export function partitionWatch(component: string, a: PartitionWatchResources): AlarmSpec[] {
    const { fn } = databaseFunction(component, {
        ...a,
        id: "watch",
        logName: "partition-watch",
        purpose: "Partition watch",
        description: `Publishes the partition figures of ${component} as CloudWatch metrics`,
        code: watchBundle(),
        timeoutSeconds: 60,
        // Embedded metric format lines are read from the raw log line.
        logFormat: "Text",
        environment: { WATCH_INSTANCE: a.instanceIdentifier },
    });
    const n = childName(component, "watch");
    const rule = new aws.cloudwatch.EventRule(n, {
        description: `Runs the partition watch of ${component}`,
        scheduleExpression: `rate(${a.scheduleMinutes} minutes)`,
        tags: a.tags,
    }, a.opts);
    const permission = new aws.lambda.Permission(n, {
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
    }, a.opts);
    new aws.cloudwatch.EventTarget(n, { rule: rule.name, arn: fn.arn }, { ...a.opts, dependsOn: [permission] });

    const period = a.scheduleMinutes * 60;
    return a.tables.flatMap((t): AlarmSpec[] => {
        const table = `${t.schema}.${t.name}`;
        const dimensions = { DBInstanceIdentifier: a.instanceIdentifier, Table: table };
        const common = { namespace: WATCH_NAMESPACE, dimensions, statistic: "Maximum" };
        const id = `${t.schema}-${t.name}`.replace(/_/g, "-");
        return [
            {
                ...common,
                id: `${id}-future-partitions`,
                description: `${component}: ${table} has had fewer than ${t.premake} future partitions for ${a.toleranceHours} h (maintenance stopped?), or the watch reports nothing`,
                metricName: WATCH_METRICS.futurePartitions,
                comparisonOperator: "LessThanThreshold",
                threshold: t.premake,
                periodSeconds: 3600,
                evaluationPeriods: a.toleranceHours,
                treatMissingData: "breaching",
            },
            {
                ...common,
                id: `${id}-maintenance-skipped`,
                description: `${component}: maintenance of ${table} skipped ${SKIPPED_RUNS_ALARM} runs in a row (another session holds the table)`,
                metricName: WATCH_METRICS.maintenanceSkippedInRow,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold: SKIPPED_RUNS_ALARM,
                periodSeconds: period,
                evaluationPeriods: 1,
            },
            ...(t.defaultPartition ? [{
                ...common,
                id: `${id}-default-rows`,
                description: `${component}: rows of ${table} landed in its default partition (outside every interval partition)`,
                metricName: WATCH_METRICS.defaultPartitionRows,
                comparisonOperator: "GreaterThanThreshold" as const,
                threshold: 0,
                periodSeconds: period,
                evaluationPeriods: 1,
            }] : []),
        ];
    });
}
