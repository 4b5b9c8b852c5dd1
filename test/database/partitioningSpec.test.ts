import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { IndexMethod, PartitionedTableSpec, PartitionInterval, ValidationError } from "../../components";
import { loadPartitioningSpec } from "../../components/database/partitioning/load";
import { FUNCTION_FILES, generatePartitioningSql, ident, literal, sqlDigest } from "../../components/database/partitioning/sql";
import { isColumnType } from "../../components/database/partitioning/spec";
import { fillSql, SQL_DIR } from "../../components/database/partitioning/template";
import { expectValidationError } from "../support/harness";

const ORDERS: PartitionedTableSpec = {
    name: "orders",
    columns: [
        { name: "id", type: "bigserial", notNull: true },
        { name: "order_date", type: "timestamptz" },
        { name: "total", type: "numeric(12,2)" },
    ],
    partitionKey: "order_date",
    interval: PartitionInterval.Month,
    primaryKey: ["id", "order_date"],
};

const gen = (overrides: Partial<PartitionedTableSpec>, extra: PartitionedTableSpec[] = []) => () => generatePartitioningSql([{ ...ORDERS, ...overrides }, ...extra]);
const HOSTILE = ["orders; DROP TABLE users; --", "Orders", "orders\"", "o'rders", "1orders", "", "orders table", "a".repeat(64), "ordérs", "orders\u0000"];

