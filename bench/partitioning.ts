/**
 * `npm run bench:partitioning`: the same orders in a table partitioned by month with the toolkit's SQL
 * and in a plain table, with the same three indexes on both, on a throwaway PostgreSQL server, at each
 * size of BENCH_SIZES (default 1,000,000, 4,000,000 and 16,000,000 rows over 24 months), one fresh
 * database per size:
 *   1. removing the oldest month: DETACH + DROP of its partition (median of the three oldest months)
 *      versus DELETE + VACUUM;
 *   2. a one-month range aggregate, cold (server restarted and the OS page cache dropped, when this
 *      process may) and warm (median of several runs), with the settings that produced it.
 * Rows are generated inside the server (generate_series), the plain table is indexed after loading
 * and the partitioned one gets its secondary indexes by re-applying the toolkit's SQL (which builds
 * them per partition). Bounded: sizes left when BENCH_MINUTES (default 45) have passed are skipped
 * and reported as such. BENCH_SHARED_BUFFERS (default 512MB) sets shared_buffers. Prints one JSON
 * document. Not part of `npm test`.
 */
import { writeFileSync } from "fs";
import { Client } from "pg";
import { PartitionedTableSpec, PartitionInterval } from "../components";
import { generatePartitioningSql } from "../components/database/partitioning/sql";
import { startPostgres, TestPostgres } from "../test/support/postgres";

const SIZES = (process.env.BENCH_SIZES ?? "1000000,4000000,16000000").split(",").map(Number);
const BUDGET_MS = Number(process.env.BENCH_MINUTES ?? 45) * 60_000;
const RUNS = 7;
const SETTINGS: Record<string, string> = {
    shared_buffers: `'${process.env.BENCH_SHARED_BUFFERS ?? "512MB"}'`,
    maintenance_work_mem: "'512MB'",
    work_mem: "'32MB'",
    max_wal_size: "'8GB'",
    checkpoint_timeout: "'30min'",
    max_parallel_workers_per_gather: "2",
    jit: "off",
    autovacuum: "off",
};

function month(offset: number): Date {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}
const ymd = (d: Date) => d.toISOString().slice(0, 10);
const log = (m: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 1) => +x.toFixed(digits);

