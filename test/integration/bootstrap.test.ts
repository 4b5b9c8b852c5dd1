/**
 * The schema bootstrap Lambda's bundled code, run as Lambda would run it (a fresh Node.js process
 * loading index.js and calling `handler`), against a real TLS-only PostgreSQL server. The Secrets
 * Manager API is a local stand-in answering GetSecretValue, reached through the SDK's standard
 * endpoint override; TLS is verified against the CA that signed the server's certificate.
 */
import { expect } from "chai";
import { execFile } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { createServer, IncomingMessage, Server } from "http";
import { AddressInfo } from "net";
import { tmpdir } from "os";
import { rootCertificates } from "tls";
import { join } from "path";
import { PartitionInterval } from "../../components";
import { bootstrapBundle, watchBundle } from "../../components/database/bootstrap/bundle";
import { APPLY_ATTEMPTS, applyWithRetry } from "../../components/database/bootstrap/handler";
import { generatePartitioningSql, sqlDigest } from "../../components/database/partitioning/sql";
import { startPostgres, TestPostgres } from "../support/postgres";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-test-AbCdEf";

function runHandler(file: string, event: unknown, env: Record<string, string>): Promise<{ ok: boolean; out: string }> {
    return runHandlerFull(file, event, env).then((r) => ({ ok: r.ok, out: r.ok ? r.stdout.trim().split("\n").pop() ?? "" : r.stderr }));
}

function runHandlerFull(file: string, event: unknown, env: Record<string, string>): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    const script = `require(${JSON.stringify(file)}).handler(${JSON.stringify(event)})
        .then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(1); });`;
    return new Promise((resolve) => {
        execFile(process.execPath, ["-e", script], { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
            resolve({ ok: !err, stdout, stderr });
        });
    });
}

