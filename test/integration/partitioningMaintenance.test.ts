/**
 * Scheduled maintenance under load on a real PostgreSQL server: one session holds a long read on the
 * table, maintenance runs in a second, a third keeps inserting. Maintenance waits at most its lock
 * timeout per attempt, retries with backoff, commits per step and table, skips what it cannot lock and
 * reports it; the inserts never wait much longer than that lock timeout. Also the default partition
 * and the figures the partition watch publishes.
 */
import { expect } from "chai";
import { Client } from "pg";
import { PartitionedTableSpec } from "../../components";
import { generatePartitioningSql } from "../../components/database/partitioning/sql";
import { month, ORDERS, partitionName, partitionsOf } from "../support/partitioning";
import { startPostgres, TestPostgres } from "../support/postgres";

const LOCK_TIMEOUT_MS = 200;
const CALL = `CALL scaling_toolkit.run_maintenance_proc($1, '${LOCK_TIMEOUT_MS} milliseconds', 3, '100 milliseconds')`;

interface Inserts { stop(): Promise<number[]> }

/** Inserts one row at a time into the current month until stopped; returns each insert's latency (ms). */
function keepInserting(c: Client, table = "orders"): Inserts {
    const latencies: number[] = [];
    let running = true;
    const loop = (async () => {
        while (running) {
            const t = process.hrtime.bigint();
            await c.query(`INSERT INTO ${table} (customer_id, order_date, total) VALUES (1, now(), 1)`);
            latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
            await new Promise((r) => setTimeout(r, 10));
        }
    })();
    return { async stop() { running = false; await loop; return latencies; } };
}

