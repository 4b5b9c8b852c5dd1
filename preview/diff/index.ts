/**
 * The diff of a plan against a base plan (the base branch's), as a reviewer needs it: per resource
 * create, update, replace (naming the property that forces it, from the provider's facts),
 * delete and delete-before-replace; data-loss findings; stack output changes; partitioning changes
 * in plain words with the SQL diff.
 *
 * Resources are matched by URN as the plans give them. The one exception: a URN written before the
 * engine-faithful URNs (`...::pulumi:pulumi:Stack$aws:...`, stack children qualified by the stack's
 * type) matches the same resource written without that prefix, so a base plan of either form diffs.
 */
import type { PolicyConfig } from "../../policies/evaluate";
import { PLAN_VERSION, type Plan, type PlanResource } from "../plan";
import { UsageError } from "../project";
import { DataLossFinding, dataLossOf, packSettingsFrom } from "./dataLoss";
import { PartitioningChange, partitioningChanges } from "./partitioning";
import { classify, ReplaceReason, withoutIgnored } from "./replacement";
import { changesBetween, PropertyChange } from "./values";

export type { DataLossFinding } from "./dataLoss";
export type { PartitioningChange } from "./partitioning";
export type { ReplaceReason } from "./replacement";
export type { PropertyChange } from "./values";

export type ChangeOp = "create" | "update" | "replace" | "delete";

export interface ResourceChange {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    op: ChangeOp;
    /** Replace by deleting first (the `deleteBeforeReplace` option), instead of create-then-delete. */
    deleteBeforeReplace?: boolean;
    /** False for an update of a type the toolkit has no replacement facts for. */
    replacementKnown: boolean;
    /** What forces the replacement. */
    reasons: ReplaceReason[];
    /** Replacements the provider decides only at plan time. */
    mayReplace: ReplaceReason[];
    /** Input changes (paths relative to the inputs) and option changes (`options.*`). */
    changes: PropertyChange[];
    protect?: boolean;
    retainOnDelete?: boolean;
}

export interface PlanDiff {
    base: { project: string; stack: string };
    counts: Record<ChangeOp | "unchanged", number>;
    /** Changed resources only, by URN. */
    resources: ResourceChange[];
    /** Stack output changes. */
    outputs: PropertyChange[];
    dataLoss: DataLossFinding[];
    partitioning: PartitioningChange[];
    /** Created resources (as in the head plan). */
    added: PlanResource[];
    /** Deleted resources (as in the base plan). */
    removed: PlanResource[];
    /** Updated or replaced resources with their changes. */
    changed: { urn: string; type: string; name: string; changes: PropertyChange[] }[];
}

export interface DiffOptions {
    /** Policy config (production flag, waivers) for the data-loss guard. */
    policyConfig?: PolicyConfig;
}

/** The URN with a stack-type qualifier dropped: `::pulumi:pulumi:Stack$aws:x` -> `::aws:x`. */
export const canonicalUrn = (urn: string) => urn.replace(/::pulumi:pulumi:Stack\$/, "::");

/** Refuses a base plan that cannot be compared with this one. */
export function checkComparable(base: Plan, head: Plan): void {
    if (base.version !== PLAN_VERSION) {
        throw new UsageError(`the base plan is format version ${String(base.version ?? "unknown")}; this preview writes version ${PLAN_VERSION}: ` +
            "write the base plan again with this version of the preview (or diff without --diff)");
    }
    if (base.project !== head.project || base.stack !== head.stack) {
        throw new UsageError(`the base plan is of ${base.project}/${base.stack}, this preview is of ${head.project}/${head.stack}: ` +
            "a diff compares two plans of the same project and stack");
    }
}

const OPTION_KEYS = ["protect", "retainOnDelete", "deleteBeforeReplace", "replaceOnChanges", "ignoreChanges", "provider"] as const;
const optionsOf = (r: PlanResource) => Object.fromEntries(OPTION_KEYS.map((k) => [k, r[k]]).filter(([, v]) => v !== undefined && v !== false));

