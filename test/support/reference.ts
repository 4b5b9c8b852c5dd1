/**
 * The reference read from the sources (scripts/reference-docs.ts), once per test process: the docs
 * test and the schema test both compare against it, and it is a whole TypeScript program over the
 * components and the provider SDKs' declarations. Frozen, so no test can change what another reads.
 */
import { collectReference, Reference } from "../../scripts/reference-docs";

let reference: Reference | undefined;

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        Object.values(value as Record<string, unknown>).forEach(deepFreeze);
    }
    return value;
}

/** `collectReference()`, computed on first use in this process. */
export function sourceReference(): Reference {
    reference ??= deepFreeze(collectReference());
    return reference;
}
