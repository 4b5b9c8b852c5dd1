/** How diff entries read, shared by the text report and the pull-request comment. */
import type { ChangeOp, PlanDiff, ResourceChange } from "./index";
import { unifiedDiff } from "./partitioning";
import type { PropertyChange } from "./values";

/** `pulumi preview`'s marks: + create, ~ update, +- replace, -+ delete-before-replace, - delete. */
export function opMark(c: Pick<ResourceChange, "op" | "deleteBeforeReplace">): string {
    return c.op === "create" ? "+" : c.op === "update" ? "~" : c.op === "delete" ? "-" : c.deleteBeforeReplace ? "-+" : "+-";
}

/** What happens to a resource, in words: `replace (storageEncrypted forces it)`. */
export function opWords(c: ResourceChange): string {
    switch (c.op) {
        case "create":
            return "create";
        case "delete":
            return c.retainOnDelete ? "delete from the stack (retainOnDelete: kept in the cloud)" : "delete";
        case "replace": {
            const why = c.reasons.map((r) => r.property).join(", ");
            return `${c.deleteBeforeReplace ? "delete-before-replace" : "replace"} (${why} forces it)`;
        }
        default: {
            const may = c.mayReplace.length ? `; may replace: ${c.mayReplace.map((r) => `${r.property} (${r.detail})`).join(", ")}` : "";
            return (c.custom && !c.replacementKnown ? "update (replacement not known)" : "update") + may;
        }
    }
}

/** The sources of a change's replacement reasons, once each. */
export function reasonSources(c: ResourceChange): string[] {
    return [...new Set(c.reasons.map((r) => r.source))];
}

const MAX_VALUE = 160;

/** A value as it reads in a diff line: long texts summarised, documents truncated. */
export function formatValue(v: unknown): string {
    if (v === undefined) {
        return "(absent)";
    }
    if (typeof v === "string" && v.includes("\n")) {
        return `(text, ${v.split("\n").length} lines)`;
    }
    const text = JSON.stringify(v);
    return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** One property change: `path: before => after`, or `+ path: value` / `- path: value`. */
export function formatChange(c: PropertyChange): string {
    if (typeof c.before === "string" && typeof c.after === "string" && (c.before.includes("\n") || c.after.includes("\n"))) {
        const d = unifiedDiff(c.before, c.after, ["before", "after"], 0).split("\n");
        const added = d.filter((l) => l.startsWith("+") && !l.startsWith("+++")).length;
        const removed = d.filter((l) => l.startsWith("-") && !l.startsWith("---")).length;
        return `${c.path}: text of ${c.after.split("\n").length} lines, ${added} line(s) added, ${removed} removed`;
    }
    if (c.kind === "add") {
        return `+ ${c.path}: ${formatValue(c.after)}`;
    }
    if (c.kind === "remove") {
        return `- ${c.path}: ${formatValue(c.before)}`;
    }
    return `${c.path}: ${formatValue(c.before)} => ${formatValue(c.after)}`;
}

/** `1 to create, 2 to update, 1 to replace, 0 to delete, 182 unchanged`. */
export function countsLine(diff: PlanDiff): string {
    const ops: ChangeOp[] = ["create", "update", "replace", "delete"];
    return `${ops.map((op) => `${diff.counts[op]} to ${op}`).join(", ")}, ${diff.counts.unchanged} unchanged`;
}
