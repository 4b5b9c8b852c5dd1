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
        this.problems.push({ argument, given: `${describeValue(value)} (${article(typeOfValue(value))})`, allowed });
        return false;
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
