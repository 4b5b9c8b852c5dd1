/**
 * Engine parity for the pack's settings. The engine hands each policy only its own config and skips
 * a disabled policy entirely, so settings published by `pack-settings` would silently drop (config
 * waivers, `production`) whenever `pack-settings` is disabled, or `all: disabled` is used, while the
 * offline evaluator still applies them. To behave the same in both, the pack reads the
 * `pack-settings` entry from the engine's Configure call itself, whatever its enforcement level,
 * into the pack's SettingsSource (the SDK internals this takes are in policySdk.ts).
 */
import { ConfigureRequest, onConfigure } from "./policySdk";
import { PACK_SETTINGS } from "./rules/pack";
import { settingsFrom, SettingsSource } from "./settings";

/** Reads the pack settings from a Configure request, whatever the level of `pack-settings`. */
export function settingsFromConfigure(request: ConfigureRequest) {
    return settingsFrom(request.getPolicyconfigMap().get(PACK_SETTINGS)?.getProperties()?.toJavaScript());
}

/** Call before `new PolicyPack(...)`: its Configure calls then also set `source`'s settings. */
export function watchConfigure(source: SettingsSource): void {
    onConfigure((request) => {
        source.current = settingsFromConfigure(request);
    });
}
