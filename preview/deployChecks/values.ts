/**
 * Values against the rules of the API member they are sent as (AWS's API models: length, range,
 * pattern, enum) and the Terraform provider's validators; physical names given or predicted from
 * Pulumi's auto-naming (`<name>-<7 hex>`: the bridge fails when that is too long, it does not
 * truncate).
 */
import { RecordedResource } from "../runtime";
import { FACTS, ValueRule } from "./knownFacts";
import { DeployFinding, finding, isUnknown, plain, regex as re, valuesAt } from "./types";

/** What is wrong with a value under a rule, or undefined when it passes. */
export function violation(rule: ValueRule, raw: unknown): string | undefined {
    const value = plain(raw);
    if (rule.enum && typeof value === "string" && !rule.enum.includes(value)) {
        return `"${value}" is not one of ${rule.enum.join(", ")}`;
    }
    const n = typeof value === "number" ? value : typeof value === "string" && (rule.min !== undefined || rule.max !== undefined) && value.trim() !== "" ? Number(value) : undefined;
    if (n !== undefined && !Number.isNaN(n)) {
        if (rule.min !== undefined && n < rule.min) return `${n} is below the minimum ${rule.min}`;
        if (rule.max !== undefined && n > rule.max) return `${n} is above the maximum ${rule.max}`;
    }
    if (typeof value === "string") {
        const length = [...value].length;
        if (rule.minLength !== undefined && length < rule.minLength) return `${length} characters, at least ${rule.minLength} allowed`;
        if (rule.maxLength !== undefined && length > rule.maxLength) return `${length} characters, at most ${rule.maxLength} allowed`;
        if (rule.pattern && !re(rule.pattern).test(value)) return `does not match ${rule.pattern}`;
        for (const m of rule.must ?? []) if (!re(m.pattern).test(value)) return m.says;
        for (const m of rule.mustNot ?? []) if (re(m.pattern).test(value)) return m.says;
    }
    return undefined;
}

/** The auto-named property of a type and its maximum, when Pulumi names it. */
export function autoName(type: string): { property: string; maxLength: number; separator: string } | undefined {
    const override = FACTS.autonaming.overrides[type];
    if (override) return override;
    const d = FACTS.autonaming.default;
    return FACTS.schema.types[type]?.p[d.property] !== undefined ? d : undefined;
}

/** The name Pulumi generates for a resource: `<logical name><separator><7 hex>` (shown with a fixed suffix). */
export function predictedName(r: RecordedResource, separator: string): string {
    return `${r.name}${separator}${"0123456789abcdef".slice(0, FACTS.autonaming.default.randomHex)}`;
}

const byType = new Map<string, ValueRule[]>();
for (const rule of FACTS.values) {
    byType.set(rule.type, [...(byType.get(rule.type) ?? []), rule]);
}

export const valueRules = (resources: RecordedResource[]): DeployFinding[] => resources.flatMap((r) => {
    const out: DeployFinding[] = [];
    const auto = autoName(r.type);
    // The bridge's own limit on the generated name.
    // With `<property>Prefix` set the provider generates the name from the prefix instead.
    if (auto && r.inputs[auto.property] === undefined && r.inputs[`${auto.property}Prefix`] === undefined) {
        const name = predictedName(r, auto.separator);
        if ([...name].length > auto.maxLength) {
            out.push(finding("physical-name", r, auto.property, name, `the auto-name "${name}" (logical name + "${auto.separator}" + 7 random hex) is ${[...name].length} characters; pulumi-aws allows ${auto.maxLength} and fails rather than truncate: shorten the logical name or set ${auto.property}`, FACTS.autonaming.source));
        }
    }
    for (const rule of byType.get(r.type) ?? []) {
        const found = valuesAt(r.inputs, rule.property);
        const predicted = rule.physicalName && found.length === 0 && auto?.property === rule.property;
        const candidates = predicted ? [{ path: rule.property, value: predictedName(r, auto!.separator) as unknown }] : found;
        for (const { path, value } of candidates) {
            if (isUnknown(value)) continue;
            const wrong = violation(rule, value);
            if (wrong) {
                const what = predicted ? `the auto-name "${String(value)}" (logical name + "${auto!.separator}" + 7 random hex)` : `"${path}"`;
                out.push(finding(rule.physicalName ? "physical-name" : "value", r, path, value, `${what}: ${wrong}`, rule.source));
            }
        }
    }
    return out;
});
