/**
 * Offline evaluation: runs the pack's rules over a list of resources (a recorded graph or the
 * offline preview's plan) with the Pulumi engine's semantics:
 * - enforcement levels from policy config: `{ "<rule>": level }`, `{ "<rule>": { enforcementLevel, ...ruleConfig } }`
 *   and `"all"` (a rule's own entry wins over `all`, which wins over the rule's default; `remediate` counts as mandatory);
 * - rule config filled with the defaults of the rule's config schema;
 * - `notApplicable` recorded, not reported as a violation;
 * - a value unknown during preview makes the rule report an advisory "can't run ... during preview"
 *   for that resource instead of failing, through the same unknown-checking proxy the engine uses;
 * - waivers (config, tag, annotation) with a valid reason turn a violation into a waived,
 *   advisory one; it is still reported.
 */
import type { PolicyResource as EnginePolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { AssetValue, ResourceRef, Secret, Unknown, UNKNOWN_TEXT } from "../components/common/values";
import { expiredMessage, PACK_NAME, waivedMessage } from "./engine";
import { pulumiTypeOf, UNKNOWN_STRING, unknownCheckingProxy, UnknownValueError } from "./policySdk";
import { docsAnchor, isStackRule, ResourceRule, Rule, Severity, StackRule } from "./rule";
import { ALL_RULES, PACK_SETTINGS } from "./rules";
import { attachSettings, findWaiver, PackSettings, resourceWaivers, settingsFrom, todayUtc, waiverStatus, withSettings } from "./settings";
import packageJson from "./package.json";

/** A resource as recorded by preview/runtime.ts (`RecordedResource`) or written to a plan's `resources`. */
export interface PolicyResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom?: boolean;
    inputs: Record<string, unknown>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/** Policy config as `pulumi preview --policy-pack-config` takes it, plus `production` / `waivers` shorthands. */
export type PolicyConfig = Record<string, unknown>;

export interface EvaluateOptions {
    /** Policy config. @default {} */
    config?: PolicyConfig;
    /** The rules to run. @default every rule of the pack */
    rules?: Rule[];
    /** Stack tags, as the engine passes them. @default {} */
    stackTags?: Record<string, string>;
    /** Today (`YYYY-MM-DD`, UTC) for waiver expiry. @default the current date */
    today?: string;
}

/** A waiver as the report's summary lists it. */
export interface WaiverSummary {
    rule: string;
    /** The resource: its URN (tags, annotations and config waivers by URN) or logical name. */
    resource: string;
    source: "config" | "tag" | "annotation";
    reason: string;
    owner?: string;
    expires?: string;
    /** `active` waives; `expired` (past its date) and `invalid` (reason under 10 characters, bad date) do not; `unused` covers no violation. */
    status: "active" | "expired" | "invalid" | "unused";
}

export interface Violation {
    policy: string;
    /** `advisory` for waived violations and for rules that could not run on unknown values. */
    level: "advisory" | "mandatory";
    /** The resource's URN; empty for a finding about the stack as a whole. */
    urn: string;
    resourceName?: string;
    resourceType?: string;
    message: string;
    /** How bad it is: critical, high, medium or low. */
    severity: Severity;
    /** How to fix it (the rule's remediationSteps). */
    remediation: string;
    /** Where the rule is documented (README anchor). */
    docs: string;
    /** Set when a valid, unexpired waiver covers the violation. */
    waived?: { reason: string; source: "config" | "tag" | "annotation"; owner?: string; expires?: string };
    /** Set when a waiver covered the violation until it expired: the violation counts again. */
    waiverExpired?: { expires: string; reason: string; source: "config" | "tag" | "annotation"; owner?: string };
    /** Set when the rule could not run because a value is unknown until apply. */
    unknown?: true;
}

export interface PolicyReport {
    violations: Violation[];
    /** Every rule with its resolved level, severity, remediation and docs anchor. */
    policies: { name: string; level: EnforcementLevel; severity: Severity; description: string; remediation: string; docs: string }[];
    /** Every waiver declared (config, tags, annotations), with whether it waives. */
    waivers: WaiverSummary[];
    /** Rules that declared themselves not applicable (beyond not matching the resource type). */
    notApplicable: { policy: string; urn: string; reason: string }[];
    /** The settings in effect. */
    settings: PackSettings;
}

/** Bad policy config: the CLI stops with it before any rule runs. */
export class PolicyConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PolicyConfigError";
    }
}

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

