/**
 * The partitioning SQL against a real PostgreSQL 15 server (pg_cron and pg_stat_statements
 * preloaded). One throwaway server for this file; every test gets its own database.
 */
import { expect } from "chai";
import { PartitionedTableSpec, PartitionInterval, RetentionAction } from "../../components";
import { generatePartitioningSql } from "../../components/database/partitioning/sql";
import { catalogSnapshot, fingerprint, iso, month, ORDERS, partitionName, partitionsOf, sqlFor, throwawayServer } from "../support/partitioning";

describe("partitioning SQL on a real PostgreSQL server", function () {
    this.timeout(120_000);
    const server = throwawayServer();
    const freshDb = () => server.freshDb();

    it("applies twice, the second time changing nothing", async () => {
        const c = await freshDb();
        const sql = sqlFor([{ ...ORDERS, retention: "6 months", backfillFrom: iso(month(-12)).slice(0, 10) }]);
        await c.query(sql);
        const first = await catalogSnapshot(c);
        await c.query(sql);
        expect(await catalogSnapshot(c)).to.deep.equal(first);
        // The same SQL through psql, as `npm run partitions:sql` output is applied by hand.
        server.pg.psql(await c.query("SELECT current_database() AS d").then((r) => r.rows[0].d), sql);
        expect(await catalogSnapshot(c)).to.deep.equal(first);
    });

    it("creates the current and premade partitions with month bounds, and indexes on each", async () => {
        const c = await freshDb();
        await c.query(sqlFor([ORDERS]));
        const parts = await partitionsOf(c, "orders");
        const expected = [0, 1, 2].map((i) => ({
            name: partitionName("orders", month(i)),
            bound: `FOR VALUES FROM ('${iso(month(i)).slice(0, 10)} 00:00:00+00') TO ('${iso(month(i + 1)).slice(0, 10)} 00:00:00+00')`,
        }));
        expect(parts).to.deep.equal(expected);
        const idx = await c.query("SELECT tablename, indexdef FROM pg_indexes WHERE tablename = $1", [expected[1].name]);
        const defs = idx.rows.map((r) => r.indexdef as string);
        expect(defs.some((d) => d.includes("UNIQUE") && d.includes("(id, order_date)"))).to.equal(true);
        expect(defs.some((d) => d.includes("(customer_id, order_date)"))).to.equal(true);
        expect(defs.some((d) => d.includes("(total)"))).to.equal(true);
    });

    it("routes rows to the partition of their month", async () => {
        const c = await freshDb();
        await c.query(sqlFor([{ ...ORDERS, backfillFrom: iso(month(-2)).slice(0, 10) }]));
        const dates = [month(-2), new Date(month(-1).getTime() + 86_400_000 * 10), new Date(month(0).getTime() - 1), month(2)];
        for (const [i, d] of dates.entries()) {
            await c.query("INSERT INTO orders (customer_id, order_date, total) VALUES ($1, $2, 9.99)", [i, d]);
        }
        const r = await c.query("SELECT customer_id, tableoid::regclass::text AS part FROM orders ORDER BY customer_id");
        expect(r.rows.map((row) => row.part)).to.deep.equal([
            partitionName("orders", month(-2)),
            partitionName("orders", month(-1)),
            partitionName("orders", month(-1)),
            partitionName("orders", month(2)),
        ]);
        // Beyond the premade range there is no partition: the insert fails instead of vanishing.
        let error: Error | undefined;
        await c.query("INSERT INTO orders (customer_id, order_date, total) VALUES (9, $1, 1)", [month(6)]).catch((e) => (error = e));
        expect(error?.message).to.match(/no partition of relation "orders" found for row/);
    });

    it("prunes a one-month range query to that month's partition (EXPLAIN)", async () => {
        const c = await freshDb();
        await c.query(sqlFor([{ ...ORDERS, backfillFrom: iso(month(-6)).slice(0, 10) }]));
        await c.query(`INSERT INTO orders (customer_id, order_date, total)
            SELECT g % 100, $1::timestamptz + (g % 200) * interval '1 day', g FROM generate_series(1, 2000) g`, [month(-6)]);
        await c.query("ANALYZE orders");
        const plan = (await c.query(`EXPLAIN (FORMAT JSON) SELECT count(*), sum(total) FROM orders
            WHERE order_date >= $1 AND order_date < $2`, [month(-3), month(-2)])).rows[0]["QUERY PLAN"];
        const relations = new Set<string>();
        const walk = (node: any) => {
            if (node["Relation Name"]) {
                relations.add(node["Relation Name"]);
            }
            (node.Plans ?? []).forEach(walk);
        };
        walk(plan[0].Plan);
        expect([...relations]).to.deep.equal([partitionName("orders", month(-3))]);
    });

    for (const action of [RetentionAction.Drop, RetentionAction.Detach]) {
        it(`run_maintenance with a later p_now creates new partitions and ${action === RetentionAction.Drop ? "drops" : "detaches"} expired ones; retained rows survive`, async () => {
            const c = await freshDb();
            await c.query(sqlFor([{ ...ORDERS, retention: "4 months", retentionAction: action, backfillFrom: iso(month(-12)).slice(0, 10) }]));
            // Backfill stops at the retention: the oldest partition is the one holding now - 4 months.
            const before = (await partitionsOf(c, "orders")).map((p) => p.name);
            expect(before).to.deep.equal([-4, -3, -2, -1, 0, 1, 2].map((i) => partitionName("orders", month(i))));
            await c.query(`INSERT INTO orders (customer_id, order_date, total)
                SELECT g % 50, $1::timestamptz + (g % 210) * interval '1 day' + (g % 24) * interval '1 hour', g / 7.0
                FROM generate_series(1, 5000) g`, [month(-4)]);

            const later = new Date(month(3).getTime() + 5 * 86_400_000); // p_now: day 6 of the month three ahead
            const cutoff = month(3 - 4); // partitions ending at or before later - 4 months (a month start) go
            const kept = await fingerprint(c, "orders", `order_date >= '${iso(cutoff)}'`);
            const removed = await fingerprint(c, "orders", `order_date < '${iso(cutoff)}'`);
            expect(kept.count).to.be.greaterThan(0);
            expect(removed.count).to.be.greaterThan(0);

            await c.query("SELECT scaling_toolkit.run_maintenance($1)", [later]);

            const after = (await partitionsOf(c, "orders")).map((p) => p.name);
            expect(after).to.deep.equal([-1, 0, 1, 2, 3, 4, 5].map((i) => partitionName("orders", month(i))));
            expect(await fingerprint(c, "orders")).to.deep.equal(kept);
            const gone = [-4, -3, -2].map((i) => partitionName("orders", month(i)));
            const remaining = await c.query("SELECT relname FROM pg_class WHERE relname = ANY($1) ORDER BY relname", [gone]);
            if (action === RetentionAction.Drop) {
                expect(remaining.rows).to.deep.equal([]);
            } else {
                // Detached partitions are standalone tables holding every expired row.
                expect(remaining.rows.map((r) => r.relname)).to.deep.equal(gone);
                const archived = await c.query(gone.map((g) => `SELECT * FROM "${g}"`).join(" UNION ALL "));
                expect(archived.rowCount).to.equal(removed.count);
            }
        });
    }

    it("converts a populated unpartitioned table without losing a row", async () => {
        const c = await freshDb();
        await c.query(`CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, order_date timestamptz NOT NULL DEFAULT now(), total numeric(12,2) NOT NULL)`);
        await c.query(`INSERT INTO orders (customer_id, order_date, total)
            SELECT g % 300, $1::timestamptz + (g % 150) * interval '1 day' + g * interval '1 second', g % 1000 / 3.0
            FROM generate_series(1, 20000) g`, [month(-5)]);
        const original = await fingerprint(c, "orders");
        const maxId = Number((await c.query("SELECT max(id) AS m FROM orders")).rows[0].m);
        const newest = (await c.query("SELECT max(order_date) AS m FROM orders")).rows[0].m as Date;

        // Without convertExisting the apply refuses and changes nothing.
        let refused: Error | undefined;
        await c.query(sqlFor([ORDERS])).catch((e) => (refused = e));
        expect(refused?.message).to.match(/exists and is not partitioned; set convertExisting/);
        await c.query("ROLLBACK");
        expect((await c.query("SELECT relkind FROM pg_class WHERE relname = 'orders'")).rows[0].relkind).to.equal("r");

        const sql = sqlFor([{ ...ORDERS, convertExisting: true }]);
        await c.query(sql);
        expect((await c.query("SELECT relkind FROM pg_class WHERE relname = 'orders'")).rows[0].relkind).to.equal("p");
        expect(await fingerprint(c, "orders")).to.deep.equal(original);
        expect(await fingerprint(c, "orders_legacy")).to.deep.equal(original);

        const boundary = month(1, newest);
        const parts = await partitionsOf(c, "orders");
        expect(parts[0]).to.deep.equal({
            name: "orders_legacy",
            bound: `FOR VALUES FROM (MINVALUE) TO ('${iso(boundary).slice(0, 10)} 00:00:00+00')`,
        });
        // Interval partitions start at the legacy boundary and run to the premade range.
        const expected: string[] = [];
        for (let d = boundary; d <= month(2); d = month(1, d)) {
            expected.push(partitionName("orders", d));
        }
        expect(parts.slice(1).map((p) => p.name)).to.deep.equal(expected);

        // New rows: routed to interval partitions, ids continuing after the old ones; late rows for
        // the converted range still land in the legacy partition.
        const ins = await c.query("INSERT INTO orders (customer_id, order_date, total) VALUES (1, $1, 5), (2, $2, 6) RETURNING id, tableoid::regclass::text AS part",
            [new Date(boundary.getTime() + 3600_000), new Date(boundary.getTime() - 3600_000)]);
        expect(ins.rows.map((r) => r.part)).to.deep.equal([partitionName("orders", boundary), "orders_legacy"]);
        expect(ins.rows.every((r) => Number(r.id) > maxId)).to.equal(true);

        // Applying again changes nothing and keeps every row.
        const snapshot = await catalogSnapshot(c);
        await c.query(sql);
        expect(await catalogSnapshot(c)).to.deep.equal(snapshot);
        expect((await fingerprint(c, "orders")).count).to.equal(original.count + 2);
    });

    it("quotes every identifier: reserved words as table and column names work", async () => {
        const c = await freshDb();
        const spec: PartitionedTableSpec = {
            schema: "select",
            name: "order",
            columns: [{ name: "user", type: "text" }, { name: "from", type: "date" }],
            partitionKey: "from",
            interval: PartitionInterval.Week,
            premake: 1,
            indexes: [{ name: "where", columns: ["user"] }],
        };
        await c.query(sqlFor([spec]));
        await c.query(`INSERT INTO "select"."order" ("user", "from") VALUES ('x', current_date)`);
        const parts = await c.query(`SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = '"select"."order"'::regclass`);
        expect(parts.rows[0].n).to.equal(2);
        expect((await c.query(`SELECT tableoid::regclass::text AS p FROM "select"."order"`)).rows[0].p).to.match(/^"select"\.order_p\d{8}$/);
    });

    it("schedules the maintenance procedure with cron.schedule_in_database, and the job runs it", async () => {
        const c = await server.pg.connect(server.pg.cronDatabase);
        server.track(c);
        const sql = generatePartitioningSql([ORDERS], { maintenanceSchedule: "*/15 * * * *" });
        // What 0.1.0 left: its job, and a config table without default_partition.
        await c.query("CREATE EXTENSION pg_cron");
        await c.query("SELECT cron.schedule('scaling-toolkit-partition-maintenance', '7 * * * *', 'SELECT scaling_toolkit.run_maintenance()')");
        await c.query(`CREATE SCHEMA scaling_toolkit; CREATE TABLE scaling_toolkit.partitioned_tables (schema_name text NOT NULL, table_name text NOT NULL,
            partition_key text NOT NULL, key_kind text NOT NULL, interval_unit text NOT NULL, premake integer NOT NULL, retention interval,
            retention_action text NOT NULL, legacy_upper timestamp, PRIMARY KEY (schema_name, table_name))`);
        await c.query(sql);
        await c.query(sql);
        const jobs = await c.query("SELECT jobname, schedule, command, database, active FROM cron.job");
        expect(jobs.rows).to.deep.equal([{
            jobname: `scaling-toolkit-partition-maintenance:${server.pg.cronDatabase}`,
            schedule: "*/15 * * * *",
            command: "CALL scaling_toolkit.run_maintenance_proc()",
            database: server.pg.cronDatabase,
            active: true,
        }]);
        expect((await partitionsOf(c, "orders")).length).to.equal(3);
        // The command as pg_cron runs it (a top-level CALL): it commits per table and reports.
        await c.query(jobs.rows[0].command);
        const status = await c.query("SELECT schema_name, table_name, last_outcome, skipped_in_row FROM scaling_toolkit.maintenance_status");
        expect(status.rows).to.deep.equal([{ schema_name: "public", table_name: "orders", last_outcome: "create ok 0, retention ok 0", skipped_in_row: 0 }]);
    });

    it("applied in a database other than pg_cron's, schedules nothing and warns with the statement to run there", async () => {
        const c = await freshDb();
        const notices: string[] = [];
        c.on("notice", (n) => notices.push(String(n.message)));
        await c.query(generatePartitioningSql([ORDERS]));
        const db = (await c.query("SELECT current_database() AS d")).rows[0].d;
        expect(notices.join("\n")).to.contain(`pg_cron lives in database ${server.pg.cronDatabase}, not here; run this there: SELECT cron.schedule_in_database('scaling-toolkit-partition-maintenance:${db}'`);
        // That statement, run in the cron database, schedules the job in this one.
        const statement = /run this there: (SELECT cron\.schedule_in_database\(.*\);)/.exec(notices.join("\n"))![1];
        const cron = await server.pg.connect(server.pg.cronDatabase);
        server.track(cron);
        await cron.query(statement);
        const job = await cron.query("SELECT command, database FROM cron.job WHERE jobname = $1", [`scaling-toolkit-partition-maintenance:${db}`]);
        expect(job.rows).to.deep.equal([{ command: "CALL scaling_toolkit.run_maintenance_proc()", database: db }]);
    });
});
