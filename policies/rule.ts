/**
 * The rule model of the policy pack. A rule is a `@pulumi/policy` policy (so the real engine runs it
 * unchanged) plus the cdk-nag style documentation every rule carries: why it matters and how to fix
 * it. Rules look at resources by type token and read inputs by the provider's property names.
 */
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { isUnknownSentinel, proxyTarget } from "./policySdk";
import { activeSettings, PackSettings, settingsOf } from "./settings";

/** The concern a rule belongs to: one module under `policies/rules/` each. */
export enum Concern {
    Tls = "tls",
    Encryption = "encryption",
    LeastPrivilege = "least-privilege",
    Kubernetes = "kubernetes",
    DataProtection = "data-protection",
    Logging = "logging",
    Secrets = "secrets",
    SupplyChain = "supply-chain",
    Pack = "pack",
}

/** What every rule documents, besides its name and one-line description. */
export interface RuleDocs {
    /** The module the rule lives in. */
    concern: Concern;
    /** Why the rule matters. */
    why: string;
    /** How to fix a violation (also sent to the engine as `remediationSteps`). */
    remediationSteps: string;
    /** The default enforcement level. */
    enforcementLevel: Exclude<EnforcementLevel, "remediate">;
    /**
     * How bad a violation is, independent of whether it blocks (also sent to the engine):
     * critical (the account or data is exposed now), high (one step from exposure), medium
     * (defence in depth), low (hygiene).
     */
    severity: Severity;
}

/** The severities, worst first. */
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

/** Where a rule is documented: its row in the README's policy table. */
export function docsAnchor(rule: string): string {
    return `README.md#rule-${rule}`;
}

export type ResourceRule = ResourceValidationPolicy & RuleDocs & {
    validateResource: ResourceCheck;
    /** The type tokens the rule looks at; it is not applicable to others. */
    appliesTo?: readonly string[];
};
export type StackRule = StackValidationPolicy & RuleDocs;
export type Rule = ResourceRule | StackRule;
type ResourceCheck = (args: ResourceValidationArgs, report: ReportViolation) => void;

export function isStackRule(rule: Rule): rule is StackRule {
    return typeof (rule as StackRule).validateStack === "function";
}

/** A resource view both kinds of rule use. */
export interface Subject {
    type: string;
    name: string;
    urn: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider inputs of any shape
    props: Record<string, any>;
}

/** Defines a resource rule that applies to the given type tokens and is not applicable to others. */
export function resourceRule(def: Omit<ResourceRule, "validateResource"> & {
    types: string[];
    /** Return violation messages (or report them). */
    check: (subject: Subject, args: ResourceValidationArgs) => string[] | void;
}): ResourceRule {
    const { types, check, ...policy } = def;
    return {
        ...policy,
        appliesTo: types,
        validateResource: (args, report) => {
            if (!types.includes(args.type)) {
                args.notApplicable(`Policy only applies to resources of type ${types.map((t) => `'${t}'`).join(", ")}`);
            }
            for (const message of check(args, args) ?? []) {
                report(message);
            }
        },
    };
}

/** Defines a stack rule; `check` reports violations against resources' URNs. */
export function stackRule(def: Omit<StackRule, "validateStack"> & {
    /** Types the rule looks at: when none are in the stack it is not applicable. */
    types: string[];
    check: (stack: StackView, args: StackValidationArgs, report: (urn: string, message: string) => void) => void;
}): StackRule {
    const { types, check, ...policy } = def;
    return {
        ...policy,
        validateStack: (args, report) => {
            if (!args.resources.some((r) => types.includes(r.type))) {
                args.notApplicable(`Policy only applies to stacks with resources of type ${types.map((t) => `'${t}'`).join(", ")}`);
            }
            check(new StackView(args.resources), args, (urn, message) => report(message, urn));
        },
    };
}

/** The stack's resources with the look-ups stack rules need. */
export class StackView {
    constructor(public readonly resources: PolicyResource[]) {}

    ofType(...types: string[]): PolicyResource[] {
        return this.resources.filter((r) => types.includes(r.type));
    }