interface ResolvedConfig {
    levels: Map<string, EnforcementLevel>;
    properties: Map<string, Record<string, unknown>>;
    settings: PackSettings;
}

function levelOf(key: string, value: unknown): string | undefined {
    if (value === undefined) {
        return undefined;
    }
    if (typeof value !== "string" || !LEVELS.includes(value)) {
        throw new PolicyConfigError(`policy config "${key}": ${JSON.stringify(value)} is not a valid enforcement level; allowed: ${LEVELS.join(", ")}`);
    }
    return value;
}

/** Resolves levels, rule config (with schema defaults) and the pack settings, as the CLI does. */
export function resolveConfig(config: PolicyConfig, rules: Rule[]): ResolvedConfig {
    const given = new Map<string, { level?: string; properties: Record<string, unknown> }>();
    const shorthand: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key === "production" && typeof value === "boolean") {
            shorthand.production = value;
        } else if (key === "waivers" && Array.isArray(value)) {
            shorthand.waivers = value;
        } else if (typeof value === "string") {
            given.set(key, { level: levelOf(key, value), properties: {} });
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value as Record<string, unknown>;
            given.set(key, { level: levelOf(key, enforcementLevel), properties });
        } else {
            throw new PolicyConfigError(`policy config "${key}": ${JSON.stringify(value)} is not valid; must be an enforcement level or an object`);
        }
    }
    const all = given.get("all")?.level;
    const levels = new Map<string, EnforcementLevel>();
    const properties = new Map<string, Record<string, unknown>>();
    for (const rule of rules) {
        const level = given.get(rule.name)?.level ?? all ?? rule.enforcementLevel ?? "advisory";
        levels.set(rule.name, (level === "remediate" ? "mandatory" : level) as EnforcementLevel);
        const defaults = Object.fromEntries(Object.entries(rule.configSchema?.properties ?? {})
            .filter(([, schema]) => schema.default !== undefined).map(([k, schema]) => [k, schema.default]));
        const props = { ...defaults, ...(given.get(rule.name)?.properties ?? {}), ...(rule.name === PACK_SETTINGS ? shorthand : {}) };
        for (const [k, v] of Object.entries(props)) {
            const schema = rule.configSchema?.properties?.[k];
            const type = schema?.type;
            const ok = type === undefined || (type === "array" ? Array.isArray(v) : type === "integer" ? Number.isInteger(v) : typeof v === type);
            if (!ok) {
                throw new PolicyConfigError(`policy config "${rule.name}.${k}": ${JSON.stringify(v)} is not of type ${type}`);
            }
        }
        properties.set(rule.name, props);
    }
    return { levels, properties, settings: settingsFrom(properties.get(PACK_SETTINGS)) };
}

/** Input values as the engine hands them to policies: secrets revealed, unknowns as the engine's sentinel. */
export function toEngineValue(value: unknown): unknown {
    if (value instanceof Secret) {
        return toEngineValue(value.value);
    }
    if (value instanceof Unknown || value === UNKNOWN_TEXT) {
        return UNKNOWN_STRING;
    }
    if (value instanceof ResourceRef) {
        return value.urn;
    }
    if (value instanceof AssetValue) {
        return { [value.kind]: value.detail };
    }
    if (Array.isArray(value)) {
        return value.map(toEngineValue);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toEngineValue(v)]));
    }
    return value;
}

