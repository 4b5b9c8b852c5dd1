/**
 * Shared by the partitioning integration tests: the orders spec, month arithmetic (UTC), catalog
 * read-outs of a real server, and one throwaway server per test file.
 */
import { Client } from "pg";
import { PartitionedTableSpec, PartitionInterval } from "../../components";
import { generatePartitioningSql } from "../../components/database/partitioning/sql";
import { startPostgres, TestPostgres } from "./postgres";

export const ORDERS: PartitionedTableSpec = {
    name: "orders",
    columns: [
        { name: "id", type: "bigserial", notNull: true },
        { name: "customer_id", type: "bigint", notNull: true },
        { name: "order_date", type: "timestamptz", default: "now()" },
        { name: "total", type: "numeric(12,2)", notNull: true },
    ],
    partitionKey: "order_date",
    interval: PartitionInterval.Month,
    premake: 2,
    primaryKey: ["id", "order_date"],
    indexes: [{ columns: ["customer_id", "order_date"] }, { columns: ["total"], method: undefined }],
};

/** First instant (UTC) of the month `offset` months from the month holding `at`. */
export function month(offset: number, at = new Date()): Date {
    return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}
export const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");
export const iso = (d: Date) => d.toISOString();
export const partitionName = (table: string, d: Date) => `${table}_p${ymd(d)}`;

/** Partitions of a table with their bounds, in name order. */
export async function partitionsOf(c: Client, table: string): Promise<{ name: string; bound: string }[]> {
    const r = await c.query(
        `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = $1::regclass ORDER BY c.relname`, [table]);
    return r.rows;
}

/** Everything an apply could change: relations, bounds, columns, indexes, constraints, config, jobs. */
export async function catalogSnapshot(c: Client): Promise<unknown> {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
        relations: await q(`SELECT n.nspname, c.relname, c.relkind, pg_get_expr(c.relpartbound, c.oid) AS bound, c.relfilenode
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'scaling_toolkit') ORDER BY 1, 2`),
        columns: await q(`SELECT table_schema, table_name, column_name, data_type, is_nullable, column_default
            FROM information_schema.columns WHERE table_schema IN ('public', 'scaling_toolkit') ORDER BY 1, 2, 3`),
        indexes: await q("SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname IN ('public', 'scaling_toolkit') ORDER BY 1, 2, 3"),
        constraints: await q("SELECT conname, conrelid::regclass::text AS rel, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"),
        functions: await q("SELECT p.proname, md5(p.prosrc) FROM pg_proc p WHERE p.pronamespace = 'scaling_toolkit'::regnamespace ORDER BY 1"),
        config: await q("SELECT * FROM scaling_toolkit.partitioned_tables ORDER BY 1, 2"),
        configRowVersion: await q("SELECT xmin::text FROM scaling_toolkit.partitioned_tables ORDER BY schema_name, table_name"),
    };
}

/** Count and an order-independent checksum of a table's rows (or of a WHERE slice of it). */
export async function fingerprint(c: Client, relation: string, where = "true"): Promise<{ count: number; checksum: string }> {
    const r = await c.query(`SELECT count(*)::int AS count, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS checksum FROM ${relation} t WHERE ${where}`);
    return r.rows[0];
}

/** One throwaway server for a `describe` block, and fresh databases on it. */
export interface ThrowawayServer {
    /** The server (set once the block's `before` hook has run). */
    readonly pg: TestPostgres;
    /** A client on a new database of its own (closed when the block ends). */
    freshDb(): Promise<Client>;
    /** Closes `client` when the block ends. */
    track(client: Client): Client;
}

/**
 * Starts a server before the calling `describe` block's tests and stops it (closing every tracked
 * client first) after them. Call it inside the block.
 */
export function throwawayServer(databasePrefix?: string): ThrowawayServer {
    let server: TestPostgres | undefined;
    const open: Client[] = [];
    const self: ThrowawayServer = {
        get pg(): TestPostgres {
            if (!server) throw new Error("the throwaway server is not started yet (use it inside a test or hook)");
            return server;
        },
        async freshDb() {
            return self.track(await self.pg.connect(await self.pg.createDatabase(databasePrefix)));
        },
        track(client: Client) {
            open.push(client);
            return client;
        },
    };
    before(async () => {
        server = await startPostgres();
    });
    after(async () => {
        await Promise.all(open.map((c) => c.end()));
        await server?.stop();
    });
    return self;
}

/** The partitioning SQL of `tables` without the pg_cron schedule (the tests run maintenance themselves). */
export const sqlFor = (tables: PartitionedTableSpec[]) => generatePartitioningSql(tables, { scheduleMaintenance: false });