describe("partitioning spec validation", () => {
    it("generates one transaction from the .sql files, each table as one JSON document, deterministically", () => {
        const sql = generatePartitioningSql([ORDERS]);
        expect(sql).to.match(/^BEGIN;$/m);
        expect(sql.trimEnd().endsWith("COMMIT;")).to.equal(true);
        for (const file of FUNCTION_FILES) {
            expect(sql).to.contain(readFileSync(join(SQL_DIR, file), "utf8").trimEnd());
        }
        const calls = sql.split("\n").filter((l) => l.startsWith("SELECT scaling_toolkit.apply_table("));
        expect(calls).to.have.length(1);
        const doc = JSON.parse(/^SELECT scaling_toolkit\.apply_table\('(.*)'::jsonb\);$/.exec(calls[0])![1].replace(/''/g, "'"));
        expect(doc).to.deep.include({ schema: "public", name: "orders", partition_key: "order_date", key_kind: "timestamptz", interval: "month", premake: 4 });
        expect(doc.columns[0]).to.deep.equal({ name: "id", type: "bigserial", base_type: "bigint", serial: true, not_null: true });
        expect(sql).to.contain("cron.schedule_in_database('scaling-toolkit-partition-maintenance:' || current_database(), '7 * * * *', 'CALL scaling_toolkit.run_maintenance_proc()', current_database())");
        expect(generatePartitioningSql([ORDERS], { scheduleMaintenance: false })).not.to.contain("cron.");
        expect(sqlDigest(sql)).to.match(/^[0-9a-f]{64}$/).and.to.equal(sqlDigest(generatePartitioningSql([ORDERS])));
    });

    it("fills placeholders from typed parameters only, refusing a missing or unused one", () => {
        expect(fillSql("table.sql", { spec: { kind: "jsonb", value: { a: "it's" } } })).to.equal("SELECT scaling_toolkit.apply_table('{\"a\":\"it''s\"}'::jsonb);");
        expect(() => fillSql("table.sql", {})).to.throw(/no value for the placeholder \{\{spec\}\}/);
        expect(() => fillSql("table.sql", { spec: { kind: "jsonb", value: 1 }, extra: { kind: "integer", value: 1 } })).to.throw(/without a placeholder: extra/);
        expect(() => fillSql("apply.sql", { lock_timeout: { kind: "integer", value: 1.5 } })).to.throw(RangeError);
    });

    for (const name of HOSTILE) {
        it(`rejects the hostile table name ${JSON.stringify(name).slice(0, 40)}`, () => {
            expectValidationError(gen({ name }), "PartitionedDatabase", "tables[0].name");
        });
    }

    it("rejects hostile schema, column, index and key names", () => {
        expectValidationError(gen({ schema: "public; DROP SCHEMA x" }), "PartitionedDatabase", "tables[0].schema");
        expectValidationError(gen({ columns: [...ORDERS.columns, { name: "x\"); DROP TABLE y; --", type: "text" }] }), "PartitionedDatabase", "tables[0].columns[3].name");
        expectValidationError(gen({ indexes: [{ name: "i; DROP", columns: ["total"] }] }), "PartitionedDatabase", "tables[0].indexes[0].name");
        expectValidationError(gen({ indexes: [{ columns: ["total) WHERE (true"] }] }), "PartitionedDatabase", "tables[0].indexes[0].columns[0]");
    });

    it("accepts types and only types: a closed grammar of names, modifiers and arrays", () => {
        const types = ["bigint", "bigserial", "text", "uuid", "jsonb", "timestamptz", "numeric(12,2)", "numeric( 12 , 2 )", "varchar(64)", "character varying(64)",
            "double precision", "timestamp(3) with time zone", "timestamp without time zone", "time with time zone", "text[]", "integer []", "bit varying(8)", "app.mood", "mood"];
        for (const t of types) {
            expect(isColumnType(t), t).to.equal(true);
        }
        const clauses = ["bigint references victim on delete cascade", "text default current_user", "bigint primary key", "bigint not null", "text collate \"C\"",
            "int check (true)", "bigint unique", "int generated always as identity", "references", "text)", "numeric(12,2) default 1", "x.y.z", "int;", "text[] default '{}'"];
        for (const t of clauses) {
            expect(isColumnType(t), t).to.equal(false);
            expectValidationError(gen({ columns: [...ORDERS.columns, { name: "x", type: t }] }), "PartitionedDatabase", "tables[0].columns[3].type");
        }
    });

    it("rejects a retention PostgreSQL cannot compute with, a system schema and a system column name, before generating anything", () => {
        const err = expectValidationError(gen({ retention: "99999 years" }), "PartitionedDatabase", "tables[0].retention");
        expect(err.message).to.contain("at most 100 years");
        expect(() => generatePartitioningSql([{ ...ORDERS, retention: "100 years" }])).not.to.throw();
        for (const schema of ["pg_catalog", "pg_toast", "information_schema", "scaling_toolkit"]) {
            expectValidationError(gen({ schema }), "PartitionedDatabase", "tables[0].schema");
        }
        expectValidationError(gen({ columns: [...ORDERS.columns, { name: "xmin", type: "text" }] }), "PartitionedDatabase", "tables[0].columns[3].name");
        expectValidationError(gen({ backfillFrom: "0001-01-01" }), "PartitionedDatabase", "tables[0].backfillFrom");
        expectValidationError(gen({ defaultPartition: "yes" as unknown as boolean }), "PartitionedDatabase", "tables[0].defaultPartition");
    });

    it("rejects a column type or default that is not plain", () => {
        expectValidationError(gen({ columns: [...ORDERS.columns, { name: "x", type: "text); DROP TABLE y; --" }] }), "PartitionedDatabase", "tables[0].columns[3].type");
        expectValidationError(gen({ columns: [...ORDERS.columns, { name: "x", type: "text", default: "pg_sleep(10)" }] }), "PartitionedDatabase", "tables[0].columns[3].default");
    });

    it("rejects an unknown interval", () => {
        const err = expectValidationError(gen({ interval: "quarter" as PartitionInterval }), "PartitionedDatabase", "tables[0].interval");
        expect(err.message).to.contain("\"quarter\"").and.to.contain("\"month\"");
    });

    it("rejects a retention shorter than one interval", () => {
        const err = expectValidationError(gen({ retention: "3 weeks" }), "PartitionedDatabase", "tables[0].retention");
        expect(err.message).to.contain("at least one interval");
        expect(() => generatePartitioningSql([{ ...ORDERS, retention: "1 month" }])).not.to.throw();
    });

    it("rejects a malformed retention", () => {
        expectValidationError(gen({ retention: "forever" }), "PartitionedDatabase", "tables[0].retention");
    });

    it("rejects a partition key that is not among the columns", () => {
        const err = expectValidationError(gen({ partitionKey: "created_at" }), "PartitionedDatabase", "tables[0].partitionKey");
        expect(err.message).to.contain("id, order_date, total");
    });

    it("rejects a partition key that is not a date or timestamp", () => {
        expectValidationError(gen({ partitionKey: "total" }), "PartitionedDatabase", "tables[0].partitionKey");
    });

    it("rejects a primary key without the partition key", () => {
        const err = expectValidationError(gen({ primaryKey: ["id"] }), "PartitionedDatabase", "tables[0].primaryKey");
        expect(err.message).to.contain("including the partition key \"order_date\"");
    });

    it("rejects a unique index without the partition key", () => {
        expectValidationError(gen({ indexes: [{ columns: ["id"], unique: true }] }), "PartitionedDatabase", "tables[0].indexes[0].unique");
        expect(() => generatePartitioningSql([{ ...ORDERS, indexes: [{ columns: ["id"] }, { columns: ["total"], method: IndexMethod.Brin }] }])).not.to.throw();
    });

    it("rejects a bad premake, backfill date, cron schedule and duplicate table", () => {
        expectValidationError(gen({ premake: 0 }), "PartitionedDatabase", "tables[0].premake");
        expectValidationError(gen({ backfillFrom: "2024-02-30" }), "PartitionedDatabase", "tables[0].backfillFrom");
        expectValidationError(() => generatePartitioningSql([ORDERS], { maintenanceSchedule: "* * * * *'; DROP" }), "PartitionedDatabase", "maintenanceSchedule");
        expectValidationError(gen({}, [ORDERS]), "PartitionedDatabase", "tables[1].name");
    });

    it("lists every problem in one error", () => {
        const err = expectValidationError(gen({ name: "Bad Name", partitionKey: "nope", interval: "hour" as PartitionInterval }), "PartitionedDatabase", "tables[0].name");
        expect(err.problems.map((p) => p.argument)).to.include.members(["tables[0].name", "tables[0].partitionKey", "tables[0].interval"]);
    });

    it("quotes identifiers and literals defensively", () => {
        expect(ident("a\"b")).to.equal("\"a\"\"b\"");
        expect(literal("it's")).to.equal("'it''s'");
        expect(() => literal("a\0b")).to.throw(RangeError);
    });
});

