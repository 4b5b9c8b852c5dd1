import * as pulumi from "@pulumi/pulumi";
import { describeValue, ValidationError, ValidationProblem } from "./errors";

/**
 * Collects argument problems for one component instance and throws them all at once.
 *
 * Only plain values can be validated at construction time; an argument that is an Output (it comes
 * from another resource) is accepted as is, since its value is not known until the cloud computes it.
 */
export class Validator {
    private readonly problems: ValidationProblem[] = [];

    constructor(
        private readonly component: string,
        private readonly resourceName: string,
    ) {}

    /**
     * Records a problem unless `ok` holds. `note` says where a value the caller did not give came
     * from (`defaulted from the component's name`); see DEFAULTED_FROM_NAME.
     */
    check(ok: boolean, argument: string, given: unknown, allowed: string, note?: string): this {
        if (!ok) {
            this.problems.push({ argument, given: describeValue(given), allowed, ...(note !== undefined ? { note } : {}) });
        }
        return this;
    }

    /**
     * The one type rule of every component: a plain argument of the wrong JavaScript type (a string
     * such as `"512"` where a number belongs, a number where a boolean belongs) is refused, its value
     * shown with its type: `argument "cpu" was "512" (a string); allowed: ...`. `undefined` passes.
     * Returns whether the type is right, so range checks run only on values of the right type.
     */
    typeOf(argument: string, value: unknown, type: ArgumentType, allowed: string = `a ${type}`): boolean {
        if (value === undefined || typeOfValue(value) === type) {
            return true;
        }
        this.wrongType(argument, value, allowed);
        return false;
    }

    /** Records a value of the wrong type, shown with its type: `"512" (a string)`. The type rule's one wording. */
    wrongType(argument: string, value: unknown, allowed: string): this {
        this.problems.push({ argument, given: `${describeValue(value)} (${article(typeOfValue(value))})`, allowed });
        return this;
    }

    /** A number (optionally an integer) within `range`; `undefined` passes (the default applies). */
    number(argument: string, value: unknown, range: NumberRange = {}): this {
        const allowed = describeRange(range);
        if (value === undefined || !this.typeOf(argument, value, "number", allowed)) {
            return this;
        }
        const n = value as number;
        return this.check(Number.isFinite(n) && (!range.integer || Number.isInteger(n)) && (range.min === undefined || n >= range.min)
            && (range.max === undefined || n <= range.max), argument, n, allowed);
    }

    /** An integer within `range` (for example `{ min: 1, max: 3 }`); `undefined` passes. */
    integer(argument: string, value: unknown, range: Omit<NumberRange, "integer"> = {}): this {
        return this.number(argument, value, { ...range, integer: true });
    }

    /** An integer in [min, max]; `undefined` passes (the default applies). */
    intRange(argument: string, value: number | undefined, min: number, max: number): this {
        return this.integer(argument, value, { min, max });
    }

    /** One of the listed values; `undefined` passes. A value of another type than the allowed ones is refused by the type rule. */
    oneOf<T>(argument: string, value: T | undefined, allowed: readonly T[]): this {
        if (value === undefined) {
            return this;
        }
        const text = `one of ${allowed.map((a) => describeValue(a)).join(", ")}`;
        const types = new Set(allowed.map(typeOfValue));
        if (types.size === 1 && !this.typeOf(argument, value, [...types][0], text)) {
            return this;
        }
        return this.check(allowed.includes(value), argument, value, text);
    }

    /** A boolean; `undefined` passes. */
    boolean(argument: string, value: unknown): this {
        this.typeOf(argument, value, "boolean");
        return this;
    }

    /** A string that is known now must be non-empty; an Output is accepted. */
    nonEmpty(argument: string, value: pulumi.Input<string> | undefined): this {
        if (isKnownString(value) || value === undefined) {
            return this.check(typeof value === "string" && value.trim().length > 0, argument, value, "a non-empty string");
        }
        return this;
    }

    /** A percentage above 0 and at most 100; `undefined` passes. */
    percent(argument: string, value: number | undefined): this {
        const allowed = "a percentage above 0 and at most 100";
        if (value === undefined || !this.typeOf(argument, value, "number", allowed)) {
            return this;
        }
        return this.check(value > 0 && value <= 100, argument, value, allowed);
    }

    /** A TCP port. */
    port(argument: string, value: number | undefined): this {
        return this.intRange(argument, value, 1, 65535);
    }

