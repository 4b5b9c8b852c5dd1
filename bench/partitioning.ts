/**
 * `npm run bench`: the same orders (BENCH_ROWS, default 3,000,000, over 24 months) in a table
 * partitioned by month with the toolkit's SQL and in a plain table, with the same indexes on both,
 * on a throwaway PostgreSQL server, measured in one run:
 *   1. a one-month range aggregate (median of several runs, warm cache);
 *   2. removing the oldest month: DETACH + DROP of its partition versus DELETE + VACUUM.
 * Not part of `npm test`.
 */
import { Client } from "pg";
import { PartitionInterval } from "../components";
import { generatePartitioningSql } from "../components/database/partitioning/sql";
import { startPostgres } from "../test/support/postgres";

const ROWS = Number(process.env.BENCH_ROWS ?? 3_000_000);
const RUNS = 7;

function month(offset: number): Date {
    const now = new Date();
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}
const ymd = (d: Date) => d.toISOString().slice(0, 10);

async function timed(c: Client, sql: string, params: unknown[] = []): Promise<number> {
    const t = process.hrtime.bigint();
    await c.query(sql, params);
    return Number(process.hrtime.bigint() - t) / 1e6;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
    const first = month(-23);
    const second = month(-22);
    const pg = await startPostgres({ settings: { shared_buffers: "'256MB'", maintenance_work_mem: "'256MB'", max_wal_size: "'4GB'", work_mem: "'32MB'" } });
    try {
        const c = await pg.connect(await pg.createDatabase("bench"));
        const log = (m: string) => console.log(`[bench] ${m}`);
        log(`server on port ${pg.port}; ${ROWS.toLocaleString("en")} rows from ${ymd(first)} over 24 months`);
        await c.query(generatePartitioningSql([{
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
        }], { scheduleMaintenance: false }));
        await c.query(`CREATE TABLE orders_plain (id bigint NOT NULL, customer_id bigint NOT NULL, order_date timestamptz NOT NULL,
            status text NOT NULL, total numeric(12,2) NOT NULL, PRIMARY KEY (id, order_date))`);
        await c.query("CREATE INDEX orders_plain_customer_id_order_date_idx ON orders_plain (customer_id, order_date)");
        await c.query("CREATE INDEX orders_plain_order_date_idx ON orders_plain (order_date)");

        let t = Date.now();
        const span = (month(1).getTime() - first.getTime()) / 1000;
        await c.query(`INSERT INTO orders_plain
            SELECT g, (g * 7919) % 50000, $1::timestamptz + ((g * 104729) % $3::bigint) * interval '1 second',
                   (ARRAY['new','paid','shipped','delivered','returned'])[1 + g % 5], ((g * 31) % 100000) / 100.0
            FROM generate_series(1, $2::bigint) g`, [first, ROWS, Math.floor(span)]);
        await c.query("INSERT INTO orders SELECT * FROM orders_plain");
        await c.query("VACUUM ANALYZE orders_plain");
        await c.query("VACUUM ANALYZE orders");
        log(`loaded both tables in ${((Date.now() - t) / 1000).toFixed(1)} s`);

        const counts = async () => (await c.query("SELECT (SELECT count(*) FROM orders)::bigint AS p, (SELECT count(*) FROM orders_plain)::bigint AS u")).rows[0];
        const before = await counts();
        const partitions = (await c.query("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'orders'::regclass")).rows[0].n;
        const withRows = (await c.query("SELECT count(DISTINCT tableoid)::int AS n FROM orders")).rows[0].n;
        const indexes = (await c.query("SELECT tablename, count(*)::int AS n FROM pg_indexes WHERE tablename IN ('orders', 'orders_plain') GROUP BY 1 ORDER BY 1")).rows;

        // 1. One-month range aggregate (a middle month), warm cache, alternating tables.
        const from = month(-12);
        const to = month(-11);
        const agg = (table: string) => `SELECT count(*), sum(total), avg(total) FROM ${table} WHERE order_date >= $1 AND order_date < $2`;
        const monthRows = Number((await c.query(agg("orders"), [from, to])).rows[0].count);
        const plainRows = Number((await c.query(agg("orders_plain"), [from, to])).rows[0].count);
        if (monthRows !== plainRows) {
            throw new Error(`the month has ${monthRows} rows partitioned but ${plainRows} plain`);
        }
        const tp: number[] = [];
        const tu: number[] = [];
        for (let i = 0; i < RUNS; i++) {
            tp.push(await timed(c, agg("orders"), [from, to]));
            tu.push(await timed(c, agg("orders_plain"), [from, to]));
        }
        const queryP = median(tp);
        const queryU = median(tu);

        // 2. Removing the oldest month.
        const oldestRows = Number((await c.query("SELECT count(*) FROM orders_plain WHERE order_date < $1", [second])).rows[0].count);
        const partition = `orders_p${ymd(first).replace(/-/g, "")}`;
        t = Date.now();
        const dropP = await timed(c, `ALTER TABLE orders DETACH PARTITION ${partition}`) + await timed(c, `DROP TABLE ${partition}`);
        const deleteU = await timed(c, "DELETE FROM orders_plain WHERE order_date < $1", [second]);
        const vacuumU = await timed(c, "VACUUM orders_plain");
        const after = await counts();
        if (after.p !== after.u || Number(after.p) !== Number(before.p) - oldestRows) {
            throw new Error(`row counts disagree after removing the oldest month: ${JSON.stringify(after)}`);
        }

        const result = {
            rows: Number(before.p),
            partitions,
            partitionsWithRows: withRows,
            indexes,
            monthRows,
            oldestMonthRows: oldestRows,
            rowsAfterRemoval: Number(after.p),
            rangeAggregateMs: { partitioned: +queryP.toFixed(2), unpartitioned: +queryU.toFixed(2), ratio: +(queryU / queryP).toFixed(2) },
            removeOldestMonthMs: {
                partitioned: +dropP.toFixed(2),
                unpartitioned: +(deleteU + vacuumU).toFixed(2),
                deleteMs: +deleteU.toFixed(2),
                vacuumMs: +vacuumU.toFixed(2),
                ratio: +((deleteU + vacuumU) / dropP).toFixed(1),
            },
        };
        console.log(JSON.stringify(result, null, 2));
    } finally {
        await pg.stop();
    }
}

main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
});
