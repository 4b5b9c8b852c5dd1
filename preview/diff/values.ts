/**
 * Property-level differences between two recorded values, the way a reviewer reads them:
 * - arrays of objects are matched by identity (`name`, `key`, `Sid`, `port`...), so adding an
 *   environment variable is one added element `environment[name=QUEUE]`, not a shifted index;
 * - JSON documents held in strings (policies, container definitions) are compared as documents;
 * - an empty list, an empty map and an absent value are the same (providers treat them alike).
 */

export interface PropertyChange {
    /** Dotted path; array elements as `[name=QUEUE]` (by identity) or `[2]` (by position). */
    path: string;
    before: unknown;
    after: unknown;
    /** `add`/`remove`: an element or property that is new or gone; `change`: a value that differs. */
    kind: "add" | "remove" | "change";
    /** Set when the value changes only because the resource it comes from (this URN) is replaced. */
    dependency?: string;
}

/** Keys that identify an element of a list, in the order they are tried. */
export const IDENTITY_KEYS = ["name", "Name", "key", "Key", "Sid", "sid", "id", "containerName", "port", "containerPort", "portName", "path", "type"];

export const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Absent, null, an empty list, or a map of nothing but empty values. */
const isEmpty = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.values(v).every(isEmpty));

/** JSON with sorted keys: equal values give equal text. */
export function canonical(v: unknown): string {
    return JSON.stringify(v, (_k, x: unknown) => (isPlainObject(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** Strings that hold JSON documents, parsed, so a policy change shows as the statement that changed. */
export function parseJsonDocs(v: unknown): unknown {
    if (typeof v === "string" && /^\s*[[{]/.test(v)) {
        try {
            return parseJsonDocs(JSON.parse(v));
        } catch {
            return v;
        }
    }
    if (Array.isArray(v)) {
        return v.map(parseJsonDocs);
    }
    if (isPlainObject(v)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, parseJsonDocs(x)]));
    }
    return v;
}

type Identity = (item: Record<string, unknown>) => string;

/** How elements of these lists are identified, or undefined when they must be matched by position. */
function identityOf(before: unknown[], after: unknown[]): Identity | undefined {
    const sides = [before, after];
    if (!sides.every((s) => s.every(isPlainObject)) || before.length + after.length === 0) {
        return undefined;
    }
    const unique = (f: Identity) => sides.every((s) => new Set((s as Record<string, unknown>[]).map(f)).size === s.length);
    for (const key of IDENTITY_KEYS) {
        const scalar = (x: unknown) => typeof x === "string" || typeof x === "number";
        if (sides.every((s) => (s as Record<string, unknown>[]).every((i) => scalar(i[key])))) {
            const f: Identity = (i) => `${key}=${String(i[key])}`;
            if (unique(f)) {
                return f;
            }
        }
    }
    // Port ranges (security group rules): protocol and ports together.
    if (sides.every((s) => (s as Record<string, unknown>[]).every((i) => "fromPort" in i && "toPort" in i))) {
        const f: Identity = (i) => `${String(i.protocol ?? i.ipProtocol ?? "")}:${String(i.fromPort)}-${String(i.toPort)}`;
        if (unique(f)) {
            return f;
        }
    }
    return undefined;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function diffInto(path: string, a: unknown, b: unknown, out: PropertyChange[]): void {
    if (canonical(a) === canonical(b) || (isEmpty(a) && isEmpty(b))) {
        return;
    }
    if (isEmpty(a) || isEmpty(b)) {
        out.push({ path, before: a, after: b, kind: isEmpty(a) ? "add" : "remove" });
        return;
    }
    if (isPlainObject(a) && isPlainObject(b)) {
        for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
            diffInto(join(path, key), a[key], b[key], out);
        }
        return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        const identity = identityOf(a, b);
        if (identity) {
            const before = new Map((a as Record<string, unknown>[]).map((i) => [identity(i), i]));
            const after = new Map((b as Record<string, unknown>[]).map((i) => [identity(i), i]));
            for (const id of [...new Set([...before.keys(), ...after.keys()])]) {
                diffInto(`${path}[${id}]`, before.get(id), after.get(id), out);
            }
            return;
        }
        if (a.every(isPlainObject) && b.every(isPlainObject)) {
            for (let i = 0; i < Math.max(a.length, b.length); i++) {
                diffInto(`${path}[${i}]`, a[i], b[i], out);
            }
            return;
        }
    }
    out.push({ path, before: a, after: b, kind: "change" });
}

/** The changes from `before` to `after`, JSON documents compared inside, under `prefix`. */
export function changesBetween(before: unknown, after: unknown, prefix = ""): PropertyChange[] {
    const out: PropertyChange[] = [];
    diffInto(prefix, parseJsonDocs(before), parseJsonDocs(after), out);
    return out;
}

/** `inputs.containerDefinitions[name=api].image` -> `containerDefinitions.image`: a path without selectors, for matching facts. */
export function schemaPath(path: string): string {
    return path.replace(/^inputs\./, "").replace(/\[[^\]]*\]/g, "").replace(/\.{2,}/g, ".").replace(/\.$/, "");
}

/** True when a change at `changed` touches the property `property` (or something inside it, or contains it). */
export function touches(changed: string, property: string): boolean {
    return changed === property || changed.startsWith(`${property}.`) || property.startsWith(`${changed}.`);
}
