import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { IndexMethod, PartitionedTableSpec, PartitionInterval, ValidationError } from "../../components";
import { loadPartitioningSpec } from "../../components/database/partitioning/load";
import { generatePartitioningSql, ident, literal, sqlDigest } from "../../components/database/partitioning/sql";
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
    it("generates SQL for a valid spec with every identifier quoted", () => {
        const sql = generatePartitioningSql([ORDERS]);
        expect(sql).to.contain("CREATE TABLE \"public\".\"orders\" (");
        expect(sql).to.contain(") PARTITION BY RANGE (\"order_date\");");
        expect(sql).to.contain("PRIMARY KEY (\"id\", \"order_date\")");
        expect(sql).to.contain("\"order_date\" timestamptz NOT NULL");
        expect(sql).to.match(/^BEGIN;$/m);
        expect(sql.trimEnd().endsWith("COMMIT;")).to.equal(true);
        expect(sql).to.contain("SELECT cron.schedule('scaling-toolkit-partition-maintenance', '7 * * * *', 'SELECT scaling_toolkit.run_maintenance()');");
        expect(generatePartitioningSql([ORDERS], { scheduleMaintenance: false })).not.to.contain("cron.");
        expect(sqlDigest(sql)).to.match(/^[0-9a-f]{64}$/).and.to.equal(sqlDigest(generatePartitioningSql([ORDERS])));
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

    it("prints a spec file's SQL with npm run partitions:sql, and refuses a hostile one", function () {
        this.timeout(60_000);
        const cli = (file: string) => spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "components/database/partitioning/cli.ts", file],
            { encoding: "utf8", cwd: join(__dirname, "..", "..") });
        const ok = cli("components/database/partitioning/examples/orders.yaml");
        expect(ok.status, ok.stderr).to.equal(0);
        expect(ok.stdout).to.contain("CREATE TABLE \"public\".\"orders\"").and.to.contain("cron.schedule");
        writeFileSync(join(dir, "hostile.json"), JSON.stringify({ tables: [{ ...ORDERS, name: "x; DROP TABLE y" }] }));
        const bad = cli(join(dir, "hostile.json"));
        expect(bad.status).to.equal(1);
        expect(bad.stdout).to.equal("");
        expect(bad.stderr).to.contain("tables[0].name");
    });
});
