/** The diff in the CLI's text report: counts first, a tree of what changes, then each change. */
import type { Plan, PlanResource } from "../plan";
import type { PlanProvider } from "../providers";
import { countsLine, formatChange, formatValue, opMark, opWords, reasonSources } from "./format";
import { canonicalUrn, type PlanDiff } from "./index";
import { isPlainObject } from "./values";

/** The resources to draw (changed ones, their ancestors, deleted ones) and each one's mark. */
export function changeTree(plan: Plan, diff: PlanDiff): { plan: Plan; marks: Map<string, string> } {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const marks = new Map<string, string>();
    const keep = new Map<string, PlanResource>();
    const withAncestors = (r: PlanResource | undefined) => {
        for (let cur = r; cur && !keep.has(cur.urn); cur = cur.parent ? byUrn.get(cur.parent) : undefined) {
            keep.set(cur.urn, cur);
        }
    };
    for (const c of diff.resources) {
        marks.set(c.urn, opMark(c));
        if (c.op === "delete") {
            const removed = diff.removed.find((r) => r.urn === c.urn)!;
            // A deleted resource hangs under its parent as the head plan spells it.
            const parent = removed.parent ? plan.resources.find((r) => canonicalUrn(r.urn) === canonicalUrn(removed.parent!)) : undefined;
            keep.set(c.urn, { ...removed, ...(parent ? { parent: parent.urn } : {}) });
            withAncestors(parent);
        } else {
            withAncestors(byUrn.get(c.urn));
        }
    }
    for (const urn of keep.keys()) {
        if (!marks.has(urn)) {
            marks.set(urn, " ");
        }
    }
    return { plan: { ...plan, resources: [...keep.values()] }, marks };
}

/** Each changed resource with what changes and why, then data loss, partitioning and outputs. */
export function diffDetailLines(diff: PlanDiff): string[] {
    const lines: string[] = [];
    for (const c of diff.resources) {
        const flags = [c.protect ? "protect" : "", c.retainOnDelete && c.op !== "delete" ? "retainOnDelete" : ""].filter(Boolean);
        lines.push(`  ${opMark(c).padEnd(2)} ${c.type} ${c.name}: ${opWords(c)}${flags.length ? ` [${flags.join(", ")}]` : ""}`);
        for (const source of reasonSources(c)) {
            lines.push(`       forced by ${source}`);
        }
        for (const ch of c.changes) {
            lines.push(`       ${formatChange(ch)}`);
        }
    }
    if (diff.dataLoss.length) {
        lines.push("", "Data loss:");
        for (const f of diff.dataLoss) {
            lines.push(`  [${f.level}] ${f.type} ${f.message}`);
        }
    }
    for (const p of diff.partitioning) {
        lines.push("", `Partitioning of ${p.name}:`, ...p.changes.map((c) => `  ${c}`));
        if (p.sqlDiff) {
            lines.push("  SQL diff:", ...p.sqlDiff.split("\n").map((l) => `    ${l}`));
        }
    }
    lines.push("", diff.outputs.length ? "Stack output changes:" : "Stack outputs: unchanged");
    for (const o of diff.outputs) {
        lines.push(`  ${formatChange(o)}`);
    }
    return lines;
}

/** Stack outputs, one line each (nested maps flattened one level). */
export function outputLines(outputs: Record<string, unknown>): string[] {
    const lines: string[] = [];
    for (const [key, value] of Object.entries(outputs)) {
        if (isPlainObject(value) && Object.keys(value).length) {
            for (const [k, v] of Object.entries(value)) {
                lines.push(`  ${key}.${k}: ${formatValue(v)}`);
            }
        } else {
            lines.push(`  ${key}: ${formatValue(value)}`);
        }
    }
    return lines;
}

/** `aws (default): region eu-west-1, account 123456789012`. */
export function providerLine(p: PlanProvider): string {
    const facts = Object.entries(p).filter(([k]) => k !== "name" && k !== "package").map(([k, v]) => `${k} ${String(v)}`);
    return `${p.package} ${p.name === "default" ? "(default provider)" : p.name}: ${facts.join(", ") || "provider defaults"}`;
}

/** The text lines of a diff's headline. */
export function diffHeadline(diff: PlanDiff): string {
    return `Changes against the base plan of ${diff.base.project}/${diff.base.stack}: ${countsLine(diff)}`;
}

