/**
 * IAM documents against the service authorization reference (policies/iamReference.ts): every
 * action exists, every resource ARN can name a resource type of the statement's actions (an action
 * without resource types only takes `"*"`), every condition key exists. Parts of ARNs the cloud
 * computes count as wildcards.
 */
import { parseDocument, statementLabel } from "../../policies/documents";
import { arnMatchesFormat, IamAction, iamActionsMatching, iamConditionKeyExists, iamReferenceSource } from "../../policies/iamReference";
import { RecordedResource } from "../runtime";
import { DeployFinding, finding, isUnknown, plain, valuesAt, withWildcards } from "./types";

/** Inputs that hold IAM policy documents, per type. */
const DOCUMENTS: Record<string, string[]> = {
    "aws:iam/role:Role": ["assumeRolePolicy", "inlinePolicies.policy"],
    "aws:iam/policy:Policy": ["policy"],
    "aws:iam/rolePolicy:RolePolicy": ["policy"],
    "aws:iam/userPolicy:UserPolicy": ["policy"],
    "aws:iam/groupPolicy:GroupPolicy": ["policy"],
    "aws:s3/bucketPolicy:BucketPolicy": ["policy"],
    "aws:sns/topicPolicy:TopicPolicy": ["policy"],
    "aws:sqs/queuePolicy:QueuePolicy": ["policy"],
    "aws:kms/key:Key": ["policy"],
    "aws:ecr/repositoryPolicy:RepositoryPolicy": ["policy"],
    "aws:secretsmanager/secretPolicy:SecretPolicy": ["policy"],
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": ["policyDocument"],
};

const matching = new Map<string, IamAction[] | undefined>();
/** The actions a pattern names (cached: documents repeat the same actions). */
function actionsOf(pattern: string): IamAction[] | undefined {
    if (!matching.has(pattern)) matching.set(pattern, iamActionsMatching(pattern));
    return matching.get(pattern);
}

const matches = new Map<string, boolean>();
/** Whether an ARN can name a resource of a format (cached). */
function arnMatches(arn: string, format: string): boolean {
    const key = `${arn}\n${format}`;
    let m = matches.get(key);
    if (m === undefined) {
        m = arnMatchesFormat(arn, format);
        matches.set(key, m);
    }
    return m;
}

/** Resource types an action can be scoped to, for messages. */
const typesOf = (a: IamAction) => a.resourceTypes.map((t) => t.name).join(", ");

function checkDocument(r: RecordedResource, property: string, raw: unknown, source: string): DeployFinding[] {
    const text = plain(raw);
    if (isUnknown(raw) && typeof text !== "string") return [];
    const doc = parseDocument(typeof text === "string" ? withWildcards(text) : text);
    if (doc.unreadable) {
        return [finding("iam", r, property, doc.unreadable, "the policy document is not JSON", source)];
    }
    const out: DeployFinding[] = [];
    doc.Statement.forEach((s, i) => {
        const where = `${property} ${statementLabel(s, i)}`;
        const actions: IamAction[] = [];
        // Actions a wildcard names are not each asked to match a resource: the wildcard grants what matches.
        const exact = new Set<string>();
        for (const pattern of s.Action) {
            const matched = actionsOf(pattern);
            if (matched === undefined) continue;
            if (matched.length === 0) {
                out.push(finding("iam", r, where, pattern, `the action "${pattern}" does not exist`, source));
                continue;
            }
            actions.push(...matched);
            if (!/[*?]/.test(pattern)) matched.forEach((a) => exact.add(a.action));
        }
        const resources = s.Resource;
        if (resources.length > 0 && actions.length > 0) {
            const wildcard = resources.includes("*");
            for (const a of actions.filter((x) => exact.has(x.action))) {
                const formats = a.resourceTypes.map((t) => t.arnFormat).filter(Boolean);
                if (a.resourceTypes.length === 0) {
                    if (!wildcard) out.push(finding("iam", r, where, resources, `"${a.action}" supports no resource-level permissions: only "*" applies, not ${resources.join(", ")}`, source));
                } else if (formats.length === a.resourceTypes.length && !resources.some((res) => formats.some((f) => arnMatches(res, f)))) {
                    out.push(finding("iam", r, where, resources, `no resource names a ${typesOf(a)} of "${a.action}" (${formats.join(" | ")})`, source));
                }
            }
            for (const res of resources.filter((x) => x !== "*")) {
                const matchesSome = actions.some((a) => a.resourceTypes.some((t) => !t.arnFormat || arnMatches(res, t.arnFormat)));
                if (!matchesSome) out.push(finding("iam", r, where, res, `"${res}" is not a resource type of any of the statement's actions (${[...new Set(actions.map((a) => a.action))].join(", ")})`, source));
            }
        }
        for (const [operator, conditions] of Object.entries(s.Condition)) {
            for (const key of Object.keys(conditions ?? {})) {
                if (!iamConditionKeyExists(key)) out.push(finding("iam", r, `${where} Condition.${operator}`, key, `the condition key "${key}" does not exist`, source));
            }
        }
    });
    return out;
}

export const iamRules = (resources: RecordedResource[]): DeployFinding[] => {
    const documents = resources.filter((r) => DOCUMENTS[r.type]);
    if (documents.length === 0) return [];
    const source = iamReferenceSource();
    return documents.flatMap((r) => DOCUMENTS[r.type].flatMap((property) => valuesAt(r.inputs, property).flatMap(({ path, value }) => checkDocument(r, path, value, source))));
};
