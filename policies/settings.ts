/**
 * The pack's own settings, shared by every rule: whether the stack is production, and the waivers.
 *
 * Where they come from:
 * - offline (`evaluatePolicies`, `npm run policy:check`): the policy config, either under the
 *   `pack-settings` policy (as the Pulumi CLI requires) or as top-level `production` / `waivers`;
 * - in the engine: the `pack-settings` policy's config, read from the engine's Configure call
 *   (engineSettings.ts), whatever that policy's level: the engine hands each policy only its own
 *   config and skips disabled ones. `pack-settings`, the first policy of the pack, also reads
 *   them before any other policy runs on a resource or on the stack.
 *
 * How they reach a rule: explicitly. The pack's SettingsSource (one per pack, or per evaluation) is
 * filled from the config; the engine wrapper (engine.ts) and the offline evaluator attach the
 * settings to the args of every rule call, where `settingsOf(args)` reads them (`requireProduction`
 * does). Nothing depends on which module loads first.
 */
import { proxyTarget } from "./policySdk";

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
    /** Who answers for the accepted risk (a person or team; required in config waivers). */
    owner?: string;
    /** The last day the waiver waives, `YYYY-MM-DD` (UTC; required in config waivers). From the next day on it no longer waives. */
    expires?: string;
}

export interface PackSettings {
    /** Apply the production data-protection rules to every resource. */
    production: boolean;
    waivers: ConfigWaiver[];
    /** Today (UTC, `YYYY-MM-DD`) for waiver expiry; the current date unless a caller pins it. */
    today?: string;
}

export const DEFAULT_SETTINGS: PackSettings = Object.freeze({ production: false, waivers: [] as ConfigWaiver[] });

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayUtc(): string {
    return new Date().toISOString().slice(0, 10);
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) {
        return false;
    }
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === value;
}

/** The minimum length of a waiver's reason. */
export const MIN_REASON_LENGTH = 10;
/** AWS tag key prefix of a waiver: `scaling-toolkit:waive:<rule>` = reason. */
export const WAIVER_TAG_PREFIX = "scaling-toolkit:waive:";
/** Kubernetes annotation prefix of a waiver: `scaling-toolkit.io/waive.<rule>` = reason. */
export const WAIVER_ANNOTATION_PREFIX = "scaling-toolkit.io/waive.";

/** Where a pack's rules get their settings: filled from the config, read at every rule call. */
export class SettingsSource {
    constructor(public current: PackSettings = DEFAULT_SETTINGS) {}
}

const SETTINGS_KEY = Symbol.for("scaling-toolkit.policies.settings");

/** Attaches the settings to a rule call's args (resource or stack), where `settingsOf` reads them. */
export function attachSettings<T extends object>(args: T, settings: PackSettings): T {
    Object.defineProperty(args, SETTINGS_KEY, { value: settings, enumerable: false, configurable: true });
    return args;
}

/** The pack settings of a rule call: the ones its args carry (the pack's wrappers attach them). */
export function settingsOf(args: object): PackSettings {
    return (args as { [SETTINGS_KEY]?: PackSettings })[SETTINGS_KEY] ?? active;
}

// Kept for callers that ask without args (`isProduction(props)` with one argument, a rule written
// before settingsOf): the settings of the rule call running now, set around each call and restored.
let active: PackSettings = DEFAULT_SETTINGS;

/** The settings of the rule call running now (for code that has no args to read them from). */
export function activeSettings(): PackSettings {
    return active;
}

/** Runs `fn` with `settings` as the ones of the call running now, restoring the previous ones afterwards. */
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
            owner: typeof w.owner === "string" ? w.owner : undefined,
            expires: typeof w.expires === "string" ? w.expires : undefined,
        })),
    };
}

/** A waiver found for a rule on a resource. */
export interface FoundWaiver {
    reason: string;
    /** Where it was declared: `config`, `tag` or `annotation`. */
    source: "config" | "tag" | "annotation";
    owner?: string;
    expires?: string;
    /** False when the reason is shorter than MIN_REASON_LENGTH or the waiver has expired: such a waiver does not waive. */
    valid: boolean;
    /** Set when the expiry date has passed. */
    expired?: true;
}

