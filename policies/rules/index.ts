/** Every rule of the pack, in the order the engine runs them (pack-settings first). */
import { Rule } from "../rule";
import { DATA_PROTECTION_RULES } from "./data-protection";
import { ENCRYPTION_RULES } from "./encryption";
import { KUBERNETES_RULES } from "./kubernetes";
import { LEAST_PRIVILEGE_RULES } from "./least-privilege";
import { packSettings } from "./pack";
import { TLS_RULES } from "./tls";

export { DATA_PROTECTION_RULES, ENCRYPTION_RULES, KUBERNETES_RULES, LEAST_PRIVILEGE_RULES, TLS_RULES };
export { PACK_SETTINGS, packSettings } from "./pack";

export const ALL_RULES: Rule[] = [
    packSettings as Rule,
    ...TLS_RULES,
    ...ENCRYPTION_RULES,
    ...LEAST_PRIVILEGE_RULES,
    ...KUBERNETES_RULES,
    ...DATA_PROTECTION_RULES,
];
