/** What the deploy checks report, and the helpers every rule class shares. */
import { ResourceRef, Secret, Unknown, RecordedResource } from "../runtime";

/** One input the real provider or AWS would reject. */
export interface DeployFinding {
    /** The rule class: `schema`, `value`, `physical-name`, `tags`, `cross-field`, `iam`, `region`. */
    rule: string;
    urn: string;
    type: string;
    /** The input (a path such as `tags.Waiver` or `parameters[2].applyMethod`). */
    property: string;
    /** The value as given (secrets redacted), or the predicted auto-name. */
    value: unknown;
    /** What is wrong and what is allowed. */
    message: string;
    /** Where the rule comes from (source and version). */
    source: string;
}

export interface DeployCheckSection {
    /** Cloud resources of the AWS provider that were checked. */
    checked: number;
    /** The sources of the facts, with versions. */
    sources: Record<string, string>;
    findings: DeployFinding[];
    /** What was not checked, and why. */
    notes?: string[];
}

export interface DeployCheckContext {
    /** The stack's `aws:region` config, when set. */
    region?: string;
    /** The `@pulumi/aws` version the program uses, when known: the schema is only that of the facts' version. */
    providerVersion?: string;
}

/** A rule class: the findings for the AWS resources of a plan. */
export type RuleClass = (resources: RecordedResource[], all: RecordedResource[], context: DeployCheckContext) => DeployFinding[];

/** Placeholders the recording runtime puts where the cloud computes a value. */
const PLACEHOLDER = /\((?:known after apply|offline)[^)]*\)/g;

/** Whether a value is not known offline (unknown, or a string holding a placeholder). */
export function isUnknown(value: unknown): boolean {
    if (value instanceof Unknown) return true;
    if (value instanceof Secret) return isUnknown(value.value);
    return typeof value === "string" && new RegExp(PLACEHOLDER.source).test(value);
}

/** The plain value: secrets unwrapped, resource references as their URN. */
export function plain(value: unknown): unknown {
    if (value instanceof Secret) return plain(value.value);
    if (value instanceof ResourceRef) return value.urn;
    return value;
}

/** The value as a finding may show it: secrets redacted. */
export function shown(value: unknown): unknown {
    return value instanceof Secret ? "[secret]" : JSON.parse(JSON.stringify(value ?? null));
}

/** A string with the placeholders of cloud-computed parts replaced by `*` (for ARNs). */
export function withWildcards(text: string): string {
    return text.replace(PLACEHOLDER, "*");
}

/** The values at a dotted path (`a.b`), through arrays, with their concrete paths. */
export function valuesAt(inputs: Record<string, unknown>, property: string): { path: string; value: unknown }[] {
    let current: { path: string; value: unknown }[] = [{ path: "", value: inputs }];
    for (const key of property.split(".")) {
        current = current.flatMap(({ path, value }) => {
            const v = plain(value);
            if (Array.isArray(v)) {
                return v.flatMap((item, i) => {
                    const o = plain(item);
                    return o !== null && typeof o === "object" && key in (o as object) ? [{ path: `${path}[${i}].${key}`, value: (o as Record<string, unknown>)[key] }] : [];
                });
            }
            return v !== null && typeof v === "object" && key in (v as object) ? [{ path: path ? `${path}.${key}` : key, value: (v as Record<string, unknown>)[key] }] : [];
        });
    }
    return current.filter(({ value }) => value !== undefined && value !== null);
}

/** A finding of a resource. */
export function finding(rule: string, r: RecordedResource, property: string, value: unknown, message: string, source: string): DeployFinding {
    return { rule, urn: r.urn, type: r.type, property, value: shown(value), message, source };
}

const compiled = new Map<string, RegExp>();
/** A fact's regular expression (JavaScript, `u` flag), compiled once. */
export function regex(pattern: string): RegExp {
    let r = compiled.get(pattern);
    if (!r) {
        r = new RegExp(pattern, "u");
        compiled.set(pattern, r);
    }
    return r;
}