describe("schema bootstrap Lambda bundle on a real TLS PostgreSQL server", function () {
    this.timeout(120_000);
    let pg: TestPostgres;
    let secrets: Server;
    let endpoint: string;
    const requests: { target: string; body: any }[] = [];
    const dir = mkdtempSync(join(tmpdir(), "bootstrap-"));
    const sql = generatePartitioningSql([{
        name: "orders",
        columns: [{ name: "id", type: "bigserial" }, { name: "order_date", type: "date" }],
        partitionKey: "order_date",
        interval: PartitionInterval.Month,
        primaryKey: ["id", "order_date"],
    }], { scheduleMaintenance: false });
    const file = join(dir, "index.js");

    before(async () => {
        pg = await startPostgres({ ssl: true });
        secrets = createServer((req: IncomingMessage, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                requests.push({ target: String(req.headers["x-amz-target"]), body: JSON.parse(body || "{}") });
                res.setHeader("content-type", "application/x-amz-json-1.1");
                res.end(JSON.stringify({ ARN: SECRET_ARN, Name: "rds!db-test", SecretString: JSON.stringify({ username: pg.user, password: pg.password }) }));
            });
        });
        await new Promise<void>((resolve) => secrets.listen(0, "127.0.0.1", resolve));
        endpoint = `http://127.0.0.1:${(secrets.address() as AddressInfo).port}`;
        writeFileSync(file, bootstrapBundle(sql));
    });
    after(async () => {
        secrets?.close();
        await pg?.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    const envFor = (database: string, ca = pg.caFile!) => ({
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIATESTTESTTESTTEST",
        AWS_SECRET_ACCESS_KEY: "test-secret-key",
        AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
        DB_HOST: "localhost",
        DB_PORT: String(pg.port),
        DB_NAME: database,
        DB_SECRET_ARN: SECRET_ARN,
        DB_CA_BUNDLE: ca,
    });

    it("reads the master secret, connects over verified TLS and applies the SQL (twice)", async () => {
        const database = await pg.createDatabase("boot");
        for (let i = 0; i < 2; i++) {
            const r = await runHandler(file, { sqlSha256: sqlDigest(sql) }, envFor(database));
            expect(r.ok, r.out).to.equal(true);
            expect(JSON.parse(r.out)).to.deep.equal({ sqlSha256: sqlDigest(sql), database, tls: true, partitionedTables: 1 });
        }
        expect(requests.at(-1)).to.deep.equal({ target: "secretsmanager.GetSecretValue", body: { SecretId: SECRET_ARN } });
        const c = await pg.connect(database);
        const parts = await c.query("SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'orders'::regclass");
        expect(parts.rows[0].n).to.equal(5);
    });

    it("refuses a server whose certificate the CA bundle does not vouch for", async () => {
        const database = await pg.createDatabase("boot");
        const otherCa = join(dir, "other-ca.pem");
        // A CA bundle without the server's CA: the system's, as on a machine without the RDS CAs.
        writeFileSync(otherCa, rootCertificates.join("\n"));
        const r = await runHandler(file, { sqlSha256: sqlDigest(sql) }, envFor(database, otherCa));
        expect(r.ok).to.equal(false);
        expect(r.out).to.match(/self[- ]signed|unable to (get|verify)|certificate/i);
        const c = await pg.connect(database);
        expect((await c.query("SELECT to_regclass('scaling_toolkit.partitioned_tables') AS t")).rows[0].t).to.equal(null);
    });

    it("refuses an invocation for different SQL", async () => {
        const database = await pg.createDatabase("boot");
        const r = await runHandler(file, { sqlSha256: sqlDigest("SELECT 1") }, envFor(database));
        expect(r.ok).to.equal(false);
        expect(r.out).to.contain(`this function applies SQL ${sqlDigest(sql)}`);
    });

    it("the partition watch bundle publishes each table's figures as embedded-metric-format lines", async () => {
        const database = await pg.createDatabase("watch");
        const c = await pg.connect(database);
        await c.query(generatePartitioningSql([{
            name: "events",
            columns: [{ name: "id", type: "bigint" }, { name: "at", type: "timestamptz" }],
            partitionKey: "at",
            interval: PartitionInterval.Month,
            premake: 3,
            defaultPartition: true,
        }], { scheduleMaintenance: false }));
        await c.query("INSERT INTO events VALUES (1, now() + interval '2 years'), (2, now() + interval '3 years')");
        const watchFile = join(dir, "watch.js");
        writeFileSync(watchFile, watchBundle());
        const r = await runHandlerFull(watchFile, {}, { ...envFor(database), WATCH_INSTANCE: "shop-db-primary" });
        expect(r.ok, r.stderr).to.equal(true);
        const lines = r.stdout.split("\n").filter((l) => l.startsWith("{\"_aws\""));
        expect(lines).to.have.length(1);
        const doc = JSON.parse(lines[0]);
        expect(doc._aws.CloudWatchMetrics).to.deep.equal([{
            Namespace: "ScalingToolkit/Partitioning",
            Dimensions: [["DBInstanceIdentifier", "Table"]],
            Metrics: [{ Name: "FuturePartitions", Unit: "Count" }, { Name: "DefaultPartitionRows", Unit: "Count" }, { Name: "MaintenanceSkippedInRow", Unit: "Count" }],
        }]);
        expect(doc).to.deep.include({
            DBInstanceIdentifier: "shop-db-primary", Database: database, Table: "public.events", Premake: 3,
            FuturePartitions: 3, DefaultPartitionRows: 2, MaintenanceSkippedInRow: 0,
        });
        expect(doc._aws.Timestamp).to.be.closeTo(Date.now(), 60_000);
    });

    it("an apply that hits its lock timeout is rolled back and retried with backoff", async function () {
        this.timeout(60_000);
        const database = await pg.createDatabase("retry");
        const holder = await pg.connect(database);
        const c = await pg.connect(database);
        // Another apply (or maintenance) in progress holds the partitioning lock for 6 s.
        await holder.query("SELECT pg_advisory_lock(hashtext('scaling_toolkit.partitioning'))");
        const release = setTimeout(() => void holder.query("SELECT pg_advisory_unlock_all()"), 6_000);
        const waits: number[] = [];
        const logs: string[] = [];
        const log = console.log;
        console.log = (m: string) => logs.push(m);
        try {
            await applyWithRetry(c, sql, async (ms) => {
                waits.push(ms);
                await new Promise((r) => setTimeout(r, 100));
            });
        } finally {
            console.log = log;
            clearTimeout(release);
        }
        expect(waits).to.deep.equal([2000]);
        expect(waits.length).to.be.lessThan(APPLY_ATTEMPTS);
        expect(logs[0]).to.contain("lock timeout, retrying");
        expect((await c.query("SELECT count(*)::int AS n FROM scaling_toolkit.partitioned_tables")).rows[0].n).to.equal(1);
    });
});
