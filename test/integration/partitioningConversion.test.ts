/**
 * Converting and re-applying on a real PostgreSQL server: what the types, indexes, sequences and
 * columns look like afterwards, and the edge cases of a production table (an outlier row, a gap to
 * now, foreign keys, views, a name already taken), each a correct result or an error before
 * anything changes.
 */
import { expect } from "chai";
import { Client } from "pg";
import { PartitionedTableSpec } from "../../components";
import { fingerprint, iso, month, ORDERS, partitionName, partitionsOf, sqlFor, throwawayServer } from "../support/partitioning";

const PLAIN_ORDERS = `CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL,
    order_date timestamptz NOT NULL DEFAULT now(), total numeric(12,2) NOT NULL)`;

/** `method (columns)` of every valid index of each relation (the parent and every partition). */
async function indexDefinitions(c: Client, table: string): Promise<Record<string, string[]>> {
    const r = await c.query(`
        SELECT t.relname AS rel, regexp_replace(pg_get_indexdef(i.indexrelid), '^.* USING ', '') AS def, i.indisvalid AS valid
        FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.oid = $1::regclass OR t.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = $1::regclass)
        ORDER BY 1, 2`, [table]);
    const out: Record<string, string[]> = {};
    for (const row of r.rows) {
        (out[row.rel] ??= []).push(row.valid ? row.def : `INVALID ${row.def}`);
    }
    return out;
}

/** Index names of the parent and how many partitions have an index attached to each. */
async function attachedCounts(c: Client, table: string): Promise<Record<string, number>> {
    const r = await c.query(`
        SELECT pc.relname AS name, (SELECT count(*)::int FROM pg_inherits ii WHERE ii.inhparent = pi.indexrelid) AS n
        FROM pg_index pi JOIN pg_class pc ON pc.oid = pi.indexrelid WHERE pi.indrelid = $1::regclass ORDER BY 1`, [table]);
    return Object.fromEntries(r.rows.map((row) => [row.name, row.n]));
}

async function rejected(c: Client, sql: string): Promise<string> {
    let message = "";
    await c.query(sql).catch((e: Error) => (message = e.message));
    await c.query("ROLLBACK");
    expect(message, "the apply should have failed").to.not.equal("");
    return message;
}

/** What an apply that failed must have left untouched. */
async function untouched(c: Client): Promise<{ kind: string; toolkit: number; legacy: number }> {
    const r = await c.query(`SELECT (SELECT relkind::text FROM pg_class WHERE relname = 'orders') AS kind,
        (SELECT count(*)::int FROM pg_namespace WHERE nspname = 'scaling_toolkit') AS toolkit,
        (SELECT count(*)::int FROM pg_class WHERE relname = 'orders_legacy') AS legacy`);
    return r.rows[0];
}

