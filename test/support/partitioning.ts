/**
 * Shared by the partitioning integration tests: the orders spec, month arithmetic (UTC) and catalog
 * read-outs of a real server.
 */
import { Client } from "pg";
import { PartitionedTableSpec, PartitionInterval } from "../../components";

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
