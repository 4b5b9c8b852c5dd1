/** The alarms of a PartitionedDatabase's instances: CPU, storage, memory, connections, replica lag. */
import * as aws from "@pulumi/aws";
import { AlarmSpec } from "../common/alarms";
import { DatabaseAlarmArgs } from "./args";

/** The alarm specs of the primary and its replicas (the partition watch adds its own). */
export function instanceAlarms(name: string, alarms: Required<DatabaseAlarmArgs>, primary: aws.rds.Instance, replicas: aws.rds.Instance[]): AlarmSpec[] {
    const dims = { DBInstanceIdentifier: primary.identifier };
    const rds = { namespace: "AWS/RDS", dimensions: dims };
    return [
        {
            ...rds, id: "cpu", description: `${name}: CPU above ${alarms.cpuPercent}%`, metricName: "CPUUtilization",
            statistic: "Average", comparisonOperator: "GreaterThanThreshold", threshold: alarms.cpuPercent, periodSeconds: 300, evaluationPeriods: 3,
        },
        {
            ...rds, id: "free-storage", description: `${name}: less than ${alarms.freeStorageGb} GiB of storage free`, metricName: "FreeStorageSpace",
            statistic: "Minimum", comparisonOperator: "LessThanThreshold", threshold: alarms.freeStorageGb * 1024 ** 3, periodSeconds: 300, evaluationPeriods: 1,
        },
        {
            ...rds, id: "freeable-memory", description: `${name}: less than ${alarms.freeableMemoryMb} MiB of memory freeable`, metricName: "FreeableMemory",
            statistic: "Average", comparisonOperator: "LessThanThreshold", threshold: alarms.freeableMemoryMb * 1024 ** 2, periodSeconds: 300, evaluationPeriods: 3,
        },
        {
            ...rds, id: "connections", description: `${name}: more than ${alarms.maxConnections} connections`, metricName: "DatabaseConnections",
            statistic: "Maximum", comparisonOperator: "GreaterThanThreshold", threshold: alarms.maxConnections, periodSeconds: 60, evaluationPeriods: 5,
        },
        ...replicas.map((r, i): AlarmSpec => ({
            id: `replica-${i}-lag`, description: `${name}: replica ${i} more than ${alarms.replicaLagSeconds}s behind`, namespace: "AWS/RDS", metricName: "ReplicaLag",
            statistic: "Maximum", dimensions: { DBInstanceIdentifier: r.identifier }, comparisonOperator: "GreaterThanThreshold", threshold: alarms.replicaLagSeconds,
            periodSeconds: 60, evaluationPeriods: 5,
        })),
    ];
}