/** A waiver declared on a resource. Its value is the reason, optionally followed by `owner=<who>` and `expires=<YYYY-MM-DD>`. */
export interface ResourceWaiver {
    rule: string;
    reason: string;
    owner?: string;
    expires?: string;
    source: "tag" | "annotation";
}

/**
 * Splits a tag or annotation value into reason, owner and expiry: trailing `owner=...` and
 * `expires=...` words (characters AWS allows in tag values) are taken off the end.
 */
export function parseWaiverValue(value: string): { reason: string; owner?: string; expires?: string } {
    const words = value.trim().split(/\s+/);
    const found: { owner?: string; expires?: string } = {};
    while (words.length > 0) {
        const m = /^(owner|expires)=(.+)$/.exec(words[words.length - 1]);
        if (!m || found[m[1] as "owner" | "expires"] !== undefined) {
            break;
        }
        found[m[1] as "owner" | "expires"] = m[2];
        words.pop();
    }
    return { reason: words.join(" "), ...found };
}

/** Waivers declared on the resource itself, by rule name. */
export function resourceWaivers(props: Record<string, unknown> | undefined): ResourceWaiver[] {
    const found: ResourceWaiver[] = [];
    const tags = readPlain(props, "tags");
    for (const [key, value] of Object.entries(isRecord(tags) ? tags : {})) {
        if (key.startsWith(WAIVER_TAG_PREFIX)) {
            found.push({ rule: key.slice(WAIVER_TAG_PREFIX.length), ...parseWaiverValue(String(value ?? "")), source: "tag" });
        }
    }
    const annotations = readPlain(readPlain(props, "metadata"), "annotations");
    for (const [key, value] of Object.entries(isRecord(annotations) ? annotations : {})) {
        if (key.startsWith(WAIVER_ANNOTATION_PREFIX)) {
            found.push({ rule: key.slice(WAIVER_ANNOTATION_PREFIX.length), ...parseWaiverValue(String(value ?? "")), source: "annotation" });
        }
    }
    return found;
}

/** True when `expires` is a date before `today` (both `YYYY-MM-DD`). */
export function isExpired(expires: string | undefined, today: string): boolean {
    return expires !== undefined && isIsoDate(expires) && expires < today;
}

/** Whether a waiver waives today: `expired` past its date, `invalid` with a short reason or an unreadable date. */
export function waiverStatus(w: { reason: string; expires?: string }, today: string): "active" | "expired" | "invalid" {
    if (isExpired(w.expires, today)) {
        return "expired";
    }
    return isValidReason(w.reason) && (w.expires === undefined || isIsoDate(w.expires)) ? "active" : "invalid";
}

function found(w: { reason: string; owner?: string; expires?: string }, source: FoundWaiver["source"], settings: PackSettings): FoundWaiver {
    const status = waiverStatus(w, settings.today ?? todayUtc());
    return {
        reason: w.reason, source,
        ...(w.owner !== undefined ? { owner: w.owner } : {}),
        ...(w.expires !== undefined ? { expires: w.expires } : {}),
        valid: status === "active",
        ...(status === "expired" ? { expired: true as const } : {}),
    };
}

/** The waiver for `rule` on a resource, if one is declared (config first, then the resource). */
export function findWaiver(rule: string, resource: { urn: string; name: string; props?: Record<string, unknown> }, settings: PackSettings): FoundWaiver | undefined {
    const fromConfig = settings.waivers.find((w) => w.rule === rule && (w.urn === resource.urn || (w.urn === undefined && w.name === resource.name)));
    if (fromConfig) {
        return found(fromConfig, "config", settings);
    }
    const onResource = resourceWaivers(resource.props).find((w) => w.rule === rule);
    return onResource ? found(onResource, onResource.source, settings) : undefined;
}

export function isValidReason(reason: string): boolean {
    return reason.trim().length >= MIN_REASON_LENGTH;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads a property through the engine's unknown-checking proxy without throwing. */
function readPlain(obj: unknown, key: string): unknown {
    return isRecord(obj) ? proxyTarget(obj)[key] : undefined;
}