/** A rule's "does not apply" signal: control flow, not an error, so it carries no stack trace. */
class NotApplicable {
    constructor(public readonly reason: string) {}
}

const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "Policy does not apply");
};

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = pulumiTypeOf(resourceClass);
    return typeof token === "string" && token === type;
}

/** What one evaluation shares: the resources, their values as the engine passes them, the settings, and what it found. */
interface Evaluation {
    resources: PolicyResource[];
    byUrn: Map<string, PolicyResource>;
    /** Each resource's inputs as engine values (secrets revealed, unknowns as the engine's sentinel). */
    plain: Map<string, Record<string, unknown>>;
    settings: PackSettings;
    stackTags: ReadonlyMap<string, string>;
    /** The pack as the engine names it in its messages. */
    from: string;
    violations: Violation[];
    notApplicable: PolicyReport["notApplicable"];
    /** `<rule>|<urn>` of every violation a waiver (valid, expired or invalid) was found for. */
    waiversUsed: Set<string>;
}

function startEvaluation(resources: PolicyResource[], settings: PackSettings, stackTags: Record<string, string> = {}): Evaluation {
    return {
        resources,
        byUrn: new Map(resources.map((r) => [r.urn, r])),
        plain: new Map(resources.map((r) => [r.urn, toEngineValue(r.inputs ?? {}) as Record<string, unknown>])),
        settings,
        stackTags: new Map(Object.entries(stackTags)),
        from: `policy pack '${PACK_NAME}@v${packageJson.version}'`,
        violations: [],
        notApplicable: [],
        waiversUsed: new Set<string>(),
    };
}

/** A rule's severity, remediation and docs anchor, as every violation of it carries them. */
const about = (rule: Rule) => ({ severity: rule.severity, remediation: rule.remediationSteps, docs: docsAnchor(rule.name) });

/**
 * Records a violation a rule reported. A valid waiver makes it advisory and says so in its message;
 * an expired one leaves it at the rule's level and says when the waiver ended.
 */
function recordViolation(ev: Evaluation, rule: Rule, level: "advisory" | "mandatory", urn: string, message: string): void {
    const resource = ev.byUrn.get(urn);
    const violation: Violation = { policy: rule.name, level, urn, resourceName: resource?.name, resourceType: resource?.type, message, ...about(rule) };
    const waiver = resource && findWaiver(rule.name, { urn, name: resource.name, props: ev.plain.get(urn) }, ev.settings);
    if (waiver) {
        ev.waiversUsed.add(`${rule.name}|${urn}`);
    }
    const who = { ...(waiver?.owner !== undefined ? { owner: waiver.owner } : {}) };
    if (waiver?.valid) {
        violation.level = "advisory";
        violation.waived = { reason: waiver.reason, source: waiver.source, ...who, ...(waiver.expires !== undefined ? { expires: waiver.expires } : {}) };
        violation.message = waivedMessage(waiver, message);
    } else if (waiver?.expired) {
        violation.waiverExpired = { expires: waiver.expires!, reason: waiver.reason, source: waiver.source, ...who };
        violation.message = expiredMessage(waiver, message);
    }
    ev.violations.push(violation);
}

/**
 * What a rule threw: a value unknown during preview (an advisory "can't run"), "does not apply"
 * (recorded unless it is only the type check), or a real error (raised, naming resource and rule).
 */
function ruleFailed(ev: Evaluation, rule: Rule, urn: string, err: unknown): void {
    if (err instanceof UnknownValueError) {
        ev.violations.push({ policy: rule.name, level: "advisory", urn, resourceName: ev.byUrn.get(urn)?.name, resourceType: ev.byUrn.get(urn)?.type, unknown: true,
            message: `can't run policy '${rule.name}' from ${ev.from} during preview: ${(err as Error).message}`, ...about(rule) });
    } else if (err instanceof NotApplicable) {
        if (!err.reason.startsWith("Policy only applies to")) {
            ev.notApplicable.push({ policy: rule.name, urn, reason: err.reason });
        }
    } else {
        throw new Error(`Error validating ${urn || "the stack"} with policy '${rule.name}' from ${ev.from}: ${err instanceof Error ? err.message : String(err)}`);
    }
}

