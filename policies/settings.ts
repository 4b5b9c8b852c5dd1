/**
 * The pack's own settings, shared by every rule: whether the stack is production, and the waivers.
 *
 * Where they come from:
 * - offline (`evaluatePolicies`, `npm run policy:check`): the policy config, either under the
 *   `pack-settings` policy (as the Pulumi CLI requires) or as top-level `production` / `waivers`;
 * - in the engine: the `pack-settings` policy's config. The engine hands each policy only its own
 *   config, so `pack-settings`, the first policy of the pack, publishes its settings here before
 *   any other policy runs on a resource or on the stack.
 */

/** A waiver from the policy config. */
export interface ConfigWaiver {
    /** The rule waived. */
    rule: string;
    /** The resource: its URN ... */
    urn?: string;
    /** ... or its logical name. */
    name?: string;
    /** Why the rule does not apply (at least 10 characters). */
    reason: string;
}

export interface PackSettings {
    /** Apply the production data-protection rules to every resource. */
    production: boolean;
    waivers: ConfigWaiver[];
}

export const DEFAULT_SETTINGS: PackSettings = Object.freeze({ production: false, waivers: [] as ConfigWaiver[] });

/** The minimum length of a waiver's reason. */
export const MIN_REASON_LENGTH = 10;
/** AWS tag key prefix of a waiver: `scaling-toolkit:waive:<rule>` = reason. */
export const WAIVER_TAG_PREFIX = "scaling-toolkit:waive:";
/** Kubernetes annotation prefix of a waiver: `scaling-toolkit.io/waive.<rule>` = reason. */
export const WAIVER_ANNOTATION_PREFIX = "scaling-toolkit.io/waive.";

let active: PackSettings = DEFAULT_SETTINGS;

/** The settings in effect for the rules running now. */
export function activeSettings(): PackSettings {
    return active;
}

/** Makes `settings` the active settings (the engine path). */
export function useSettings(settings: PackSettings): void {
    active = settings;
}

/** Runs `fn` with `settings` active, restoring the previous ones afterwards (the offline path). */
export function withSettings<T>(settings: PackSettings, fn: () => T): T {
    const previous = active;
    active = settings;
    try {
        return fn();
    } finally {
        active = previous;
    }
}

/** Reads settings from the `pack-settings` policy's config properties. */
export function settingsFrom(properties: Record<string, unknown> | undefined): PackSettings {
    const production = properties?.production === true;
    const waivers = Array.isArray(properties?.waivers) ? (properties!.waivers as unknown[]) : [];
    return {
        production,
        waivers: waivers.filter((w): w is Record<string, unknown> => w !== null && typeof w === "object").map((w) => ({
            rule: String(w.rule ?? ""),
            urn: typeof w.urn === "string" ? w.urn : undefined,
            name: typeof w.name === "string" ? w.name : undefined,
            reason: typeof w.reason === "string" ? w.reason : "",
        })),
    };
}

/** A waiver found for a rule on a resource. */
export interface FoundWaiver {
    reason: string;
    /** Where it was declared: `config`, `tag` or `annotation`. */
    source: "config" | "tag" | "annotation";
    /** False when the reason is shorter than MIN_REASON_LENGTH: such a waiver does not waive. */
    valid: boolean;
}

/** Waivers declared on the resource itself, by rule name. */
export function resourceWaivers(props: Record<string, unknown> | undefined): { rule: string; reason: string; source: "tag" | "annotation" }[] {
    const found: { rule: string; reason: string; source: "tag" | "annotation" }[] = [];
    const tags = readPlain(props, "tags");
    for (const [key, value] of Object.entries(isRecord(tags) ? tags : {})) {
        if (key.startsWith(WAIVER_TAG_PREFIX)) {
            found.push({ rule: key.slice(WAIVER_TAG_PREFIX.length), reason: String(value ?? ""), source: "tag" });
        }
    }
    const annotations = readPlain(readPlain(props, "metadata"), "annotations");
    for (const [key, value] of Object.entries(isRecord(annotations) ? annotations : {})) {
        if (key.startsWith(WAIVER_ANNOTATION_PREFIX)) {
            found.push({ rule: key.slice(WAIVER_ANNOTATION_PREFIX.length), reason: String(value ?? ""), source: "annotation" });
        }
    }
    return found;
}

/** The waiver for `rule` on a resource, if one is declared (config first, then the resource). */
export function findWaiver(rule: string, resource: { urn: string; name: string; props?: Record<string, unknown> }, settings: PackSettings): FoundWaiver | undefined {
    const fromConfig = settings.waivers.find((w) => w.rule === rule && (w.urn === resource.urn || (w.urn === undefined && w.name === resource.name)));
    if (fromConfig) {
        return { reason: fromConfig.reason, source: "config", valid: isValidReason(fromConfig.reason) };
    }
    const onResource = resourceWaivers(resource.props).find((w) => w.rule === rule);
    return onResource ? { reason: onResource.reason, source: onResource.source, valid: isValidReason(onResource.reason) } : undefined;
}

export function isValidReason(reason: string): boolean {
    return reason.trim().length >= MIN_REASON_LENGTH;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads a property through the engine's unknown-checking proxy without throwing. */
function readPlain(obj: unknown, key: string): unknown {
    if (!isRecord(obj)) {
        return undefined;
    }
    const target = (obj as Record<string, unknown>).__getSpecialProxyTarget ?? obj;
    return (target as Record<string, unknown>)[key];
}