async function timed(c: Client, sql: string, params: unknown[] = []): Promise<number> {
    const t = process.hrtime.bigint();
    await c.query(sql, params);
    return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Drops the OS page cache (needs root); false when this process may not. */
function dropOsCache(): boolean {
    try {
        writeFileSync("/proc/sys/vm/drop_caches", "3\n");
        return true;
    } catch {
        return false;
    }
}

const first = month(-23);
const SPEC: PartitionedTableSpec = {
    name: "orders",
    columns: [
        { name: "id", type: "bigint", notNull: true },
        { name: "customer_id", type: "bigint", notNull: true },
        { name: "order_date", type: "timestamptz" },
        { name: "status", type: "text", notNull: true },
        { name: "total", type: "numeric(12,2)", notNull: true },
    ],
    partitionKey: "order_date",
    interval: PartitionInterval.Month,
    premake: 1,
    backfillFrom: ymd(first),
    primaryKey: ["id", "order_date"],
    indexes: [{ columns: ["customer_id", "order_date"] }, { columns: ["order_date"] }],
};

async function measure(pg: TestPostgres, rows: number): Promise<Record<string, unknown>> {
    const db = await pg.createDatabase("bench");
    let c = await pg.connect(db);
    const started = Date.now();
    // The partitioned table with its primary key only; the secondary indexes come after the load.
    await c.query(generatePartitioningSql([{ ...SPEC, indexes: [] }], { scheduleMaintenance: false }));
    await c.query(`CREATE TABLE orders_plain (id bigint NOT NULL, customer_id bigint NOT NULL, order_date timestamptz NOT NULL,
        status text NOT NULL, total numeric(12,2) NOT NULL)`);
    const span = Math.floor((month(1).getTime() - first.getTime()) / 1000);
    // Dates scattered over 24 months (a multiplicative hash of the id), as orders arrive from many sources.
    await c.query(`INSERT INTO orders_plain
        SELECT g, (g * 7919) % 50000, $1::timestamptz + ((g * 104729) % $3::bigint) * interval '1 second',
               (ARRAY['new','paid','shipped','delivered','returned'])[1 + g % 5], ((g * 31) % 100000) / 100.0
        FROM generate_series(1, $2::bigint) g`, [first, rows, span]);
    await c.query("INSERT INTO orders SELECT * FROM orders_plain");
    await c.query("ALTER TABLE orders_plain ADD PRIMARY KEY (id, order_date)");
    await c.query("CREATE INDEX orders_plain_customer_id_order_date_idx ON orders_plain (customer_id, order_date)");
    await c.query("CREATE INDEX orders_plain_order_date_idx ON orders_plain (order_date)");
    await c.query(generatePartitioningSql([SPEC], { scheduleMaintenance: false }));
    await c.query("VACUUM ANALYZE orders_plain");
    await c.query("VACUUM ANALYZE orders");
    const loadSeconds = (Date.now() - started) / 1000;
    log(`${rows.toLocaleString("en")} rows loaded and indexed in ${loadSeconds.toFixed(0)} s`);

    const indexes = (await c.query("SELECT tablename, count(*)::int AS n FROM pg_indexes WHERE tablename IN ('orders', 'orders_plain') GROUP BY 1 ORDER BY 1")).rows;
    const sizes = (await c.query(`SELECT pg_size_pretty(pg_total_relation_size('orders_plain')) AS plain,
        pg_size_pretty((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'orders'::regclass)::bigint) AS partitioned`)).rows[0];

    // 1. The one-month aggregate (a middle month): cold, then warm.
    const from = month(-12);
    const to = month(-11);
    const agg = (table: string) => `SELECT count(*), sum(total), avg(total) FROM ${table} WHERE order_date >= $1 AND order_date < $2`;
    const monthRows = Number((await c.query(agg("orders"), [from, to])).rows[0].count);
    const plainRows = Number((await c.query(agg("orders_plain"), [from, to])).rows[0].count);
    if (monthRows !== plainRows) {
        throw new Error(`the month has ${monthRows} rows partitioned but ${plainRows} plain`);
    }
    const plan = async (table: string) => {
        const p = (await c.query(`EXPLAIN (FORMAT JSON) ${agg(table)}`, [from, to])).rows[0]["QUERY PLAN"][0].Plan;
        const nodes: string[] = [];
        interface PlanNode { "Node Type": string; "Relation Name"?: string; "Index Name"?: string; Plans?: PlanNode[] }
        const walk = (n: PlanNode) => {
            if (/Scan/.test(n["Node Type"])) {
                nodes.push(`${n["Node Type"]}${n["Relation Name"] ? ` on ${n["Relation Name"]}` : ""}${n["Index Name"] ? ` using ${n["Index Name"]}` : ""}`);
            }
            (n.Plans ?? []).forEach(walk);
        };
        walk(p);
        return [...new Set(nodes)];
    };
    const plans = { partitioned: await plan("orders"), unpartitioned: await plan("orders_plain") };
    const cold: Record<string, number> = {};
    let osCacheDropped = false;
    for (const [key, table] of [["partitioned", "orders"], ["unpartitioned", "orders_plain"]]) {
        await pg.restart();
        osCacheDropped = dropOsCache();
        c = await pg.connect(db);
        cold[key] = await timed(c, agg(table), [from, to]);
    }
    const tp: number[] = [];
    const tu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        tp.push(await timed(c, agg("orders"), [from, to]));
        tu.push(await timed(c, agg("orders_plain"), [from, to]));
    }

    // 2. Removing the oldest month.
    const second = month(-22);
    const oldestRows = Number((await c.query("SELECT count(*) FROM orders_plain WHERE order_date < $1", [second])).rows[0].count);
    const before = Number((await c.query("SELECT count(*) FROM orders")).rows[0].count);
    const removePartition = async (start: Date) => {
        const partition = `orders_p${ymd(start).replace(/-/g, "")}`;
        // DETACH is the step that locks the parent; the DROP of the detached table touches only it.
        const detach = await timed(c, `ALTER TABLE orders DETACH PARTITION ${partition}`);
        const drop = await timed(c, `DROP TABLE ${partition}`);
        return { detach, drop };
    };
    const firstRemoval = await removePartition(first);
    const del = await timed(c, "DELETE FROM orders_plain WHERE order_date < $1", [second]);
    const vacuum = await timed(c, "VACUUM orders_plain");
    const after = (await c.query("SELECT (SELECT count(*) FROM orders)::bigint AS p, (SELECT count(*) FROM orders_plain)::bigint AS u")).rows[0];
    if (after.p !== after.u || Number(after.p) !== before - oldestRows) {
        throw new Error(`row counts disagree after removing the oldest month: ${JSON.stringify(after)}`);
    }
    // Two more months on the partitioned side, for a median of three (one removal is noisy on a shared machine).
    const removals = [firstRemoval, await removePartition(month(-22)), await removePartition(month(-21))];
    const detach = median(removals.map((r) => r.detach));
    const drop = median(removals.map((r) => r.drop));
    const total = median(removals.map((r) => r.detach + r.drop));
    await c.end();
    await pg.dropDatabase(db);
    return {
        rows,
        loadSeconds: round(loadSeconds, 0),
        sizes,
        indexes,
        removeOldestMonth: {
            rows: oldestRows,
            partitionedMs: round(total),
            detachMs: round(detach),
            dropMs: round(drop),
            partitionedRunsMs: removals.map((r) => round(r.detach + r.drop)),
            unpartitionedMs: round(del + vacuum),
            deleteMs: round(del),
            vacuumMs: round(vacuum),
            ratio: round((del + vacuum) / total),
        },
        monthAggregate: {
            rows: monthRows,
            coldMs: { partitioned: round(cold.partitioned), unpartitioned: round(cold.unpartitioned), ratio: round(cold.unpartitioned / cold.partitioned, 2) },
            warmMedianMs: { partitioned: round(median(tp)), unpartitioned: round(median(tu)), ratio: round(median(tu) / median(tp), 2) },
            osCacheDropped,
            plans,
        },
    };
}

