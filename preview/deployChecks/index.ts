/**
 * The preview's deploy checks: a stage after the program runs and before the policies. Every AWS
 * resource of the plan is checked against the rules the real provider and AWS apply at deploy time
 * (the provider's schema, API models, the Terraform provider's validators, Pulumi's auto-naming,
 * the IAM reference, PostgreSQL's own settings), as far as the facts (facts.json, written by
 * `npm run facts:deploy`) cover its type. Each finding names the resource, the input, the value, the
 * rule and its source. Findings fail the preview (exit 1), listed apart from policy violations.
 */
import { iamReferenceSource } from "../../policies/iamReference";
import { RecordedResource } from "../runtime";
import { crossFieldRules } from "./crossField";
import { iamRules } from "./iam";
import { FACTS } from "./knownFacts";
import { regionRules } from "./region";
import { schemaRules } from "./schema";
import { tagRules } from "./tags";
import { DeployCheckContext, DeployCheckSection, RuleClass } from "./types";
import { valueRules } from "./values";

export { DeployCheckContext, DeployCheckSection, DeployFinding } from "./types";

/** The rule classes, in the order findings are listed. */
export const RULE_CLASSES: Record<string, RuleClass> = {
    region: regionRules,
    schema: schemaRules,
    value: valueRules,
    tags: tagRules,
    "cross-field": crossFieldRules,
    iam: iamRules,
};

/** Runs every rule class on a recorded graph (providers and components included: some rules need them). */
export function runDeployChecks(all: RecordedResource[], context: DeployCheckContext = {}): DeployCheckSection {
    const resources = all.filter((r) => r.custom && r.type.startsWith("aws:"));
    const notes: string[] = [];
    const classes = { ...RULE_CLASSES };
    // Another provider version has other inputs: its schema is not the one the facts hold.
    if (context.providerVersion && `@pulumi/aws@${context.providerVersion}` !== FACTS.sources.provider) {
        delete (classes as Partial<typeof classes>).schema;
        notes.push(`schema not checked: the program uses @pulumi/aws@${context.providerVersion}, the facts hold the schema of ${FACTS.sources.provider}`);
    }
    const findings = Object.values(classes).flatMap((rule) => rule(resources, all, context));
    const order = Object.keys(RULE_CLASSES);
    const rank = (rule: string) => order.indexOf(rule === "physical-name" ? "value" : rule);
    findings.sort((a, b) => a.urn.localeCompare(b.urn) || rank(a.rule) - rank(b.rule) || a.property.localeCompare(b.property));
    return {
        checked: resources.length,
        sources: {
            provider: FACTS.sources.provider,
            awsApiModels: FACTS.sources.awsApiModels,
            terraform: FACTS.sources.terraform,
            autonaming: FACTS.autonaming.source,
            postgres: FACTS.sources.postgres,
            iamReference: iamReferenceSource(),
        },
        findings,
        ...(notes.length ? { notes } : {}),
    };
}
