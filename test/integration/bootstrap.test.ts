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
import { bootstrapBundle } from "../../components/database/bootstrap/bundle";
import { generatePartitioningSql, sqlDigest } from "../../components/database/partitioning/sql";
import { startPostgres, TestPostgres } from "../support/postgres";

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-test-AbCdEf";

function runHandler(file: string, event: unknown, env: Record<string, string>): Promise<{ ok: boolean; out: string }> {
    const script = `require(${JSON.stringify(file)}).handler(${JSON.stringify(event)})
        .then((r) => console.log(JSON.stringify(r)), (e) => { console.error(e.message); process.exit(1); });`;
    return new Promise((resolve) => {
        execFile(process.execPath, ["-e", script], { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
            resolve({ ok: !err, out: err ? stderr : stdout.trim().split("\n").pop() ?? "" });
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
});
