/**
 * Partitioning changes in plain words (retention 12 months -> 18 months, a new table, a new index)
 * with the SQL diff for the reviewer who wants it. Read from the `partitioningSpec` (JSON) and
 * `partitioningSql` outputs each PartitionedDatabase component registers (recorded in the plan).
 * Only the spec's types are read from the partitioning module; nothing of its SQL generator runs here.
 */
import type { ResolvedTableSpec } from "../../components/database/partitioning/spec";
import type { PlanResource } from "../plan";
import { canonical } from "./values";

export const PARTITIONED_DATABASE = "scaling-toolkit:index:PartitionedDatabase";

interface Spec {
    maintenanceSchedule?: string;
    tables?: ResolvedTableSpec[];
}

export interface PartitioningChange {
    /** The PartitionedDatabase component. */
    urn: string;
    name: string;
    /** What changes, one sentence each. */
    changes: string[];
    /** Unified diff of the partitioning SQL (`---`/`+++` headers, `@@` hunks); empty when unchanged. */
    sqlDiff: string;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
const retention = (t: ResolvedTableSpec) => (t.retention ? `${plural(t.retention.count, t.retention.unit)} (then ${t.retentionAction})` : "none (partitions are kept)");
const indexName = (i: { name?: string; columns: string[]; unique?: boolean; method?: string }) =>
    `${i.unique ? "unique " : ""}index ${i.name ?? ""} (${i.columns.join(", ")})${i.method && i.method !== "btree" ? ` using ${i.method}` : ""}`.replace("index  (", "index (");

function describeTable(t: ResolvedTableSpec): string {
    return `by ${t.interval} on ${t.partitionKey}, ${t.premake} premade, retention ${retention(t)}`;
}

function tableChanges(before: ResolvedTableSpec, after: ResolvedTableSpec): string[] {
    const id = `${after.schema}.${after.name}`;
    const out: string[] = [];
    const scalar = (label: string, a: unknown, b: unknown) => {
        if (canonical(a) !== canonical(b)) {
            out.push(`${id}: ${label} ${String(a ?? "none")} -> ${String(b ?? "none")}`);
        }
    };
    if (canonical(before.retention) !== canonical(after.retention) || before.retentionAction !== after.retentionAction) {
        out.push(`${id}: retention ${retention(before)} -> ${retention(after)}`);
    }
    scalar("partition interval", before.interval, after.interval);
    scalar("partition key", before.partitionKey, after.partitionKey);
    scalar("partitions made ahead (premake)", before.premake, after.premake);
    scalar("backfill from", before.backfillFrom, after.backfillFrom);
    scalar("primary key", before.primaryKey?.join(", "), after.primaryKey?.join(", "));
    scalar("convert an existing table", before.convertExisting, after.convertExisting);
    const columns = (t: ResolvedTableSpec) => new Map(t.columns.map((c) => [c.name, c]));
    const [bc, ac] = [columns(before), columns(after)];
    for (const [name, c] of ac) {
        const was = bc.get(name);
        if (!was) {
            out.push(`${id}: new column ${name} ${c.type}${c.notNull ? " NOT NULL" : ""}${c.default ? ` DEFAULT ${c.default}` : ""}`);
        } else if (canonical(was) !== canonical(c)) {
            out.push(`${id}: column ${name} ${was.type}${was.notNull ? " NOT NULL" : ""} -> ${c.type}${c.notNull ? " NOT NULL" : ""}`);
        }
    }
    for (const name of bc.keys()) {
        if (!ac.has(name)) {
            out.push(`${id}: column ${name} removed from the spec`);
        }
    }
    const indexes = (t: ResolvedTableSpec) => new Map(t.indexes.map((i) => [canonical({ ...i, name: undefined }), i]));
    const [bi, ai] = [indexes(before), indexes(after)];
    for (const [key, i] of ai) {
        if (!bi.has(key)) {
            out.push(`${id}: new ${indexName(i)}`);
        }
    }
    for (const [key, i] of bi) {
        if (!ai.has(key)) {
            out.push(`${id}: ${indexName(i)} removed`);
        }
    }
    return out;
}

/** Plain-word changes between two partitioning specs. */
export function specChanges(before: Spec, after: Spec): string[] {
    const out: string[] = [];
    const key = (t: ResolvedTableSpec) => `${t.schema}.${t.name}`;
    const bt = new Map((before.tables ?? []).map((t) => [key(t), t]));
    const at = new Map((after.tables ?? []).map((t) => [key(t), t]));
    for (const [id, t] of at) {
        const was = bt.get(id);
        out.push(...(was ? tableChanges(was, t) : [`new partitioned table ${id}: ${describeTable(t)}`]));
    }
    for (const [id] of bt) {
        if (!at.has(id)) {
            out.push(`${id} removed from the partitioning spec (its data and partitions stay; maintenance no longer manages it)`);
        }
    }
    if ((before.maintenanceSchedule ?? "") !== (after.maintenanceSchedule ?? "")) {
        out.push(`maintenance schedule "${before.maintenanceSchedule ?? "none"}" -> "${after.maintenanceSchedule ?? "none"}"`);
    }
    return out;
}

/** Longest-common-subsequence line diff as a unified diff with `context` lines around each change. */
export function unifiedDiff(before: string, after: string, labels: [string, string], context = 3): string {
    const a = before.split("\n");
    const b = after.split("\n");
    const n = a.length;
    const m = b.length;
    // lcs[i][j]: length of the LCS of a[i..] and b[j..], in one flat array.
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
        for (let j = m - 1; j >= 0; j--) {
            lcs[i * (m + 1) + j] = a[i] === b[j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
        }
    }
    const ops: { op: " " | "-" | "+"; line: string; ai: number; bi: number }[] = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] === b[j]) {
            ops.push({ op: " ", line: a[i], ai: i++, bi: j++ });
        } else if (j < m && (i >= n || lcs[i * (m + 1) + j + 1] > lcs[(i + 1) * (m + 1) + j])) {
            ops.push({ op: "+", line: b[j], ai: i, bi: j++ });
        } else {
            ops.push({ op: "-", line: a[i], ai: i++, bi: j });
        }
    }
    const changed = ops.map((o, k) => (o.op !== " " ? k : -1)).filter((k) => k >= 0);
    if (changed.length === 0) {
        return "";
    }
    const out = [`--- ${labels[0]}`, `+++ ${labels[1]}`];
    let k = 0;
    while (k < changed.length) {
        const start = Math.max(0, changed[k] - context);
        let end = changed[k];
        while (k < changed.length && changed[k] <= end + 2 * context) {
            end = changed[k++];
        }
        end = Math.min(ops.length - 1, end + context);
        const hunk = ops.slice(start, end + 1);
        const aCount = hunk.filter((o) => o.op !== "+").length;
        const bCount = hunk.filter((o) => o.op !== "-").length;
        out.push(`@@ -${hunk[0].ai + 1},${aCount} +${hunk[0].bi + 1},${bCount} @@`, ...hunk.map((o) => `${o.op}${o.line}`));
    }
    return out.join("\n");
}

/** The partitioning changes of each PartitionedDatabase of the head plan, against its base (if any). */
export function partitioningChanges(pairs: { before?: PlanResource; after: PlanResource }[]): PartitioningChange[] {
    const out: PartitioningChange[] = [];
    const specOf = (r: PlanResource | undefined): Spec => {
        const spec = r?.outputs?.partitioningSpec;
        return (typeof spec === "string" ? JSON.parse(spec) : spec ?? {}) as Spec;
    };
    const sqlOf = (r: PlanResource | undefined) => (typeof r?.outputs?.partitioningSql === "string" ? r.outputs.partitioningSql : "");
    for (const { before, after } of pairs.filter((p) => p.after.type === PARTITIONED_DATABASE)) {
        const changes = specChanges(specOf(before), specOf(after));
        const sqlDiff = unifiedDiff(sqlOf(before), sqlOf(after), [`${after.name} (base)`, `${after.name} (this change)`]);
        if (changes.length || sqlDiff) {
            out.push({ urn: after.urn, name: after.name, changes: changes.length ? changes : ["the generated SQL changes (the spec does not): see the SQL diff"], sqlDiff });
        }
    }
    return out;
}