    /**
     * The caller's `tags`, for a component that puts them on IAM roles: they must pass IAM's tag
     * rules, stricter than most services' (IAM API reference, data type `Tag`:
     * key 1-128 and value 0-256 characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`), and no key may start
     * with the reserved `aws:` prefix.
     */
    tags(tags: Record<string, string> | undefined): this {
        for (const [key, value] of Object.entries(tags ?? {})) {
            this.check(IAM_TAG_TEXT.test(key) && key.length <= 128 && !key.toLowerCase().startsWith("aws:"), "tags", key,
                "tag keys of 1-128 letters, digits, spaces and _ . : / = + - @, not starting with aws: (IAM's tag rules)");
            this.check(typeof value === "string" && (value === "" || IAM_TAG_TEXT.test(value)) && value.length <= 256, `tags.${key}`, value,
                "a tag value of at most 256 letters, digits, spaces and _ . : / = + - @ (IAM's tag rules)");
        }
        return this;
    }

    /**
     * Runs a nested check that throws a ValidationError (another module's validation of an argument
     * the component passes on) and records its problems here, their arguments under `prefix`.
     */
    nested<T>(prefix: string, check: () => T): T | undefined {
        try {
            return check();
        } catch (e) {
            if (!(e instanceof ValidationError)) {
                throw e;
            }
            this.problems.push(...e.problems.map((p) => ({ ...p, argument: `${prefix}.${p.argument}` })));
            return undefined;
        }
    }

    /** Throws one ValidationError listing every problem found, if any. */
    throwIfAny(): void {
        if (this.problems.length > 0) {
            throw new ValidationError(this.component, this.resourceName, this.problems);
        }
    }
}

/** The note of a problem whose value the caller did not give: it was derived from the component's name. */
export const DEFAULTED_FROM_NAME = "defaulted from the component's name";

/** The JavaScript types the type rule tells apart. */
export type ArgumentType = "number" | "string" | "boolean" | "array" | "object" | "function" | "null";

/** Bounds of a number argument. */
export interface NumberRange {
    min?: number;
    max?: number;
    /** Whole numbers only. */
    integer?: boolean;
}

function typeOfValue(value: unknown): ArgumentType {
    return value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "bigint" ? "number" : typeof value as ArgumentType;
}

function article(type: ArgumentType): string {
    return type === "null" ? "null" : type === "array" || type === "object" ? `an ${type}` : `a ${type}`;
}

/** `an integer from 1 to 3`, `a number of at least 0`, `an integer`. */
export function describeRange(range: NumberRange): string {
    const what = range.integer ? "an integer" : "a number";
    if (range.min !== undefined && range.max !== undefined) {
        return `${what} from ${range.min} to ${range.max}`;
    }
    return range.min !== undefined ? `${what} of at least ${range.min}` : range.max !== undefined ? `${what} of at most ${range.max}` : what;
}

/** IAM's tag key and value characters (IAM API reference, `Tag`: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`). */
const IAM_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;

/**
 * What the offline preview reads for an encrypted (`secure:`) stack config value: a secret whose
 * value is not known without the stack's key. Checks treat it like a cloud-computed value.
 */
export const OFFLINE_SECRET_CONFIG = "(offline: encrypted config value)";

/**
 * True when the input is a plain string known now: not an Output or a promise, and not an encrypted
 * config value the offline preview cannot decrypt.
 */
export function isKnownString(value: unknown): value is string {
    return typeof value === "string" && value !== OFFLINE_SECRET_CONFIG;
}

/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Validates a CloudWatch Logs retention. */
export function checkLogRetention(v: Validator, argument: string, days: number | undefined): void {
    const allowed = `a CloudWatch Logs retention in days: ${LOG_RETENTION_DAYS.join(", ")}`;
    if (v.typeOf(argument, days, "number", allowed)) {
        v.check(days === undefined || (LOG_RETENTION_DAYS as readonly number[]).includes(days), argument, days, allowed);
    }
}

// --- Argument kinds: one type rule for every argument (added with the service spec,
// components/service/spec.ts: LoadBalancedService and KubernetesService). ---

/**
 * The JavaScript type an argument must have. TypeScript callers get this from the compiler; YAML
 * stack config, plain JavaScript and other Pulumi languages do not, so a component checks it before
 * any other rule (a `cpu: "512"` would otherwise pass a lookup table keyed by strings).
 */
export enum ArgumentKind {
    Number = "number",
    String = "string",
    Boolean = "boolean",
    /** A plain object (its fields are checked by their own entries). */
    Object = "object",
    /** An array (its elements are checked by `name[]` entries). */
    Array = "array",
    /** An array of strings. */
    Strings = "strings",
    /** A map of strings. */
    StringMap = "stringMap",
    /** A string, or a value another resource computes (an Output or a promise). */
    Input = "input",
    /** An array of inputs, or an Output of one. */
    Inputs = "inputs",
    /** A map of inputs. */
    InputMap = "inputMap",
}

