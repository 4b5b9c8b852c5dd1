/**
 * A throwaway PostgreSQL server for integration tests and the benchmark: initdb in a temp dir, a
 * free local port, pg_cron and pg_stat_statements preloaded, optional TLS with a CA made for it.
 * Runs the server as the `postgres` OS user when started as root (initdb refuses root). Each test
 * asks for its own database; `stop()` shuts the server down and removes the directory.
 */
import { execFileSync, spawnSync } from "child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "fs";
import { createServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
import { Client } from "pg";

export interface PostgresOptions {
    /** Database pg_cron runs in (the one `cron.database_name` names). @default "cron_db" */
    cronDatabase?: string;
    /** Serve TLS with a certificate for `localhost` signed by a CA made for this server. @default false */
    ssl?: boolean;
    /** Extra `postgresql.conf` settings. */
    settings?: Record<string, string>;
}

export interface TestPostgres {
    host: string;
    port: number;
    user: string;
    password: string;
    /** Path to the CA certificate (PEM) that signed the server certificate, when `ssl`. */
    caFile?: string;
    cronDatabase: string;
    /** A client connected to `database` (without TLS), already connected. */
    connect(database: string): Promise<Client>;
    /** Creates a fresh database with a unique name and returns the name. */
    createDatabase(prefix?: string): Promise<string>;
    /** Runs SQL text with psql (ON_ERROR_STOP), returning its output; throws on failure. */
    psql(database: string, sql: string): string;
    /** Drops a database made by `createDatabase` (close its clients first). */
    dropDatabase(name: string): Promise<void>;
    /** Restarts the server (its buffer cache starts empty); clients from `connect` must reconnect. */
    restart(): Promise<void>;
    stop(): Promise<void>;
}

const DEBIAN_PG_ROOT = "/usr/lib/postgresql";

/** The directory holding initdb, pg_ctl and postgres: $PG_BINDIR, else the newest installed major. */
export function postgresBinDir(): string {
    const installed = existsSync(DEBIAN_PG_ROOT)
        ? readdirSync(DEBIAN_PG_ROOT).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)).map((v) => join(DEBIAN_PG_ROOT, v, "bin"))
        : [];
    const candidates = [process.env.PG_BINDIR, ...installed].filter((d): d is string => !!d);
    const found = candidates.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "pg_ctl")));
    if (!found) {
        throw new Error(`PostgreSQL server binaries not found (looked in ${candidates.join(", ") || DEBIAN_PG_ROOT}); .ci/run installs the distribution's postgresql and its pg_cron`);
    }
    return found;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const address = srv.address();
            srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
        });
    });
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a server binary, as the postgres OS user when we are root. */
function runAs(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
    const [cmd, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
    const r = spawnSync(cmd, argv, { encoding: "utf8", env: { ...process.env, ...env, LC_ALL: "C" } });
    if (r.status !== 0) {
        throw new Error(`${bin} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
    }
    return r.stdout;
}

function makeCertificates(dir: string): { caFile: string; certFile: string; keyFile: string } {
    const f = (n: string) => join(dir, n);
    const ssl = (args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
    ssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=scaling-toolkit test CA", "-keyout", f("ca.key"), "-out", f("ca.crt"),
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    ssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", f("server.key"), "-out", f("server.csr")]);
    writeFileSync(f("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    ssl(["x509", "-req", "-in", f("server.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial", "-days", "2", "-out", f("server.crt"), "-extfile", f("server.ext")]);
    return { caFile: f("ca.crt"), certFile: f("server.crt"), keyFile: f("server.key") };
}

/** Starts a server; call `stop()` in an `after` hook. */
export async function startPostgres(options: PostgresOptions = {}): Promise<TestPostgres> {
    const bin = postgresBinDir();
    const dir = mkdtempSync(join(tmpdir(), "scaling-toolkit-pg-"));
    const data = join(dir, "data");
    const password = `pw-${Math.random().toString(36).slice(2)}`;
    const cronDatabase = options.cronDatabase ?? "cron_db";
    const port = await freePort();
    writeFileSync(join(dir, "pwfile"), `${password}\n`);
    let certs: ReturnType<typeof makeCertificates> | undefined;
    if (options.ssl) {
        certs = makeCertificates(dir);
        chmodSync(certs.keyFile, 0o600);
    }
    if (isRoot()) {
        const pgUid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
        const pgGid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
        for (const p of [dir, join(dir, "pwfile"), ...(certs ? [certs.keyFile, certs.certFile, certs.caFile] : [])]) {
            chownSync(p, pgUid, pgGid);
        }
    }
    runAs(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--pwfile", join(dir, "pwfile"), "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"]);
    const settings: Record<string, string> = {
        listen_addresses: "'localhost'",
        port: String(port),
        unix_socket_directories: `'${dir}'`,
        shared_preload_libraries: "'pg_cron,pg_stat_statements'",
        "cron.database_name": `'${cronDatabase}'`,
        fsync: "off",
        synchronous_commit: "off",
        full_page_writes: "off",
        max_connections: "40",
        timezone: "'UTC'",
        ...(certs ? { ssl: "on", ssl_cert_file: `'${certs.certFile}'`, ssl_key_file: `'${certs.keyFile}'`, ssl_ca_file: `'${certs.caFile}'` } : {}),
        ...(options.settings ?? {}),
    };
    writeFileSync(join(data, "postgresql.auto.conf"), Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join("\n") + "\n");
    if (isRoot()) {
        execFileSync("chown", ["postgres:", join(data, "postgresql.auto.conf")]);
    }
    runAs(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"]);

    const clients: Client[] = [];
    const connect = async (database: string) => {
        const client = new Client({ host: "localhost", port, user: "postgres", password, database, ssl: false });
        await client.connect();
        clients.push(client);
        return client;
    };
    let admin = await connect("postgres");
    await admin.query(`CREATE DATABASE ${cronDatabase}`);
    let counter = 0;

    return {
        host: "localhost",
        port,
        user: "postgres",
        password,
        caFile: certs?.caFile,
        cronDatabase,
        connect,
        async createDatabase(prefix = "t") {
            counter += 1;
            const name = `${prefix}_${counter}_${Math.random().toString(36).slice(2, 8)}`;
            await admin.query(`CREATE DATABASE ${name}`);
            return name;
        },
        psql(database: string, sql: string) {
            const r = spawnSync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "localhost", "-p", String(port), "-U", "postgres", "-d", database, "-f", "-"],
                { input: sql, encoding: "utf8", env: { ...process.env, PGPASSWORD: password, PGSSLMODE: "disable" } });
            if (r.status !== 0) {
                throw new Error(`psql failed (${r.status}): ${r.stderr}`);
            }
            return r.stdout + r.stderr;
        },
        async dropDatabase(name: string) {
            await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        },
        async restart() {
            await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
            runAs(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-m", "fast", "-w", "-t", "120", "restart"]);
            admin = await connect("postgres");
        },
        async stop() {
            await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
            try {
                runAs(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
            } finally {
                rmSync(dir, { recursive: true, force: true });
            }
        },
    };
}