    /**
     * Resources of the given types whose `property` refers to `target`: through the property's
     * dependencies (the engine records which resource a value came from) or, for values given as
     * literals, by equal value of `targetProperty` on the target.
     */
    referencing(target: PolicyResource, types: string[], property: string, targetProperty?: string): PolicyResource[] {
        const literal = targetProperty === undefined ? undefined : peek(target.props, targetProperty);
        return this.ofType(...types).filter((r) => {
            const deps = r.propertyDependencies?.[property] ?? [];
            if (deps.some((d) => d.urn === target.urn)) {
                return true;
            }
            const value = peek(r.props, property);
            return literal !== undefined && typeof literal === "string" && !isUnknownValue(literal) && value === literal;
        });
    }

    /** The resources `source.property` refers to (by dependency, or by literal value of `targetProperty`). */
    referencedBy(source: PolicyResource, property: string, types: string[], targetProperty?: string): PolicyResource[] {
        const deps = new Set((source.propertyDependencies?.[property] ?? []).map((d) => d.urn));
        const value = peek(source.props, property);
        const values = Array.isArray(value) ? value : [value];
        return this.ofType(...types).filter((t) => deps.has(t.urn)
            || (targetProperty !== undefined && values.some((v) => typeof v === "string" && !isUnknownValue(v) && v === peek(t.props, targetProperty))));
    }
}

// --- Reading values without tripping the engine's unknown-value proxy (for linking resources only).

/** True for the engine's unknown sentinels. */
export function isUnknownValue(value: unknown): boolean {
    return isUnknownSentinel(value);
}

/** Reads `obj[key]` without the unknown check; unknowns come back as undefined. */
export function peek(obj: unknown, key: string): unknown {
    if (obj === null || typeof obj !== "object") {
        return undefined;
    }
    const value = proxyTarget(obj as Record<string, unknown>)[key];
    return isUnknownValue(value) ? undefined : value;
}

/**
 * Whether `obj[key]` is given: a known non-empty value, or a value the engine computes at apply
 * (an identifier built from a resource created in the same update is set, only not yet known).
 */
export function isGiven(obj: unknown, key: string): boolean {
    if (obj === null || typeof obj !== "object") {
        return false;
    }
    const value = proxyTarget(obj as Record<string, unknown>)[key];
    return isUnknownValue(value) || (value !== undefined && value !== null && value !== "");
}

// --- Helpers shared by the rule modules.

/** A value as a list: undefined gives [], a single value gives [value]. */
export function asList<T>(value: T | T[] | undefined | null): T[] {
    if (value === undefined || value === null) {
        return [];
    }
    return Array.isArray(value) ? [...value] : [value];
}

/** AWS tags, or Kubernetes labels, of a resource's inputs. */
export function labelsOf(props: Record<string, unknown>): Record<string, string> {
    const tags = peek(props, "tags");
    if (tags && typeof tags === "object") {
        return tags as Record<string, string>;
    }
    const labels = peek(peek(props, "metadata"), "labels");
    return labels && typeof labels === "object" ? labels as Record<string, string> : {};
}

/** The tag / label that marks a production resource. */
export const PRODUCTION_TAG = "Production";
export const PRODUCTION_LABEL = "scaling-toolkit.io/production";

/**
 * True when a resource is production data: tagged or labelled so, or the whole pack runs as
 * production. Pass the rule call's settings (`settingsOf(args)`); without them, the settings of the
 * rule call running now are read.
 */
export function isProduction(props: Record<string, unknown>, settings: PackSettings = activeSettings()): boolean {
    const labels = labelsOf(props);
    return settings.production || labels[PRODUCTION_TAG] === "true" || labels[PRODUCTION_LABEL] === "true";
}

/** Marks a data-protection rule not applicable to a non-production resource (the settings come with `args`). */
export function requireProduction(args: { notApplicable(reason?: string): never }, props: Record<string, unknown>): void {
    if (!isProduction(props, settingsOf(args))) {
        args.notApplicable(`not production data: tag the resource ${PRODUCTION_TAG}="true" (label ${PRODUCTION_LABEL}="true" on Kubernetes) or set "production": true in the policy config`);
    }
}

export type { EnforcementLevel, PolicyConfigSchema, PolicyResource, ResourceValidationArgs, Severity, StackValidationArgs };