/** Argument path (`cpu`, `healthCheck.path`, `egress[].fromPort`) to the kind it must have. */
export type ArgumentKinds = Readonly<Record<string, ArgumentKind>>;

const KIND_ALLOWED: Record<ArgumentKind, string> = {
    [ArgumentKind.Number]: "a number",
    [ArgumentKind.String]: "a string",
    [ArgumentKind.Boolean]: "true or false",
    [ArgumentKind.Object]: "an object",
    [ArgumentKind.Array]: "a list",
    [ArgumentKind.Strings]: "a list of strings",
    [ArgumentKind.StringMap]: "a map of strings",
    [ArgumentKind.Input]: "a string or an Output of one",
    [ArgumentKind.Inputs]: "a list of strings (or Outputs of strings)",
    [ArgumentKind.InputMap]: "a map of strings (or Outputs of strings)",
};

function isComputed(value: unknown): boolean {
    return pulumi.Output.isInstance(value) || (typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && !isComputed(value);
}

/** For a list or map kind: the kind of each element or entry, which is checked (and named) one by one. */
const ELEMENT_KIND: Partial<Record<ArgumentKind, ArgumentKind>> = {
    [ArgumentKind.Strings]: ArgumentKind.String,
    [ArgumentKind.StringMap]: ArgumentKind.String,
    [ArgumentKind.Inputs]: ArgumentKind.Input,
    [ArgumentKind.InputMap]: ArgumentKind.Input,
};

/** Whether a value has a kind; lists and maps only by their shape (their elements are checked apart). */
function hasKind(value: unknown, kind: ArgumentKind): boolean {
    switch (kind) {
        case ArgumentKind.Number:
            return typeof value === "number" && !Number.isNaN(value);
        case ArgumentKind.String:
        case ArgumentKind.Boolean:
            return typeof value === kind;
        case ArgumentKind.Object:
        case ArgumentKind.StringMap:
            return isPlainObject(value);
        case ArgumentKind.Array:
        case ArgumentKind.Strings:
            return Array.isArray(value);
        case ArgumentKind.Input:
            return typeof value === "string" || isComputed(value);
        case ArgumentKind.Inputs:
            return Array.isArray(value) || isComputed(value);
        case ArgumentKind.InputMap:
            return isPlainObject(value) || isComputed(value);
    }
}

/** The elements (`x[0]`) or entries (`x.KEY`) of a list or map value, to check one by one. */
function elementsOf(where: string, value: unknown): [string, unknown][] {
    if (Array.isArray(value)) {
        return value.map((x, i) => [`${where}[${i}]`, x]);
    }
    return isPlainObject(value) ? Object.entries(value).map(([key, x]) => [`${where}.${key}`, x]) : [];
}

/** The values at an argument path, with the concrete path of each (`egress[].cidr` -> `egress[1].cidr`). */
function valuesAt(root: unknown, path: string): [string, unknown][] {
    let found: [string, unknown][] = [["", root]];
    for (const part of path.split(".")) {
        const each = part.endsWith("[]");
        const key = each ? part.slice(0, -2) : part;
        found = found.flatMap(([where, value]) => {
            const child = isPlainObject(value) ? value[key] : undefined;
            const at = where ? `${where}.${key}` : key;
            if (!each) {
                return [[at, child] as [string, unknown]];
            }
            return Array.isArray(child) ? child.map((x, i) => [`${at}[${i}]`, x] as [string, unknown]) : [];
        });
    }
    return found;
}

/**
 * Checks that every argument given has its kind (an argument left out passes: its default applies).
 * Returns true when all do; the caller then applies its other rules, which assume the kinds.
 */
export function checkArgumentKinds(v: Validator, args: object, kinds: ArgumentKinds): boolean {
    let ok = true;
    for (const [path, kind] of Object.entries(kinds)) {
        for (const [where, value] of valuesAt(args, path)) {
            const element = ELEMENT_KIND[kind];
            const wrong = value !== undefined && !hasKind(value, kind) ? [[where, value, kind] as const] : [];
            const wrongElements = value !== undefined && element !== undefined && wrong.length === 0
                ? elementsOf(where, value).filter(([, x]) => !hasKind(x, element)).map(([at, x]) => [at, x, element] as const)
                : [];
            for (const [at, given, expected] of [...wrong, ...wrongElements]) {
                v.wrongType(at, given, KIND_ALLOWED[expected]);
                ok = false;
            }
        }
    }
    return ok;
}
