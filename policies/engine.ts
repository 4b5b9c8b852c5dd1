/**
 * The rules as the Pulumi engine runs them: each rule wrapped so that a violation on a resource
 * waived with a valid reason is still reported, as an advisory diagnostic naming the waiver.
 * (The engine has no notion of waivers; advisory is how a violation is shown without blocking.)
 */
import type { Policies, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isStackRule, Rule } from "./rule";
import { ALL_RULES, PACK_SETTINGS } from "./rules";
import { attachSettings, findWaiver, FoundWaiver, PackSettings, settingsFrom, SettingsSource, withSettings } from "./settings";

/** The pack's name, as the engine and the offline report show it. */
export const PACK_NAME = "scaling-toolkit";

function waiverLabel(waiver: FoundWaiver): string {
    const who = [waiver.owner ? `owner ${waiver.owner}` : "", waiver.expires && !waiver.expired ? `until ${waiver.expires}` : ""].filter(Boolean).join(", ");
    return `${waiver.source}: ${waiver.reason}${who ? `; ${who}` : ""}`;
}

/** The message of a waived violation. */
export function waivedMessage(waiver: FoundWaiver, message: string): string {
    return `waived (${waiverLabel(waiver)}): ${message}`;
}

/** The message of a violation whose waiver has expired: it is reported at the rule's level again. */
export function expiredMessage(waiver: FoundWaiver, message: string): string {
    return `waiver expired on ${waiver.expires} (${waiverLabel(waiver)}): ${message}`;
}

/** The message a rule reports: marked when an expired waiver no longer covers it. */
function unwaivedMessage(waiver: FoundWaiver | undefined, message: string): string {
    return waiver?.expired ? expiredMessage(waiver, message) : message;
}

/**
 * Reports through the engine's object form of `reportViolation` (policy name, message, urn and
 * an enforcement level of its own), which @pulumi/policy accepts for exactly this purpose.
 */
function reportWaived(report: ReportViolation, rule: Rule, waiver: FoundWaiver, message: string, urn?: string): void {
    const diagnostic = { message: `${rule.description}\n${waivedMessage(waiver, message)}`, urn, enforcementLevel: "advisory", severity: rule.severity };
    (report as unknown as (d: typeof diagnostic) => void)(diagnostic);
}

/** Runs one rule call with the pack's settings: attached to its args, and as the call's own. */
function withCallSettings<A extends object, T>(args: A, settings: PackSettings, fn: (args: A) => T): T {
    return withSettings(settings, () => fn(attachSettings(args, settings)));
}

/** pack-settings in the engine: it reads the settings into the pack's source, then checks them. */
function readingSettings(rule: Rule, source: SettingsSource): ResourceValidationPolicy | StackValidationPolicy {
    const read = (args: { getConfig<T extends object>(): T }) => {
        source.current = settingsFrom(args.getConfig<Record<string, unknown>>());
        return source.current;
    };
    return {
        ...rule,
        ...("validateResource" in rule ? { validateResource: (args, report) => withCallSettings(args, read(args), (a) => rule.validateResource(a, report)) } : {}),
        ...(isStackRule(rule) ? { validateStack: (args, report) => withCallSettings(args, read(args), (a) => rule.validateStack(a, report)) } : {}),
    } as ResourceValidationPolicy | StackValidationPolicy;
}

/** Wraps one rule with waiver handling for the engine; `source` holds the pack's settings. */
export function forEngine(rule: Rule, source: SettingsSource = new SettingsSource()): ResourceValidationPolicy | StackValidationPolicy {
    if (rule.name === PACK_SETTINGS) {
        return readingSettings(rule, source);
    }
    if (isStackRule(rule)) {
        return {
            ...rule,
            validateStack: (args, report) => {
                const settings = source.current;
                return withCallSettings(args, settings, (a) => rule.validateStack(a, (message, urn) => {
                    const resource: PolicyResource | undefined = urn === undefined ? undefined : args.resources.find((r) => r.urn === urn);
                    const waiver = resource && findWaiver(rule.name, resource, settings);
                    if (waiver?.valid) {
                        reportWaived(report, rule, waiver, message, urn);
                    } else {
                        report(unwaivedMessage(waiver, message), urn);
                    }
                }));
            },
        };
    }
    return {
        ...rule,
        validateResource: (args, report) => {
            const settings = source.current;
            return withCallSettings(args, settings, (a) => rule.validateResource(a, (message) => {
                const waiver = findWaiver(rule.name, args, settings);
                if (waiver?.valid) {
                    reportWaived(report, rule, waiver, message);
                } else {
                    report(unwaivedMessage(waiver, message));
                }
            }));
        },
    };
}

/**
 * Every rule, wrapped for the engine, pack-settings first. `settings` is where the rules read the
 * pack's settings: pass the one the Configure call fills (policies/index.ts).
 */
export function enginePolicies(rules: Rule[] = ALL_RULES, settings: SettingsSource = new SettingsSource()): Policies {
    return rules.map((rule) => forEngine(rule, settings));
}
