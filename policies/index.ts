/**
 * The scaling-toolkit policy pack: `pulumi preview --policy-pack policies`.
 *
 * This is the ONLY module that constructs a PolicyPack (doing so starts the analyzer's gRPC server,
 * and a second one exits the process). Tests and the offline preview import `./evaluate` instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { enginePolicies, PACK_NAME } from "./engine";
import { watchConfigure } from "./engineSettings";
import { ALL_RULES } from "./rules";
import { SettingsSource } from "./settings";

// The pack's settings: filled from the engine's Configure call (even when pack-settings is
// disabled, see engineSettings.ts) and by pack-settings itself, handed to every rule call.
const settings = new SettingsSource();
watchConfigure(settings);

new PolicyPack(PACK_NAME, {
    description: "TLS everywhere, least privilege, hardened workloads and protected data for scaling-toolkit stacks.",
    enforcementLevel: "mandatory",
    policies: enginePolicies(ALL_RULES, settings),
});
