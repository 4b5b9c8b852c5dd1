/**
 * The schema bootstrap Lambda handler. Bundled (with the pg client, the Secrets Manager client and
 * the generated SQL) into one file by bundle.ts; it reads the RDS-managed master secret, connects
 * over TLS verifying the server against the RDS CA bundle, and applies the SQL it was built with.
 *
 * The invocation carries only the SHA-256 of the SQL, never SQL: whoever may invoke the function can
 * at most re-apply the (idempotent) SQL it was deployed with, and an invocation meant for another
 * version of the SQL fails instead of applying the wrong one.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { Client } from "pg";

import { LAMBDA_CA_BUNDLE } from "./constants";

export { LAMBDA_CA_BUNDLE };

export interface BootstrapEvent {
    /** SHA-256 (hex) of the SQL to apply; must match the SQL this function was built with. */
    sqlSha256?: string;
}

export interface BootstrapResult {
    sqlSha256: string;
    database: string;
    /** True when the session that applied the SQL was encrypted (from pg_stat_ssl). */
    tls: boolean;
    /** Tables registered for partition maintenance after the apply. */
    partitionedTables: number;
}

export interface Credentials {
    username: string;
    password: string;
}

export interface BootstrapDependencies {
    /** Reads the master secret; defaults to Secrets Manager. */
    getCredentials?: (secretArn: string) => Promise<Credentials>;
    /** Environment; defaults to process.env. */
    env?: Record<string, string | undefined>;
    /** Waits between attempts; defaults to setTimeout. */
    sleep?: (ms: number) => Promise<void>;
}

/** Attempts of an apply that gave up waiting for a lock (the SQL's lock_timeout), 2 s, 4 s, 8 s apart. */
export const APPLY_ATTEMPTS = 4;
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * Applies the SQL (one transaction). A failed apply is rolled back; one that gave up waiting for a
 * lock (another session held a table for longer than the SQL's short lock_timeout) is retried with
 * backoff, so the apply never queues the application's queries behind it for long.
 */
export async function applyWithRetry(client: Pick<Client, "query">, sql: string, sleep: (ms: number) => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
        try {
            await client.query(sql);
            return;
        } catch (err) {
            await client.query("ROLLBACK").catch(() => undefined);
            if ((err as { code?: string }).code !== LOCK_NOT_AVAILABLE || attempt >= APPLY_ATTEMPTS) {
                throw err;
            }
            console.log(JSON.stringify({ message: "lock timeout, retrying", attempt, error: (err as Error).message }));
            await sleep(2000 * 2 ** (attempt - 1));
        }
    }
}

function required(env: Record<string, string | undefined>, key: string): string {
    const value = env[key];
    if (!value) {
        throw new Error(`schema bootstrap: environment variable ${key} is not set`);
    }
    return value;
}

/** Reads an RDS-managed master secret (JSON with username and password). */
export async function readSecret(secretArn: string): Promise<Credentials> {
    const sm = new SecretsManagerClient({});
    const out = await sm.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const parsed = JSON.parse(out.SecretString ?? "{}") as Partial<Credentials>;
    if (typeof parsed.username !== "string" || typeof parsed.password !== "string") {
        throw new Error("schema bootstrap: the secret holds no username and password");
    }
    return { username: parsed.username, password: parsed.password };
}

/**
 * Connects as the master user to the database the environment names (DB_HOST, DB_PORT, DB_NAME,
 * DB_SECRET_ARN, DB_CA_BUNDLE), over TLS verified against the RDS CAs. Shared by the schema bootstrap
 * and the partition watch.
 */
export async function connectFromEnv(deps: BootstrapDependencies, applicationName: string): Promise<{ client: Client; database: string }> {
    const env = deps.env ?? process.env;
    const host = required(env, "DB_HOST");
    const database = required(env, "DB_NAME");
    const credentials = await (deps.getCredentials ?? readSecret)(required(env, "DB_SECRET_ARN"));
    const client = new Client({
        host,
        port: Number(env.DB_PORT ?? "5432"),
        database,
        user: credentials.username,
        password: credentials.password,
        // Verify the server certificate against the RDS CAs (and its host name): no fallback to
        // an unverified or plain-text connection.
        ssl: { ca: readFileSync(env.DB_CA_BUNDLE ?? LAMBDA_CA_BUNDLE, "utf8"), rejectUnauthorized: true, servername: host },
        connectionTimeoutMillis: 15_000,
        application_name: applicationName,
    });
    await client.connect();
    return { client, database };
}

/** A Lambda handler applying `sql`. */
export function createHandler(sql: string, deps: BootstrapDependencies = {}): (event: BootstrapEvent) => Promise<BootstrapResult> {
    const digest = createHash("sha256").update(sql, "utf8").digest("hex");
    return async (event: BootstrapEvent) => {
        if (event?.sqlSha256 !== digest) {
            throw new Error(`schema bootstrap: this function applies SQL ${digest}; the invocation asked for ${String(event?.sqlSha256)}`);
        }
        const { client, database } = await connectFromEnv(deps, "scaling-toolkit-schema-bootstrap");
        try {
            await applyWithRetry(client, sql, deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))));
            const tls = await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
            const tables = await client.query("SELECT count(*)::int AS n FROM scaling_toolkit.partitioned_tables");
            const result = { sqlSha256: digest, database, tls: tls.rows[0]?.ssl === true, partitionedTables: tables.rows[0].n as number };
            console.log(JSON.stringify({ message: "schema applied", ...result }));
            return result;
        } finally {
            await client.end();
        }
    };
}