function changeOf(before: PlanResource, after: PlanResource, replacedUrns: Set<string>): ResourceChange | undefined {
    let inputChanges = withoutIgnored(changesBetween(before.inputs, after.inputs), after.ignoreChanges);
    // A property taken from a replaced resource changes with it, as `pulumi preview` shows it.
    for (const [property, deps] of Object.entries(after.propertyDependencies ?? {})) {
        const replaced = deps.find((d) => replacedUrns.has(d));
        if (replaced && !inputChanges.some((c) => c.path === property || c.path.startsWith(`${property}.`) || c.path.startsWith(`${property}[`))) {
            inputChanges = [...inputChanges, { path: property, before: before.inputs[property], after: `(known after apply: ${replaced.split("::").pop()} is replaced)`, kind: "change", dependency: replaced }];
        }
    }
    const optionChanges = changesBetween(optionsOf(before), optionsOf(after), "options");
    if (inputChanges.length + optionChanges.length === 0) {
        return undefined;
    }
    const c = classify(after.type, after.custom, inputChanges, { replaceOnChanges: after.replaceOnChanges }, { before: before.inputs, after: after.inputs });
    return {
        urn: after.urn,
        type: after.type,
        name: after.name,
        ...(after.parent ? { parent: after.parent } : {}),
        custom: after.custom,
        op: c.op,
        ...(c.op === "replace" && after.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
        replacementKnown: c.known,
        reasons: c.reasons,
        mayReplace: c.mayReplace,
        changes: [...inputChanges, ...optionChanges],
        ...(after.protect ? { protect: true } : {}),
        ...(after.retainOnDelete ? { retainOnDelete: true } : {}),
    };
}

const whole = (r: PlanResource, op: "create" | "delete"): ResourceChange => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    ...(r.parent ? { parent: r.parent } : {}),
    custom: r.custom,
    op,
    replacementKnown: true,
    reasons: [],
    mayReplace: [],
    changes: [],
    ...(r.protect ? { protect: true } : {}),
    ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
});

/** What `head` creates, updates, replaces and deletes compared with `base`, the plan of the base branch. */
export function diffPlans(base: Plan, head: Plan, options: DiffOptions = {}): PlanDiff {
    checkComparable(base, head);
    const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
    const baseByCanonical = new Map(base.resources.map((r) => [canonicalUrn(r.urn), r]));
    const pairs = head.resources.map((after) => ({ after, before: baseByUrn.get(after.urn) ?? baseByCanonical.get(canonicalUrn(after.urn)) }));
    const matchedBase = new Set(pairs.map((p) => p.before?.urn).filter((u): u is string => !!u));

    // Replacements cascade to the properties that take their values: iterate to a fixed point.
    let replaced = new Set<string>();
    let changes = new Map<string, ResourceChange>();
    for (let round = 0; round <= head.resources.length; round++) {
        changes = new Map();
        for (const { before, after } of pairs) {
            const change = before ? changeOf(before, after, replaced) : undefined;
            if (change) {
                changes.set(after.urn, change);
            }
        }
        const next = new Set([...changes.values()].filter((c) => c.op === "replace").map((c) => c.urn));
        if (next.size === replaced.size) {
            break;
        }
        replaced = next;
    }

    const created = pairs.filter((p) => !p.before).map((p) => p.after);
    const deleted = base.resources.filter((r) => !matchedBase.has(r.urn));
    const resources = [...changes.values(), ...created.map((r) => whole(r, "create")), ...deleted.map((r) => whole(r, "delete"))]
        .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));

    const settings = packSettingsFrom(options.policyConfig);
    const dataLoss: DataLossFinding[] = [];
    for (const c of resources.filter((r) => r.op === "replace" || r.op === "delete")) {
        const resource = c.op === "delete" ? base.resources.find((r) => r.urn === c.urn)! : head.resources.find((r) => r.urn === c.urn)!;
        const finding = dataLossOf(resource, c.op as "replace" | "delete", c.reasons, settings);
        if (finding) {
            dataLoss.push(finding);
        }
    }

    const count = (op: ChangeOp) => resources.filter((r) => r.op === op).length;
    return {
        base: { project: base.project, stack: base.stack },
        counts: { create: count("create"), update: count("update"), replace: count("replace"), delete: count("delete"), unchanged: pairs.filter((p) => p.before && !changes.has(p.after.urn)).length },
        resources,
        outputs: changesBetween(base.outputs, head.outputs),
        dataLoss,
        partitioning: partitioningChanges(pairs),
        added: created,
        removed: deleted,
        changed: [...changes.values()].map((c) => ({ urn: c.urn, type: c.type, name: c.name, changes: c.changes })),
    };
}
