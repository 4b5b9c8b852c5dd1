/**
 * The value markers of a recorded resource's inputs: a secret, a value not known until the cloud
 * computes it, a reference to another resource, an asset. The recording runtime (preview/runtime.ts)
 * creates them; the offline policy evaluator (policies/evaluate.ts) and the plan read them. They live
 * here, with no dependency on either, so that `scaling-toolkit/policies` does not load the mock runtime.
 */

/** What an unknown value reads as in a plan: `(known after apply)`. */
export const UNKNOWN_TEXT = "(known after apply)";

/** A secret value. It serialises as `[secret]`, so no JSON written from a plan can leak it. */
export class Secret {
    constructor(public readonly value: unknown) {}
    toJSON(): string {
        return "[secret]";
    }
}

/** A value not known until the cloud computes it. */
export class Unknown {
    toJSON(): string {
        return UNKNOWN_TEXT;
    }
}

/** A reference to another resource, passed as an input. */
export class ResourceRef {
    constructor(public readonly urn: string, public readonly id?: unknown) {}
    toJSON(): unknown {
        return { resourceRef: this.urn };
    }
}

/** An asset or archive (for example a Lambda function's code). */
export class AssetValue {
    constructor(public readonly kind: "asset" | "archive", public readonly detail: Record<string, unknown>) {}
    toJSON(): unknown {
        return { [this.kind]: this.detail };
    }
}