describe("partitioning conversion and re-apply on a real PostgreSQL server", function () {
    this.timeout(120_000);
    const server = throwawayServer("conv");
    const freshDb = () => server.freshDb();
    const CONVERT: PartitionedTableSpec = { ...ORDERS, convertExisting: true };

    async function populated(c: Client, from = month(-4), days = 120): Promise<void> {
        await c.query(PLAIN_ORDERS);
        await c.query(`INSERT INTO orders (customer_id, order_date, total)
            SELECT g % 100, $1::timestamptz + (g % $2::int) * interval '1 day', g % 500 FROM generate_series(1, 3000) g`, [from, days]);
    }

    it("creates every type the grammar admits, as that type", async () => {
        const c = await freshDb();
        const types = ["bigserial", "numeric(12,2)", "varchar(64)", "character varying(8)", "double precision", "timestamp(3) with time zone",
            "timestamp without time zone", "text[]", "bit varying(8)", "uuid", "jsonb"];
        await c.query(sqlFor([{
            name: "typed",
            columns: [...types.map((type, i) => ({ name: `c${i}`, type })), { name: "at", type: "timestamp(3) with time zone" }],
            partitionKey: "at",
            interval: ORDERS.interval,
            premake: 1,
        }]));
        const r = await c.query(`SELECT attname, format_type(atttypid, atttypmod) AS t FROM pg_attribute
            WHERE attrelid = 'typed'::regclass AND attnum > 0 ORDER BY attnum`);
        expect(r.rows.map((row) => row.t)).to.deep.equal(["bigint", "numeric(12,2)", "character varying(64)", "character varying(8)", "double precision",
            "timestamp(3) with time zone", "timestamp without time zone", "text[]", "bit varying(8)", "uuid", "jsonb", "timestamp(3) with time zone"]);
    });

    it("conversion keeps every spec index on the parent and every partition, though the table had indexes of the same names", async () => {
        const c = await freshDb();
        await populated(c);
        // The spec's default names, already taken on the plain table: one the same index, one another.
        await c.query("CREATE INDEX orders_customer_id_order_date_idx ON orders (customer_id, order_date)");
        await c.query("CREATE INDEX orders_total_idx ON orders (customer_id)");
        const notices: string[] = [];
        c.on("notice", (n) => notices.push(String(n.message)));
        const sql = sqlFor([CONVERT]);
        await c.query(sql);
        const defs = await indexDefinitions(c, "orders");
        const partitions = (await partitionsOf(c, "orders")).map((p) => p.name);
        expect(Object.keys(defs).sort()).to.deep.equal(["orders", ...partitions].sort());
        for (const rel of ["orders", ...partitions]) {
            expect(defs[rel], rel).to.include.members(["btree (id, order_date)", "btree (customer_id, order_date)", "btree (total)"]);
        }
        // The old same-definition index was adopted (not duplicated); the other one stays, renamed.
        expect(defs.orders_legacy.filter((d) => d === "btree (customer_id, order_date)")).to.have.length(1);
        expect(defs.orders_legacy).to.include("btree (customer_id)");
        expect(notices.join("\n")).to.contain("renamed the index public.orders_total_idx of partition public.orders_legacy to orders_total_idx_old1");
        const counts = await attachedCounts(c, "orders");
        expect(counts).to.deep.equal({ orders_customer_id_order_date_idx: partitions.length, orders_pkey: partitions.length, orders_total_idx: partitions.length });
        // Applying again changes nothing.
        await c.query(sql);
        expect(await indexDefinitions(c, "orders")).to.deep.equal(defs);
    });

    it("adopts indexes built beforehand (CONCURRENTLY) with the spec's definitions: the primary key and secondary indexes are not rebuilt", async () => {
        const c = await freshDb();
        await populated(c);
        await c.query("CREATE UNIQUE INDEX CONCURRENTLY orders_id_date ON orders (id, order_date)");
        await c.query("CREATE INDEX CONCURRENTLY orders_by_customer ON orders (customer_id, order_date)");
        const oids = async () => (await c.query(`SELECT relname, oid::int FROM pg_class WHERE relname IN ('orders_id_date', 'orders_legacy_pkey', 'orders_by_customer') ORDER BY 1`)).rows;
        const prebuilt = await oids();
        await c.query(sqlFor([CONVERT]));
        const pk = await c.query("SELECT conindid::int AS oid, conindid::regclass::text AS name FROM pg_constraint WHERE conrelid = 'orders_legacy'::regclass AND contype = 'p'");
        expect(pk.rows[0]).to.deep.equal({ oid: prebuilt.find((r) => r.relname === "orders_id_date").oid, name: "orders_legacy_pkey" });
        const adopted = await c.query(`SELECT i.inhparent::regclass::text AS parent FROM pg_inherits i WHERE i.inhrelid = $1`, [prebuilt.find((r) => r.relname === "orders_by_customer").oid]);
        expect(adopted.rows).to.deep.equal([{ parent: "orders_customer_id_order_date_idx" }]);
        expect((await indexDefinitions(c, "orders")).orders_legacy).to.have.members(["btree (id, order_date)", "btree (customer_id, order_date)", "btree (total)"]);
    });

    it("every apply repairs a spec index missing on partitions, and accepts one of another name with the same definition", async () => {
        const c = await freshDb();
        await c.query(sqlFor([ORDERS]));
        await c.query("DROP INDEX orders_total_idx");
        await c.query("CREATE INDEX orders_total_idx ON ONLY orders (total)"); // valid on the parent only once every partition has it
        await c.query("DROP INDEX orders_customer_id_order_date_idx");
        await c.query("CREATE INDEX by_customer ON orders (customer_id, order_date)");
        expect((await indexDefinitions(c, "orders")).orders).to.include("INVALID btree (total)");
        await c.query(sqlFor([ORDERS]));
        const defs = await indexDefinitions(c, "orders");
        const partitions = (await partitionsOf(c, "orders")).map((p) => p.name);
        for (const rel of ["orders", ...partitions]) {
            expect(defs[rel], rel).to.have.members(["btree (id, order_date)", "btree (customer_id, order_date)", "btree (total)"]);
        }
        expect(await attachedCounts(c, "orders")).to.deep.equal({ by_customer: partitions.length, orders_pkey: partitions.length, orders_total_idx: partitions.length });
    });

    it("refuses an index whose name another table's index holds, or that exists with another definition", async () => {
        const c = await freshDb();
        await c.query("CREATE TABLE other (total int)");
        await c.query("CREATE INDEX orders_total_idx ON other (total)");
        expect(await rejected(c, sqlFor([ORDERS]))).to.contain("the name public.orders_total_idx of an index of public.orders is taken by CREATE INDEX orders_total_idx ON public.other");
        await c.query("DROP TABLE other");
        await c.query(sqlFor([ORDERS]));
        await c.query("DROP INDEX orders_total_idx");
        await c.query("CREATE INDEX orders_total_idx ON orders USING brin (total)");
        expect(await rejected(c, sqlFor([ORDERS]))).to.contain("index public.orders_total_idx exists on public.orders as \"CREATE INDEX orders_total_idx ON ONLY public.orders USING brin (total)\", not as the spec asks (non-unique btree on (total))");
    });

    it("leaves one sequence owning the id after conversion: no id is issued twice, ids fetched before the conversion included", async () => {
        const c = await freshDb();
        await populated(c);
        // A writer that reserved ids before the conversion and inserts them after it.
        const writer = await server.pg.connect((await c.query("SELECT current_database() AS d")).rows[0].d);
        server.track(writer);
        const reserved = (await writer.query("SELECT nextval('orders_id_seq') AS id FROM generate_series(1, 5)")).rows.map((r) => Number(r.id));
        // Another writer inside a transaction holding the table while the conversion starts: the
        // conversion waits for it (within its lock timeout) and then continues after its id.
        await writer.query("BEGIN");
        const inFlight = Number((await writer.query("INSERT INTO orders (customer_id, total) VALUES (7, 1) RETURNING id")).rows[0].id);
        const conversion = c.query(sqlFor([CONVERT]));
        await new Promise((r) => setTimeout(r, 500));
        await writer.query("COMMIT");
        await conversion;

        const seqs = await c.query("SELECT c.relname FROM pg_class c WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace");
        expect(seqs.rows.map((r) => r.relname)).to.deep.equal(["orders_id_seq"]);
        expect((await c.query("SELECT pg_get_serial_sequence('orders', 'id') AS s")).rows[0].s).to.equal("public.orders_id_seq");
        const defaults = await c.query(`SELECT c.relname, pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
            JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE a.attname = 'id' ORDER BY 1`);
        expect(new Set(defaults.rows.map((r) => r.def))).to.deep.equal(new Set(["nextval('orders_id_seq'::regclass)"]));
        expect(defaults.rows.map((r) => r.relname)).to.include.members(["orders", "orders_legacy"]);

        // Through the parent, straight into the legacy partition, and the reserved ids: all distinct.
        const now = new Date();
        await c.query("INSERT INTO orders (customer_id, order_date, total) SELECT 1001, $1, 1 FROM generate_series(1, 20)", [now]);
        await c.query("INSERT INTO orders_legacy (customer_id, order_date, total) SELECT 1002, $1, 2 FROM generate_series(1, 20)", [month(-3)]);
        for (const id of reserved) {
            await writer.query("INSERT INTO orders (id, customer_id, order_date, total) VALUES ($1, 3, $2, 3)", [id, now]);
        }
        const ids = await c.query("SELECT count(*)::int AS n, count(DISTINCT id)::int AS d, min(id) FILTER (WHERE customer_id IN (1001, 1002)) AS first FROM orders");
        expect(ids.rows[0].n).to.equal(3000 + 1 + 40 + 5);
        expect(ids.rows[0].d).to.equal(ids.rows[0].n);
        expect(Number(ids.rows[0].first)).to.be.greaterThan(Math.max(inFlight, ...reserved));
    });

    it("a far-future outlier row gets a partition of its own; the legacy partition ends with the current interval and retention applies", async () => {
        const c = await freshDb();
        await populated(c, month(-4), 100);
        await c.query("INSERT INTO orders (customer_id, order_date, total) VALUES (4242, '2099-01-05 10:00+00', 1)");
        const original = await fingerprint(c, "orders");
        const newest = (await c.query("SELECT max(order_date) AS m FROM orders WHERE order_date < '2099-01-01'")).rows[0].m as Date;
        await c.query(sqlFor([{ ...CONVERT, retention: "2 months" }]));
        expect(await fingerprint(c, "orders")).to.deep.equal(original);
        const parts = await partitionsOf(c, "orders");
        expect(parts[0]).to.deep.equal({ name: "orders_legacy", bound: `FOR VALUES FROM (MINVALUE) TO ('${iso(month(1, newest)).slice(0, 10)} 00:00:00+00')` });
        expect(parts.map((p) => p.name)).to.include.members([partitionName("orders", month(1)), partitionName("orders", month(2)), "orders_p20990101"]);
        expect((await c.query("SELECT tableoid::regclass::text AS p FROM orders WHERE customer_id = 4242")).rows[0].p).to.equal("orders_p20990101");
        // Maintenance a year on: new partitions are created and expired interval partitions go.
        const later = month(12);
        await c.query("SELECT scaling_toolkit.run_maintenance($1)", [later]);
        const after = (await partitionsOf(c, "orders")).map((p) => p.name);
        expect(after).to.include(partitionName("orders", month(14)));
        expect(after).to.not.include(partitionName("orders", month(1)));
        expect(after).to.include("orders_legacy");
    });

    it("a gap between the newest row and now gets its partitions", async () => {
        const c = await freshDb();
        await populated(c, month(-6), 60); // newest row in month -5 (day 60 of month -6)
        const newest = (await c.query("SELECT max(order_date) AS m FROM orders")).rows[0].m as Date;
        await c.query(sqlFor([CONVERT]));
        const names = (await partitionsOf(c, "orders")).map((p) => p.name);
        const expected = ["orders_legacy"];
        for (let d = month(1, newest); d <= month(2); d = month(1, d)) {
            expected.push(partitionName("orders", d));
        }
        expect(names).to.deep.equal(expected);
        const ins = await c.query("INSERT INTO orders (customer_id, order_date, total) VALUES (1, $1, 1) RETURNING tableoid::regclass::text AS p", [month(-1)]);
        expect(ins.rows[0].p).to.equal(partitionName("orders", month(-1)));
    });

    const refusals: { what: string; setup: string[]; message: string }[] = [
        {
            what: "an inbound foreign key",
            setup: ["CREATE TABLE order_items (order_id bigint REFERENCES orders (id))"],
            message: "cannot convert public.orders: foreign keys reference it (order_items_order_id_fkey on public.order_items). They would keep pointing at orders_legacy",
        },
        { what: "an existing orders_legacy", setup: ["CREATE TABLE orders_legacy (x int)"], message: "cannot convert public.orders: public.orders_legacy already exists" },
        { what: "a view on the table", setup: ["CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100"], message: "views read it (public.big_orders) and would go on reading only orders_legacy" },
        {
            what: "columns that differ from the spec",
            setup: ["ALTER TABLE orders ADD COLUMN note text", "ALTER TABLE orders ALTER COLUMN customer_id TYPE integer"],
            message: "its columns are not the spec's: column customer_id is integer in the table, bigint in the spec; column note is in the table but not in the spec",
        },
        { what: "rows without a partition key", setup: ["ALTER TABLE orders ALTER COLUMN order_date DROP NOT NULL", "UPDATE orders SET order_date = NULL WHERE id <= 3"], message: "3 rows have no order_date (the partition key)" },
    ];
    for (const r of refusals) {
        it(`refuses to convert a table with ${r.what}, changing nothing`, async () => {
            const c = await freshDb();
            await populated(c);
            for (const s of r.setup) {
                await c.query(s);
            }
            const before = await fingerprint(c, "orders");
            const message = await rejected(c, sqlFor([CONVERT]));
            expect(message).to.contain(r.message);
            expect(await untouched(c)).to.deep.equal({ kind: "r", toolkit: 0, legacy: r.what === "an existing orders_legacy" ? 1 : 0 });
            expect(await fingerprint(c, "orders")).to.deep.equal(before);
        });
    }

    it("on re-apply adds a column the spec gained, to every partition, and refuses what it cannot add safely", async () => {
        const c = await freshDb();
        await c.query(sqlFor([ORDERS]));
        await c.query("INSERT INTO orders (customer_id, total) VALUES (1, 1)");
        const grown = { ...ORDERS, columns: [...ORDERS.columns, { name: "note", type: "varchar(40)" }, { name: "paid", type: "boolean", notNull: true, default: "false" }] };
        await c.query(sqlFor([grown]));
        const cols = await c.query(`SELECT c.relname, count(*)::int AS n FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE a.attname IN ('note', 'paid') AND (c.oid = 'orders'::regclass OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'orders'::regclass))
            GROUP BY 1`);
        expect(cols.rows.length).to.equal(1 + (await partitionsOf(c, "orders")).length);
        expect(cols.rows.every((r) => r.n === 2)).to.equal(true);
        expect((await c.query("SELECT paid, note FROM orders")).rows).to.deep.equal([{ paid: false, note: null }]);

        const strict = { ...grown, columns: [...grown.columns, { name: "region", type: "text", notNull: true }] };
        expect(await rejected(c, sqlFor([strict]))).to.contain("column region of public.orders is in the spec but not in the table, and is NOT NULL without a default");
        const retyped = { ...grown, columns: grown.columns.map((col) => (col.name === "customer_id" ? { ...col, type: "text" } : col)) };
        expect(await rejected(c, sqlFor([retyped]))).to.contain("column customer_id of public.orders is bigint in the table but text in the spec");
        const serial = { ...grown, columns: [...grown.columns, { name: "seq", type: "bigserial" }] };
        expect(await rejected(c, sqlFor([serial]))).to.contain("adding a bigserial column rewrites every partition");
    });
});
