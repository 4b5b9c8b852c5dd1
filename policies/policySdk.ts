/**
 * Every use of `@pulumi/policy` internals, in one file. The pack runs its rules with the engine's
 * semantics offline and reads the engine's Configure call; for that it relies on parts of the SDK
 * that are not its documented API:
 *
 * - the unknown-checking proxy (`unknownCheckingProxy`, `UnknownValueError`, marked `@internal`) and
 *   its sentinels (`@pulumi/policy/proxy`: `unknownStringValue` ...), and the key that reads a
 *   proxy's target without the unknown check (`getSpecialProxyTarget`);
 * - `getPulumiType`, how the SDK reads a resource class's type token (`isType`, `asType`);
 * - the analyzer's gRPC registration: the PolicyPack registers its service with the `configure`
 *   handler through `grpc.Server#addService` of the grpc-js it loads itself.
 *
 * test/policies/policySdk.test.ts checks each of them against the installed SDK, so an SDK upgrade
 * that changes one fails there, by name, rather than somewhere in a rule.
 */
import * as path from "path";
import * as policy from "@pulumi/policy";

/* eslint-disable @typescript-eslint/no-require-imports -- internal, untyped modules of @pulumi/policy */
const proxyModule: Record<string, unknown> = require("@pulumi/policy/proxy");
/* eslint-enable @typescript-eslint/no-require-imports */

/** The engine's proxy over resource inputs: reading an unknown value throws UnknownValueError. */
export const unknownCheckingProxy: <T>(inputs: T) => T = policy.unknownCheckingProxy;
export const UnknownValueError = policy.UnknownValueError;

/** The names of the sentinels the engine puts where a value is unknown during preview, one per type. */
export const UNKNOWN_SENTINEL_NAMES = ["unknownBooleanValue", "unknownNumberValue", "unknownStringValue", "unknownArrayValue",
    "unknownAssetValue", "unknownArchiveValue", "unknownObjectValue"] as const;

const UNKNOWN_SENTINELS: ReadonlySet<unknown> = new Set(UNKNOWN_SENTINEL_NAMES.map((n) => proxyModule[n]));

/** The engine's unknown string, the value offline evaluation hands rules for an unknown input. */
export const UNKNOWN_STRING = proxyModule.unknownStringValue as string;

/** True for any of the engine's unknown sentinels. */
export function isUnknownSentinel(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** The property that returns a proxy's target without the unknown check. */
export const PROXY_TARGET = proxyModule.getSpecialProxyTarget as string;

/** The object behind the engine's unknown-checking proxy (or the object itself). */
export function proxyTarget(obj: Record<string, unknown>): Record<string, unknown> {
    return (obj[PROXY_TARGET] as Record<string, unknown> | undefined) ?? obj;
}

/** A resource class's type token, as the SDK's `isType` reads it. */
export function pulumiTypeOf(resourceClass: unknown): string | undefined {
    const read = (policy as unknown as { getPulumiType(cls: unknown): string | undefined }).getPulumiType;
    return resourceClass ? read(resourceClass) : undefined;
}

/** The analyzer's Configure request, as the engine sends it. */
export interface ConfigureRequest {
    getPolicyconfigMap(): { get(key: string): { getProperties(): { toJavaScript(): Record<string, unknown> } | undefined } | undefined };
}

type Handler = (call: { request: ConfigureRequest }, callback: unknown) => unknown;

/** The grpc-js that @pulumi/policy itself loads (its copy, not necessarily ours). */
export function policyGrpc(): { Server: { prototype: { addService(service: unknown, implementation: Record<string, unknown>): void } } } {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/policy"))] }));
}

/**
 * Calls `listener` with every Configure request the next analyzer service registered receives,
 * before the SDK handles it. Call before `new PolicyPack(...)`: it wraps the `configure` handler of
 * that one registration (and then restores `addService`).
 */
export function onConfigure(listener: (request: ConfigureRequest) => void): void {
    const prototype = policyGrpc().Server.prototype;
    const original = prototype.addService;
    prototype.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>) {
        prototype.addService = original;
        const configure = implementation?.configure as Handler | undefined;
        const wrapped = typeof configure !== "function" ? implementation : {
            ...implementation,
            configure: (call: { request: ConfigureRequest }, callback: unknown) => {
                listener(call.request);
                return configure(call, callback);
            },
        };
        return original.call(this, service, wrapped);
    };
}