describe("partition maintenance with long transactions open, on a real PostgreSQL server", function () {
    this.timeout(120_000);
    let pg: TestPostgres;
    const open: Client[] = [];
    before(async () => {
        pg = await startPostgres({ settings: { log_lock_waits: "on", deadlock_timeout: "'100ms'" } });
    });
    after(async () => {
        await Promise.all(open.map((c) => c.end()));
        await pg?.stop();
    });
    async function sessions(n: number, tables: PartitionedTableSpec[]): Promise<Client[]> {
        const db = await pg.createDatabase("maint");
        const cs: Client[] = [];
        for (let i = 0; i < n; i++) {
            const c = await pg.connect(db);
            open.push(c);
            cs.push(c);
        }
        await cs[0].query(generatePartitioningSql(tables, { scheduleMaintenance: false }));
        return cs;
    }
    const WITH_RETENTION: PartitionedTableSpec = { ...ORDERS, retention: "3 months", backfillFrom: month(-6).toISOString().slice(0, 10) };
    /** Day 6 of the month two ahead: two partitions to create, two to drop. */
    const later = () => new Date(month(2).getTime() + 5 * 86_400_000);

    it("gives up within the lock timeout on a table a long read holds, retries, skips and reports it; inserts keep flowing", async () => {
        const [maint, reader, writer] = await sessions(3, [WITH_RETENTION]);
        const before = (await partitionsOf(maint, "orders")).map((p) => p.name);
        expect(before[0]).to.equal(partitionName("orders", month(-3)));
        const warnings: string[] = [];
        maint.on("notice", (n) => warnings.push(String(n.message)));

        // A long read: ACCESS SHARE on the parent and every partition until it ends.
        await reader.query("BEGIN");
        await reader.query("SELECT count(*) FROM orders");
        const inserts = keepInserting(writer);
        await new Promise((r) => setTimeout(r, 200));
        const t = Date.now();
        await maint.query(CALL, [later()]);
        const took = Date.now() - t;
        await new Promise((r) => setTimeout(r, 200));
        const latencies = await inserts.stop();

        // Three attempts of at most 200 ms each, 100 + 200 ms apart: well under two seconds, not the 8 s read.
        expect(took).to.be.lessThan(2500);
        expect(took).to.be.at.least(3 * LOCK_TIMEOUT_MS);
        expect(warnings.join("\n")).to.contain("skipped retention of public.orders after 3 attempts: canceling statement due to lock timeout");
        const status = (await maint.query("SELECT last_outcome, skipped_in_row, last_success FROM scaling_toolkit.maintenance_status")).rows[0];
        expect(status.last_outcome).to.equal("create ok 2, retention skipped: canceling statement due to lock timeout");
        expect(status.skipped_in_row).to.equal(1);
        expect(status.last_success).to.equal(null);
        // Creating partitions (attach: SHARE UPDATE EXCLUSIVE) went through despite the read and is committed.
        const during = (await partitionsOf(reader, "orders")).map((p) => p.name);
        expect(during).to.include.members([3, 4].map((i) => partitionName("orders", month(i))));
        expect(during).to.include(partitionName("orders", month(-3)));
        // The inserts waited at most about one lock timeout (they queue behind the waiting DROP).
        expect(latencies.length).to.be.greaterThan(5);
        expect(Math.max(...latencies)).to.be.lessThan(LOCK_TIMEOUT_MS + 600);

        // Once the read ends, the next run does the rest.
        await reader.query("COMMIT");
        await maint.query(CALL, [later()]);
        const after = (await partitionsOf(maint, "orders")).map((p) => p.name);
        expect(after[0]).to.equal(partitionName("orders", month(-1)));
        const ok = (await maint.query("SELECT last_outcome, skipped_in_row, last_success FROM scaling_toolkit.maintenance_status")).rows[0];
        expect(ok.last_outcome).to.equal("create ok 0, retention ok 2");
        expect(ok.skipped_in_row).to.equal(0);
        expect(ok.last_success).to.be.an.instanceOf(Date);
    });

    it("skips only the table another session holds: the others are maintained and committed", async () => {
        const events: PartitionedTableSpec = { ...WITH_RETENTION, name: "events", indexes: [] };
        const [maint, holder] = await sessions(2, [WITH_RETENTION, events]);
        await holder.query("BEGIN");
        await holder.query("LOCK TABLE events IN ROW EXCLUSIVE MODE"); // what a long-running write transaction holds
        await maint.query(CALL, [later()]);
        const status = await maint.query("SELECT table_name, last_outcome FROM scaling_toolkit.maintenance_status ORDER BY 1");
        expect(status.rows).to.deep.equal([
            { table_name: "events", last_outcome: "create ok 2, retention skipped: canceling statement due to lock timeout" },
            { table_name: "orders", last_outcome: "create ok 2, retention ok 2" },
        ]);
        await holder.query("ROLLBACK");
    });

    it("a default partition catches rows outside every partition; the watch figures show them, and maintenance moves them into their partition", async () => {
        const [c] = await sessions(1, [{ ...ORDERS, defaultPartition: true }]);
        const parts = await partitionsOf(c, "orders");
        expect(parts.find((p) => p.bound === "DEFAULT")?.name).to.equal("orders_default");
        const health = async (at: Date) => (await c.query("SELECT table_name, premake, future_partitions, default_rows FROM scaling_toolkit.partition_health($1)", [at])).rows;
        expect(await health(new Date())).to.deep.equal([{ table_name: "orders", premake: 2, future_partitions: 2, default_rows: "0" }]);

        const far = new Date(month(4).getTime() + 86_400_000);
        await c.query("INSERT INTO orders (customer_id, order_date, total) VALUES (9, $1, 1), (9, $1, 2)", [far]);
        expect((await c.query("SELECT DISTINCT tableoid::regclass::text AS p FROM orders WHERE customer_id = 9")).rows).to.deep.equal([{ p: "orders_default" }]);
        expect((await health(new Date()))[0].default_rows).to.equal("2");
        // Two months on without maintenance: fewer future partitions than premake.
        expect((await health(month(2)))[0].future_partitions).to.equal(0);

        await c.query(CALL, [month(3)]);
        expect((await c.query("SELECT DISTINCT tableoid::regclass::text AS p FROM orders WHERE customer_id = 9")).rows).to.deep.equal([{ p: partitionName("orders", month(4)) }]);
        expect(await health(month(3))).to.deep.equal([{ table_name: "orders", premake: 2, future_partitions: 2, default_rows: "0" }]);
    });
});
