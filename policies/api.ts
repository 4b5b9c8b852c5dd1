/**
 * `scaling-toolkit/policies`: the rules and the offline evaluator, for teams that assemble their own
 * policy pack or check plans in their own tooling. Not the pack itself: `policies/index.ts` is the
 * only module that constructs a PolicyPack, and it is never part of the library.
 */
export { Concern, docsAnchor, isProduction, isStackRule, PRODUCTION_LABEL, PRODUCTION_TAG, requireProduction, resourceRule, SEVERITIES, stackRule } from "./rule";
export type { ResourceRule, Rule, RuleDocs, Severity, StackRule, StackView, Subject } from "./rule";
export {
    ALL_RULES,
    DATA_PROTECTION_RULES,
    ENCRYPTION_RULES,
    IAM_RULES,
    KUBERNETES_RULES,
    LEAST_PRIVILEGE_RULES,
    LOGGING_RULES,
    PACK_SETTINGS,
    packSettings,
    SECRETS_RULES,
    SUPPLY_CHAIN_RULES,
    TLS_RULES,
} from "./rules";
export { enginePolicies, PACK_NAME } from "./engine";
export { blocking, evaluatePolicies, PolicyConfigError } from "./evaluate";
export type { EnforcementLevel, EvaluateOptions, PolicyConfig, PolicyReport, PolicyResource, Violation, WaiverSummary } from "./evaluate";
export { sarifText, toSarif } from "./sarif";
export type { SarifFinding, SarifOptions } from "./sarif";
export { checkRule, RuleTestFailure, violationsOfResources, violationsOfRule } from "./testing";
export type { RuleCase, RuleCaseResult } from "./testing";
export type { ConfigWaiver, PackSettings } from "./settings";
export { settingsOf, SettingsSource } from "./settings";
