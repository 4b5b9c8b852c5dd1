// The partition watch's metric names, apart from its handler: importing the handler loads pg and
// the AWS SDK, which a preview of the component never runs.

/** CloudWatch namespace of the partition metrics. */
export const WATCH_NAMESPACE = "ScalingToolkit/Partitioning";
/** Metric names, one value per table and check. */
export const WATCH_METRICS = {
    futurePartitions: "FuturePartitions",
    defaultPartitionRows: "DefaultPartitionRows",
    maintenanceSkippedInRow: "MaintenanceSkippedInRow",
} as const;
