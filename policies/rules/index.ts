/** Every rule of the pack, in the order the engine runs them (pack-settings first). */
import { Rule } from "../rule";
import { DATA_PROTECTION_RULES } from "./data-protection";
import { EDGE_RULES } from "./edge";
import { ENCRYPTION_RULES } from "./encryption";
import { IAM_RULES } from "./iam";
import { KUBERNETES_RULES } from "./kubernetes";
import { LEAST_PRIVILEGE_RULES } from "./least-privilege";
import { LOGGING_RULES } from "./logging";
import { packSettings } from "./pack";
import { SECRETS_RULES } from "./secrets";
import { SUPPLY_CHAIN_RULES } from "./supply-chain";
import { TLS_RULES } from "./tls";

export { DATA_PROTECTION_RULES, EDGE_RULES, ENCRYPTION_RULES, IAM_RULES, KUBERNETES_RULES, LEAST_PRIVILEGE_RULES, LOGGING_RULES, SECRETS_RULES, SUPPLY_CHAIN_RULES, TLS_RULES };
export { PACK_SETTINGS, packSettings } from "./pack";

export const ALL_RULES: Rule[] = [
    packSettings as Rule,
    ...TLS_RULES,
    ...ENCRYPTION_RULES,
    ...LEAST_PRIVILEGE_RULES,
    ...IAM_RULES,
    ...KUBERNETES_RULES,
    ...DATA_PROTECTION_RULES,
    ...LOGGING_RULES,
    ...SECRETS_RULES,
    ...SUPPLY_CHAIN_RULES,
    ...EDGE_RULES,
];