describe("partitioning spec files", () => {
    const dir = mkdtempSync(join(tmpdir(), "spec-"));
    it("loads YAML and JSON to the same SQL", () => {
        writeFileSync(join(dir, "s.json"), JSON.stringify({ tables: [ORDERS] }));
        writeFileSync(join(dir, "s.yaml"), [
            "tables:",
            "  - name: orders",
            "    columns:",
            "      - { name: id, type: bigserial, notNull: true }",
            "      - { name: order_date, type: timestamptz }",
            "      - { name: total, type: \"numeric(12,2)\" }",
            "    partitionKey: order_date",
            "    interval: month",
            "    primaryKey: [id, order_date]",
        ].join("\n"));
        const fromJson = loadPartitioningSpec(join(dir, "s.json"));
        const fromYaml = loadPartitioningSpec(join(dir, "s.yaml"));
        expect(generatePartitioningSql(fromYaml.tables)).to.equal(generatePartitioningSql(fromJson.tables)).and.to.equal(generatePartitioningSql([ORDERS]));
    });

    it("rejects a file that does not parse or has no tables", () => {
        writeFileSync(join(dir, "bad.yaml"), "tables: [unclosed");
        writeFileSync(join(dir, "none.json"), "{\"table\": []}");
        expect(() => loadPartitioningSpec(join(dir, "bad.yaml"))).to.throw(ValidationError, /partitionSpecFile/);
        expect(() => loadPartitioningSpec(join(dir, "none.json"))).to.throw(ValidationError, /tables/);
    });

    it("writes a spec file's psql script with partitions:sql (stdout or --out), and refuses a hostile one", function () {
        this.timeout(60_000);
        const cli = (...args: string[]) => spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "components/database/partitioning/cli.ts", ...args],
            { encoding: "utf8", cwd: join(__dirname, "..", "..") });
        const ok = cli("components/database/partitioning/examples/orders.yaml");
        expect(ok.status, ok.stderr).to.equal(0);
        expect(ok.stdout.split("\n").slice(0, 3)).to.deep.equal(["-- Apply with: psql -f <this file> (it stops at the first error; nothing is committed then)", "\\set ON_ERROR_STOP on", "-- Generated by scaling-toolkit (PartitionedDatabase). Idempotent: applying it again changes nothing."]);
        expect(ok.stdout).to.contain("cron.schedule_in_database");
        const out = join(dir, "out.sql");
        const written = cli("components/database/partitioning/examples/orders.yaml", "--out", out);
        expect(written.status, written.stderr).to.equal(0);
        expect(written.stdout).to.equal("");
        expect(readFileSync(out, "utf8")).to.equal(ok.stdout);
        writeFileSync(join(dir, "hostile.json"), JSON.stringify({ tables: [{ ...ORDERS, name: "x; DROP TABLE y" }] }));
        const bad = cli(join(dir, "hostile.json"), "--out", join(dir, "never.sql"));
        expect(bad.status).to.equal(1);
        expect(bad.stdout).to.equal("");
        expect(bad.stderr).to.contain("tables[0].name");
        expect(() => readFileSync(join(dir, "never.sql"))).to.throw(/ENOENT/);
        expect(cli("components/database/partitioning/examples/orders.yaml", "--out").status).to.equal(2);
    });
});
