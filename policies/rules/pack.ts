/**
 * The pack's own rule: its settings (production flag, waivers) are valid. It is the first policy of
 * the pack; in the engine, its wrapper also reads the settings into the pack's SettingsSource
 * (engine.ts), before any other policy runs on a resource or on the stack.
 */
import { Concern, ResourceRule, RuleDocs } from "../rule";
import type { StackValidationPolicy } from "@pulumi/policy";
import { isIsoDate, MIN_REASON_LENGTH, resourceWaivers, settingsFrom } from "../settings";
import { DATA_PROTECTION_RULES } from "./data-protection";
import { EDGE_RULES } from "./edge";
import { ENCRYPTION_RULES } from "./encryption";
import { IAM_RULES } from "./iam";
import { KUBERNETES_RULES } from "./kubernetes";
import { LEAST_PRIVILEGE_RULES } from "./least-privilege";
import { LOGGING_RULES } from "./logging";
import { SECRETS_RULES } from "./secrets";
import { SUPPLY_CHAIN_RULES } from "./supply-chain";
import { TLS_RULES } from "./tls";

export const PACK_SETTINGS = "pack-settings";

function knownRules(): Set<string> {
    return new Set([...TLS_RULES, ...ENCRYPTION_RULES, ...LEAST_PRIVILEGE_RULES, ...IAM_RULES, ...KUBERNETES_RULES, ...DATA_PROTECTION_RULES,
        ...LOGGING_RULES, ...SECRETS_RULES, ...SUPPLY_CHAIN_RULES, ...EDGE_RULES].map((r) => r.name));
}

const docs: RuleDocs & { name: string; description: string } = {
    name: PACK_SETTINGS,
    description: "The pack's settings are valid: every waiver names a rule of the pack, gives a reason of at least 10 characters and, in the config, an owner and an expiry date.",
    why: "A waiver is an accepted risk; without a written reason nobody can review it, and a waiver naming a mistyped rule waives nothing.",
    remediationSteps: "Give each waiver a `rule` of this pack, a `urn` or `name`, a `reason` of at least 10 characters, an `owner` and an `expires` date (YYYY-MM-DD) (tag `scaling-toolkit:waive:<rule>` or annotation `scaling-toolkit.io/waive.<rule>` on the resource, its value the reason followed by optional `owner=<who> expires=<date>`, or an entry in this policy's `waivers` config).",
    concern: Concern.Pack,
    enforcementLevel: "mandatory",
    severity: "high",
};

const configSchema = {
    properties: {
        production: { type: "boolean" as const, default: false, description: "Apply the production data-protection rules to every resource." },
        waivers: {
            type: "array" as const,
            default: [],
            description: "Waivers: { rule, urn or name, reason, owner, expires (YYYY-MM-DD) }.",
            items: {
                type: "object" as const,
                properties: {
                    rule: { type: "string" as const }, urn: { type: "string" as const }, name: { type: "string" as const }, reason: { type: "string" as const },
                    owner: { type: "string" as const }, expires: { type: "string" as const },
                },
                required: ["rule", "reason"],
            },
        },
    },
};

/** Checks the waivers declared on one resource (tags or annotations). */
function resourceWaiverProblems(props: Record<string, unknown>): string[] {
    const rules = knownRules();
    return resourceWaivers(props).flatMap((w) => [
        ...(rules.has(w.rule) ? [] : [`the ${w.source} waives "${w.rule}", which is not a rule of this pack`]),
        ...(w.reason.trim().length >= MIN_REASON_LENGTH ? [] : [`the ${w.source} waiving "${w.rule}" gives no reason of at least ${MIN_REASON_LENGTH} characters (${JSON.stringify(w.reason)}): it does not waive anything`]),
        ...(w.expires === undefined || isIsoDate(w.expires) ? [] : [`the ${w.source} waiving "${w.rule}" expires on ${JSON.stringify(w.expires)}, which is not a date (YYYY-MM-DD): it does not waive anything`]),
    ]);
}

export const packSettings: ResourceRule & StackValidationPolicy = {
    ...docs,
    configSchema,
    validateResource: (args, report) => {
        for (const problem of resourceWaiverProblems(args.props)) {
            report(problem);
        }
    },
    validateStack: (args, report) => {
        const settings = settingsFrom(args.getConfig<Record<string, unknown>>());
        const rules = knownRules();
        for (const w of settings.waivers) {
            const target = args.resources.find((r) => r.urn === w.urn || (w.urn === undefined && r.name === w.name));
            const label = `waiver of "${w.rule}" for ${w.urn ?? w.name ?? "(no urn or name)"}`;
            const problems = [
                ...(rules.has(w.rule) ? [] : [`${label}: "${w.rule}" is not a rule of this pack`]),
                ...(w.reason.trim().length >= MIN_REASON_LENGTH ? [] : [`${label}: the reason ${JSON.stringify(w.reason)} is shorter than ${MIN_REASON_LENGTH} characters, so it waives nothing`]),
                ...(target || (w.urn === undefined && w.name === undefined) ? [] : [`${label}: no such resource in the stack`]),
                ...(w.urn === undefined && w.name === undefined ? [`${label}: give the resource's urn or name`] : []),
                ...(w.owner && w.owner.trim() ? [] : [`${label}: give an owner (who answers for the accepted risk)`]),
                ...(w.expires === undefined ? [`${label}: give an expiry date (expires: YYYY-MM-DD)`]
                    : isIsoDate(w.expires) ? [] : [`${label}: expires ${JSON.stringify(w.expires)} is not a date (YYYY-MM-DD), so it waives nothing`]),
            ];
            for (const problem of problems) {
                report(problem, target?.urn);
            }
        }
    },
};