/** Offline evaluation runs synchronous rules only: a rule that returns a promise is an error. */
function requireSynchronous(result: unknown, rule: Rule): void {
    if (result && typeof (result as Promise<void>).then === "function") {
        throw new Error(`policy '${rule.name}' is asynchronous; offline evaluation runs synchronous rules only`);
    }
}

/** The resource options the engine passes policies: only the parent is known offline. */
function engineOptions(parent: string | undefined): EnginePolicyResource["opts"] {
    return { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, parent };
}

/** A resource rule's arguments for one resource: its values behind the unknown-checking proxy, the rule's config, the settings. */
function resourceArgs(ev: Evaluation, r: PolicyResource, getConfig: <T extends object>() => T): ResourceValidationArgs {
    const props = unknownCheckingProxy(ev.plain.get(r.urn)!);
    return attachSettings({
        type: r.type, props, urn: r.urn, name: r.name, stackTags: ev.stackTags,
        opts: engineOptions(r.parent),
        isType: (cls) => isTypeOf(r.type, cls),
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        asType: ((cls: unknown) => isTypeOf(r.type, cls) ? props : undefined) as any,
        getConfig,
        notApplicable: throwNotApplicable,
    }, ev.settings);
}

/** Runs a resource rule over every resource of the types it applies to. */
function runResourceRule(ev: Evaluation, rule: ResourceRule, level: "advisory" | "mandatory", getConfig: <T extends object>() => T): void {
    const validate = rule.validateResource; // detached from the rule object, as evaluation has always called it
    for (const r of ev.resources) {
        if (rule.appliesTo && !rule.appliesTo.includes(r.type)) {
            continue; // the rule would declare itself not applicable, as it does for the engine
        }
        try {
            requireSynchronous(validate(resourceArgs(ev, r, getConfig), (message) => recordViolation(ev, rule, level, r.urn, message)), rule);
        } catch (err) {
            ruleFailed(ev, rule, r.urn, err);
        }
    }
}

/** Runs a stack rule once over every resource, linked as the engine links them. */
function runStackRule(ev: Evaluation, rule: StackRule, level: "advisory" | "mandatory", getConfig: <T extends object>() => T): void {
    const args: StackValidationArgs = attachSettings({ resources: stackResources(ev.resources, ev.plain), stackTags: ev.stackTags, getConfig, notApplicable: throwNotApplicable }, ev.settings);
    try {
        requireSynchronous(rule.validateStack(args, (message, urn) => recordViolation(ev, rule, level, urn ?? "", message)), rule);
    } catch (err) {
        ruleFailed(ev, rule, "", err);
    }
}

/** Runs one enabled rule: its resource check, then its stack check, each with a fresh copy of its config per call. */
function runRule(ev: Evaluation, rule: Rule, level: "advisory" | "mandatory", config: Record<string, unknown> | undefined): void {
    const getConfig = <T extends object>() => ({ ...config }) as T;
    if (typeof (rule as ResourceRule).validateResource === "function") {
        runResourceRule(ev, rule as ResourceRule, level, getConfig);
    }
    if (isStackRule(rule)) {
        runStackRule(ev, rule as StackRule, level, getConfig);
    }
}

