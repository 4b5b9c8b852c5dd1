/**
 * The README's command, run as a user runs it: `npm run --silent partitions:sql -- <spec> --out
 * <file>`, then real psql on the file, with and without ON_ERROR_STOP, on a spec whose apply fails
 * midway (its second table exists unpartitioned). The file applies whole or not at all.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { Client } from "pg";
import { stringify } from "yaml";
import { ORDERS } from "../support/partitioning";
import { startPostgres, TestPostgres } from "../support/postgres";

const ROOT = resolve(__dirname, "../..");
/** The environment without an outer `npm test`'s npm_* settings, so the npm runs here are a user's. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

describe("partitions:sql output applied with psql", function () {
    this.timeout(120_000);
    let pg: TestPostgres;
    const dir = mkdtempSync(join(tmpdir(), "partitions-sql-"));
    const specFile = join(dir, "spec.yaml");
    const sqlFile = join(dir, "spec.sql");
    const open: Client[] = [];

    before(async () => {
        pg = await startPostgres();
        writeFileSync(specFile, stringify({
            tables: [ORDERS, { ...ORDERS, name: "events", indexes: [] }],
        }));
        const r = spawnSync("npm", ["run", "--silent", "partitions:sql", "--", specFile, "--out", sqlFile, "--no-cron"], { cwd: ROOT, encoding: "utf8", env: ENV });
        expect(r.status, r.stderr).to.equal(0);
    });
    after(async () => {
        await Promise.all(open.map((c) => c.end()));
        await pg?.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    function psql(database: string, file: string, flags: string[]) {
        return spawnSync("psql", ["-X", "-q", ...flags, "-h", "localhost", "-p", String(pg.port), "-U", "postgres", "-d", database, "-f", file],
            { encoding: "utf8", env: { ...process.env, PGPASSWORD: pg.password, PGSSLMODE: "disable" } });
    }
    /** A database whose `events` is a plain table: the apply fails at its second table. */
    async function dbWithBlocker(): Promise<{ name: string; c: Client }> {
        const name = await pg.createDatabase("psql");
        const c = await pg.connect(name);
        open.push(c);
        await c.query("CREATE TABLE events (id bigint, order_date timestamptz)");
        return { name, c };
    }
    async function leftovers(c: Client): Promise<string[]> {
        const r = await c.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'scaling_toolkit') AND c.relname <> 'events' ORDER BY 1`);
        const schema = await c.query("SELECT nspname FROM pg_namespace WHERE nspname = 'scaling_toolkit'");
        return [...schema.rows.map((s) => `schema ${s.nspname}`), ...r.rows.map((x) => x.relname)];
    }

    it("writes a psql script: ON_ERROR_STOP set by the file itself, then one transaction", () => {
        const text = readFileSync(sqlFile, "utf8");
        const lines = text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("--"));
        expect(lines.slice(0, 2)).to.deep.equal(["\\set ON_ERROR_STOP on", "BEGIN;"]);
        expect(lines[lines.length - 1]).to.equal("COMMIT;");
        expect(lines.filter((l) => /^(BEGIN|COMMIT|ROLLBACK);$/.test(l))).to.deep.equal(["BEGIN;", "COMMIT;"]);
    });

    for (const [how, flags] of [["plain psql -f", []], ["psql -v ON_ERROR_STOP=1 -f", ["-v", "ON_ERROR_STOP=1"]], ["psql --single-transaction -f", ["--single-transaction"]]] as const) {
        it(`${how} on a file failing midway commits nothing, and applies all once the cause is gone`, async () => {
            const { name, c } = await dbWithBlocker();
            const failed = psql(name, sqlFile, [...flags]);
            expect(failed.status).to.not.equal(0);
            expect(failed.stderr).to.contain("public.events exists and is not partitioned; set convertExisting");
            expect(await leftovers(c)).to.deep.equal([]);

            await c.query("DROP TABLE events");
            const ok = psql(name, sqlFile, [...flags]);
            expect(ok.status, ok.stderr).to.equal(0);
            const kinds = await c.query("SELECT relname, relkind FROM pg_class WHERE relname IN ('orders', 'events') ORDER BY 1");
            expect(kinds.rows).to.deep.equal([{ relname: "events", relkind: "p" }, { relname: "orders", relkind: "p" }]);
        });
    }

    it("even with npm's banner in the file (npm run without --silent), psql -f stops at once and commits nothing", async () => {
        const r = spawnSync("npm", ["run", "partitions:sql", "--", specFile, "--no-cron"], { cwd: ROOT, encoding: "utf8", env: ENV });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout.trimStart().startsWith("> scaling-toolkit@")).to.equal(true, "npm prints its banner first");
        const bannered = join(dir, "bannered.sql");
        writeFileSync(bannered, r.stdout);
        const name = await pg.createDatabase("banner");
        const c = await pg.connect(name);
        open.push(c);
        const result = psql(name, bannered, []);
        expect(result.status).to.not.equal(0);
        expect(await leftovers(c)).to.deep.equal([]);
    });
});
