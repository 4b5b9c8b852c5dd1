/**
 * The partition watch Lambda handler: on a schedule, connects like the schema bootstrap (master
 * secret, TLS verified against the RDS CAs), reads `scaling_toolkit.partition_health()` and writes
 * one CloudWatch embedded-metric-format (EMF) line per table to standard output, which CloudWatch
 * Logs turns into metrics (no PutMetricData call, no SDK, no extra permission). The alarms on those
 * metrics notify the stack's alarm topic.
 */
import { BootstrapDependencies, connectFromEnv } from "../bootstrap/handler";
import { WATCH_METRICS, WATCH_NAMESPACE } from "./metrics";

export { WATCH_METRICS, WATCH_NAMESPACE };

export interface TableHealth {
    table: string;
    premake: number;
    futurePartitions: number;
    defaultPartitionRows: number;
    maintenanceSkippedInRow: number;
}

/** One EMF document for one table's figures, dimensioned by DB instance and table. */
export function emfLine(instance: string, database: string, health: TableHealth, at: number): string {
    return JSON.stringify({
        _aws: {
            Timestamp: at,
            CloudWatchMetrics: [{
                Namespace: WATCH_NAMESPACE,
                Dimensions: [["DBInstanceIdentifier", "Table"]],
                Metrics: Object.values(WATCH_METRICS).map((Name) => ({ Name, Unit: "Count" })),
            }],
        },
        DBInstanceIdentifier: instance,
        Database: database,
        Table: health.table,
        Premake: health.premake,
        [WATCH_METRICS.futurePartitions]: health.futurePartitions,
        [WATCH_METRICS.defaultPartitionRows]: health.defaultPartitionRows,
        [WATCH_METRICS.maintenanceSkippedInRow]: health.maintenanceSkippedInRow,
    });
}

export interface WatchDependencies extends BootstrapDependencies {
    /** Where EMF lines go; defaults to process.stdout (EMF must be written to stdout as is). */
    write?: (line: string) => void;
    /** The clock; defaults to Date.now. */
    now?: () => number;
}

/** A Lambda handler publishing the partition figures; returns them. */
export function createWatchHandler(deps: WatchDependencies = {}): () => Promise<{ database: string; tables: TableHealth[] }> {
    return async () => {
        const { client, database } = await connectFromEnv(deps, "scaling-toolkit-partition-watch");
        try {
            await client.query("SET statement_timeout = '30s'");
            const r = await client.query("SELECT * FROM scaling_toolkit.partition_health()");
            const tables: TableHealth[] = r.rows.map((row) => ({
                table: `${row.schema_name}.${row.table_name}`,
                premake: Number(row.premake),
                futurePartitions: Number(row.future_partitions),
                defaultPartitionRows: Number(row.default_rows),
                maintenanceSkippedInRow: Number(row.skipped_in_row),
            }));
            const at = (deps.now ?? Date.now)();
            const write = deps.write ?? ((line: string) => process.stdout.write(line));
            const instance = (deps.env ?? process.env).WATCH_INSTANCE ?? "unknown";
            for (const t of tables) {
                write(`${emfLine(instance, database, t, at)}\n`);
            }
            return { database, tables };
        } finally {
            await client.end();
        }
    };
}