async function main(): Promise<void> {
    const t0 = Date.now();
    const pg = await startPostgres({ settings: SETTINGS });
    const results: Record<string, unknown>[] = [];
    const skipped: number[] = [];
    try {
        const c = await pg.connect("postgres");
        const version = (await c.query("SHOW server_version")).rows[0].server_version;
        await c.end();
        for (const rows of SIZES) {
            if (Date.now() - t0 > BUDGET_MS) {
                skipped.push(rows);
                continue;
            }
            log(`measuring ${rows.toLocaleString("en")} rows`);
            results.push(await measure(pg, rows));
        }
        const removal = results.map((r) => (r.removeOldestMonth as { partitionedMs: number }).partitionedMs);
        const detaches = results.map((r) => (r.removeOldestMonth as { detachMs: number }).detachMs);
        console.log(JSON.stringify({
            server: `PostgreSQL ${version}`,
            settings: { ...Object.fromEntries(Object.entries(SETTINGS).map(([k, v]) => [k, v.replace(/'/g, "")])), fsync: "off", synchronous_commit: "off" },
            results,
            skippedSizes: skipped,
            partitionedRemovalSpread: removal.length ? round(Math.max(...removal) / Math.min(...removal), 2) : null,
            detachSpread: detaches.length ? round(Math.max(...detaches) / Math.min(...detaches), 2) : null,
            minutes: round((Date.now() - t0) / 60_000),
        }, null, 2));
    } finally {
        await pg.stop();
    }
}

main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
});
