/**
 * Engine parity for the pack's settings. The engine hands each policy only its own config and skips
 * a disabled policy entirely, so settings published by `pack-settings` would silently drop (config
 * waivers, `production`) whenever `pack-settings` is disabled, or `all: disabled` is used, while the
 * offline evaluator still applies them. To behave the same in both, the pack reads the
 * `pack-settings` entry from the engine's Configure call itself, whatever its enforcement level.
 *
 * @pulumi/policy registers the analyzer service with `grpc.Server#addService` when the PolicyPack is
 * constructed; `watchConfigure` wraps the `configure` handler of that one registration (and then
 * restores `addService`), reading the config before handing the call on unchanged.
 */
import * as path from "path";
import { PACK_SETTINGS } from "./rules/pack";
import { settingsFrom, useSettings } from "./settings";

type Handler = (call: { request: ConfigureRequest }, callback: unknown) => unknown;
interface ConfigureRequest {
    getPolicyconfigMap(): { get(key: string): { getProperties(): { toJavaScript(): Record<string, unknown> } | undefined } | undefined };
}

/** Reads the pack settings from a Configure request, whatever the level of `pack-settings`. */
export function settingsFromConfigure(request: ConfigureRequest) {
    return settingsFrom(request.getPolicyconfigMap().get(PACK_SETTINGS)?.getProperties()?.toJavaScript());
}

/** Call before `new PolicyPack(...)`: its Configure calls then also set the pack settings. */
export function watchConfigure(): void {
    // The grpc-js that @pulumi/policy itself loads.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/policy"))] }));
    const original = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: unknown, implementation: Record<string, Handler>) {
        grpc.Server.prototype.addService = original;
        const configure = implementation?.configure;
        const wrapped = typeof configure !== "function" ? implementation : {
            ...implementation,
            configure: (call: { request: ConfigureRequest }, callback: unknown) => {
                useSettings(settingsFromConfigure(call.request));
                return configure(call, callback);
            },
        };
        return original.call(this, service, wrapped);
    };
}
