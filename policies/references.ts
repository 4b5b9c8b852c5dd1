/**
 * The Checkov and cdk-nag checks each rule corresponds to (the same concern on the same kind of
 * resource; ours may be stricter), looked up in their sources: bridgecrewio/checkov
 * (checkov/terraform/checks/resource/aws/*.py, checkov/kubernetes/checks/resource/k8s/*.py and the
 * graph checks under checkov/terraform/checks/graph_checks/aws/) and cdklabs/cdk-nag (RULES.md and
 * src/packs/aws-solutions.ts). An empty list: that tool has no such check.
 */
export interface RuleReferences {
    checkov: string[];
    cdkNag: string[];
}

export const REFERENCES: Record<string, RuleReferences> = {};

/** The references of a rule (empty lists when none are recorded). */
export function referencesOf(rule: string): RuleReferences {
    return REFERENCES[rule] ?? { checkov: [], cdkNag: [] };
}