/** Evaluates the rules over `resources` and returns every violation, waived or not. */
export function evaluatePolicies(resources: PolicyResource[], options: EvaluateOptions = {}): PolicyReport {
    const rules = options.rules ?? ALL_RULES;
    const resolved = resolveConfig(options.config ?? {}, rules);
    const { levels, properties } = resolved;
    const settings: PackSettings = { ...resolved.settings, today: options.today ?? todayUtc() };
    const ev = startEvaluation(resources, settings, options.stackTags);
    withSettings(settings, () => {
        for (const rule of rules) {
            const level = levels.get(rule.name)!;
            if (level !== "disabled") {
                runRule(ev, rule, level, properties.get(rule.name));
            }
        }
    });
    return {
        violations: ev.violations,
        policies: rules.map((r) => ({ name: r.name, level: levels.get(r.name)!, severity: r.severity, description: r.description, remediation: r.remediationSteps, docs: docsAnchor(r.name) })),
        notApplicable: ev.notApplicable,
        settings,
        waivers: waiverSummary(resources, ev.plain, settings, ev.waiversUsed),
    };
}

/** One waiver of the summary, as a line. */
export function waiverLine(w: WaiverSummary): string {
    const who = `owner ${w.owner ?? "(none)"}, expires ${w.expires ?? "(never)"}`;
    return `${w.status}: ${w.rule} on ${w.resource.split("::").pop()} (${w.source}; ${who}): ${w.reason}`;
}

/** Every waiver of the config and of the resources, with its status. */
function waiverSummary(resources: PolicyResource[], plain: Map<string, Record<string, unknown>>, settings: PackSettings, used: Set<string>): WaiverSummary[] {
    const today = settings.today ?? todayUtc();
    const status = (w: { reason: string; expires?: string }, key: string | undefined): WaiverSummary["status"] => {
        const probe = waiverStatus(w, today);
        return probe !== "active" ? probe : key !== undefined && used.has(key) ? "active" : "unused";
    };
    const summary: WaiverSummary[] = settings.waivers.map((w) => {
        const target = resources.find((r) => r.urn === w.urn || (w.urn === undefined && r.name === w.name));
        return { rule: w.rule, resource: w.urn ?? w.name ?? "", source: "config" as const, reason: w.reason,
            ...(w.owner !== undefined ? { owner: w.owner } : {}), ...(w.expires !== undefined ? { expires: w.expires } : {}),
            status: status(w, target && `${w.rule}|${target.urn}`) };
    });
    for (const r of resources) {
        for (const w of resourceWaivers(plain.get(r.urn))) {
            const shadowed = settings.waivers.some((c) => c.rule === w.rule && (c.urn === r.urn || (c.urn === undefined && c.name === r.name)));
            if (!shadowed) {
                summary.push({ rule: w.rule, resource: r.urn, source: w.source, reason: w.reason,
                    ...(w.owner !== undefined ? { owner: w.owner } : {}), ...(w.expires !== undefined ? { expires: w.expires } : {}),
                    status: status(w, `${w.rule}|${r.urn}`) });
            }
        }
    }
    return summary;
}
/** The stack's resources as the engine builds them for stack policies: parents and dependencies linked. */
function stackResources(resources: PolicyResource[], plain: Map<string, Record<string, unknown>>): EnginePolicyResource[] {
    const built = new Map<string, EnginePolicyResource>();
    for (const r of resources) {
        const props = unknownCheckingProxy(plain.get(r.urn)!);
        built.set(r.urn, {
            type: r.type, props, urn: r.urn, name: r.name,
            opts: engineOptions(r.parent),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls),
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            asType: ((cls: unknown) => isTypeOf(r.type, cls) ? props : undefined) as any,
        });
    }
    for (const r of resources) {
        const resource = built.get(r.urn)!;
        resource.parent = r.parent ? built.get(r.parent) : undefined;
        resource.dependencies = (r.dependencies ?? []).map((d) => built.get(d)).filter((d): d is EnginePolicyResource => d !== undefined);
        resource.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies ?? {})
            .map(([k, urns]) => [k, urns.map((d) => built.get(d)).filter((d): d is EnginePolicyResource => d !== undefined)]));
    }
    return [...built.values()];
}

/** Mandatory violations that are not waived: what blocks a deployment. */
export function blocking(report: PolicyReport): Violation[] {
    return report.violations.filter((v) => v.level === "mandatory" && !v.waived);
}
