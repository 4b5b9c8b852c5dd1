/**
 * `scaling-toolkit/policies`: the rules and the offline evaluator, for teams that assemble their own
 * policy pack or check plans in their own tooling. Not the pack itself: `policies/index.ts` is the
 * only module that constructs a PolicyPack, and it is never part of the library.
 */
export { Concern, isStackRule, PRODUCTION_LABEL, PRODUCTION_TAG } from "./rule";
export type { ResourceRule, Rule, RuleDocs, StackRule } from "./rule";
export {
    ALL_RULES,
    DATA_PROTECTION_RULES,
    ENCRYPTION_RULES,
    KUBERNETES_RULES,
    LEAST_PRIVILEGE_RULES,
    PACK_SETTINGS,
    packSettings,
    TLS_RULES,
} from "./rules";
export { enginePolicies, PACK_NAME } from "./engine";
export { blocking, evaluatePolicies, PolicyConfigError } from "./evaluate";
export type { EnforcementLevel, EvaluateOptions, PolicyConfig, PolicyReport, PolicyResource, Violation } from "./evaluate";
export type { ConfigWaiver, PackSettings } from "./settings";
