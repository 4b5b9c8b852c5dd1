/**
 * Least privilege, v2: trust policies, GitHub OIDC, privilege escalation, unknown actions, public
 * resource policies and AWS-managed policies. (Concern least-privilege, like least-privilege.ts.)
 */
import { NormalStatement, parseDocument, statementLabel } from "../documents";
import { iamActionsMatching, iamReferenceSource } from "../iamReference";
import { asList, Concern, resourceRule, Subject } from "../rule";
import { actionMatches, ATTACHMENT_TYPES, POLICY_DOCUMENT_TYPES } from "./least-privilege";

/** Resources carrying resource policies (who may use the resource), and where the document is. */
export const RESOURCE_POLICY_TYPES: Record<string, (props: Record<string, unknown>) => unknown> = {
    "aws:s3/bucketPolicy:BucketPolicy": (p) => p.policy,
    "aws:s3/bucket:Bucket": (p) => p.policy,
    "aws:s3/bucketV2:BucketV2": (p) => p.policy,
    "aws:sqs/queuePolicy:QueuePolicy": (p) => p.policy,
    "aws:sqs/queue:Queue": (p) => p.policy,
    "aws:sns/topicPolicy:TopicPolicy": (p) => p.policy,
    "aws:sns/topic:Topic": (p) => p.policy,
    "aws:ecr/repositoryPolicy:RepositoryPolicy": (p) => p.policy,
    "aws:kms/key:Key": (p) => p.policy,
    "aws:secretsmanager/secretPolicy:SecretPolicy": (p) => p.policy,
    "aws:secretsmanager/secret:Secret": (p) => p.policy,
};

const present = (d: unknown) => d !== undefined && d !== null && d !== "";

/** Every statement of every policy document (identity, permission set, resource or trust) of a resource. */
function allStatements(subject: Subject): NormalStatement[] {
    const docs = [
        ...(POLICY_DOCUMENT_TYPES[subject.type]?.(subject.props) ?? []),
        RESOURCE_POLICY_TYPES[subject.type]?.(subject.props),
        subject.type === "aws:iam/role:Role" ? subject.props.assumeRolePolicy : undefined,
    ].filter(present);
    return docs.map(parseDocument).flatMap((d) => d.Statement);
}

const hasCondition = (s: NormalStatement) => Object.values(s.Condition).some((c) => c && typeof c === "object" && Object.keys(c).length > 0);

/** An AWS account as a principal: its root ARN or its bare 12-digit id. */
const ACCOUNT_PRINCIPAL = /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;

export const iamTrustAccountCondition = resourceRule({
    name: "iam-trust-account-condition",
    description: "Role trust policies that trust a whole AWS account carry a condition (aws:PrincipalArn, sts:ExternalId, aws:PrincipalOrgID...).",
    why: "Trusting an account's root lets every principal of that account that IAM allows sts:AssumeRole assume the role; for another company's account, that is all of its users and roles.",
    remediationSteps: "Trust the exact role ARN instead, or add a Condition such as StringEquals aws:PrincipalArn (the roles allowed) or sts:ExternalId (for a third party).",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:iam/role:Role"],
    check: ({ props }) => parseDocument(props.assumeRolePolicy ?? "{}").Statement.flatMap((s, i) => {
        const accounts = s.Effect === "Allow" && !hasCondition(s) ? s.Principal.filter((p) => ACCOUNT_PRINCIPAL.test(p)) : [];
        return accounts.length > 0 ? [`${statementLabel(s, i)} of the trust policy trusts account ${accounts.join(", ")} without a condition`] : [];
    }),
});

const GITHUB_OIDC = "token.actions.githubusercontent.com";
/** A `sub` that names one repository: `repo:<owner>/<repo>` with no wildcard in owner or repository. */
const ONE_REPOSITORY = /^repo:[^/*?:]+\/[^/*?:]+(:.*)?$/;

export const iamGithubOidcSub = resourceRule({
    name: "iam-github-oidc-sub",
    description: "Roles trusted by GitHub Actions OIDC require a `token.actions.githubusercontent.com:sub` condition naming the repository.",
    why: "Without a `sub` condition (or with `repo:*`), any workflow of any GitHub repository, anyone's, can assume the role with a token GitHub issues for free.",
    remediationSteps: "Add Condition StringEquals (or StringLike) \"token.actions.githubusercontent.com:sub\": \"repo:<owner>/<repo>:ref:refs/heads/main\" (or :environment:<name>), and \"token.actions.githubusercontent.com:aud\": \"sts.amazonaws.com\".",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "critical",
    types: ["aws:iam/role:Role"],
    check: ({ props }) => parseDocument(props.assumeRolePolicy ?? "{}").Statement.flatMap((s, i) => {
        if (s.Effect !== "Allow" || !s.Principal.some((p) => p.endsWith(`oidc-provider/${GITHUB_OIDC}`) || p === GITHUB_OIDC)) {
            return [];
        }
        const subs = Object.values(s.Condition).flatMap((c) => Object.entries(c ?? {}))
            .filter(([key]) => key.toLowerCase() === `${GITHUB_OIDC}:sub`).flatMap(([, v]) => asList(v as string | string[]).map(String));
        if (subs.length === 0) {
            return [`${statementLabel(s, i)} trusts GitHub Actions OIDC without a ${GITHUB_OIDC}:sub condition: every repository on GitHub can assume the role`];
        }
        const loose = subs.filter((v) => !ONE_REPOSITORY.test(v));
        return loose.length > 0 ? [`${statementLabel(s, i)}: ${GITHUB_OIDC}:sub ${loose.map((v) => JSON.stringify(v)).join(", ")} does not name one repository (repo:<owner>/<repo>...)`] : [];
    }),
});

/**
 * IAM actions that let a principal give itself (or a principal it controls) more permissions, on
 * whatever resource they name: the privilege-escalation methods catalogued by Rhino Security Labs
 * ("AWS IAM Privilege Escalation – Methods and Mitigation"); iam:PassRole has its own rule.
 */
export const ESCALATION_ACTIONS = [
    "iam:AddUserToGroup", "iam:AttachGroupPolicy", "iam:AttachRolePolicy", "iam:AttachUserPolicy",
    "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreatePolicyVersion",
    "iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary",
    "iam:PutGroupPolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:PutUserPermissionsBoundary", "iam:PutUserPolicy",
    "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy", "iam:UpdateLoginProfile",
];

export const iamPrivilegeEscalation = resourceRule({
    name: "iam-privilege-escalation",
    description: "IAM policies do not allow privilege-escalating IAM actions (iam:AttachRolePolicy, PutRolePolicy, CreatePolicyVersion, CreateAccessKey, UpdateAssumeRolePolicy...), even on named resources.",
    why: "Each of these turns a limited principal into an administrator: attach AdministratorAccess to its own role, write itself an inline policy, mint keys for a more powerful user, or trust itself from a powerful role. Naming the resource does not help when the resource is the principal itself or another powerful one.",
    remediationSteps: "Remove the action; manage IAM from the deployment pipeline's role only, with a permissions boundary on every role it creates (and waive that role with a reason).",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "critical",
    types: Object.keys(POLICY_DOCUMENT_TYPES),
    check: (subject) => allStatements(subject).flatMap((s, i) => {
        // "*" and "iam:*" are iam-no-wildcard-actions' findings.
        const found = s.Effect !== "Allow" ? [] : ESCALATION_ACTIONS.filter((a) => s.Action.some((p) => p !== "*" && p.toLowerCase() !== "iam:*" && actionMatches(p, a)));
        return found.length > 0 ? [`${statementLabel(s, i)} allows ${found.join(", ")} on ${s.Resource.join(", ") || "NotResource"}`] : [];
    }),
});

export const iamUnknownActions = resourceRule({
    name: "iam-unknown-actions",
    description: "Every action named in an IAM, permission-set, trust or resource policy exists in the IAM service authorization reference.",
    why: "A mistyped action grants nothing in an Allow (the service then fails at run time) and, worse, denies nothing in a Deny: the guard the author meant to write is not there.",
    remediationSteps: "Fix the action's spelling or service prefix (see the Service Authorization Reference); wildcards must match at least one action.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: [...new Set([...Object.keys(POLICY_DOCUMENT_TYPES), ...Object.keys(RESOURCE_POLICY_TYPES)])],
    check: (subject) => allStatements(subject).flatMap((s, i) => {
        const unknown = [...s.Action, ...s.NotAction].filter((a) => a !== "*" && (iamActionsMatching(a) ?? [1]).length === 0);
        return unknown.length > 0 ? [`${statementLabel(s, i)} (${s.Effect}) names ${unknown.join(", ")}, which match no action of ${iamReferenceSource()}`] : [];
    }),
});

export const resourcePolicyPublic = resourceRule({
    name: "resource-policy-public",
    description: "Resource policies (S3, SQS, SNS, ECR, KMS, Secrets Manager) do not allow Principal \"*\" without a condition.",
    why: "An Allow to `*` without a condition opens the bucket, queue, topic, repository, key or secret to every AWS account, and for S3 to anonymous requests from the internet.",
    remediationSteps: "Name the principals (account, role or service ARNs), or keep `*` only with a Condition that narrows it, such as aws:PrincipalOrgID, aws:SourceArn or aws:SourceAccount.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "mandatory",
    severity: "critical",
    types: Object.keys(RESOURCE_POLICY_TYPES),
    check: ({ type, props }) => {
        const doc = RESOURCE_POLICY_TYPES[type](props);
        return present(doc) ? parseDocument(doc).Statement.flatMap((s, i) => s.Effect === "Allow" && s.Principal.includes("*") && !hasCondition(s)
            ? [`${statementLabel(s, i)} allows ${s.Action.join(", ") || "NotAction"} to Principal "*" without a condition`] : []) : [];
    },
});

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;

export const iamAwsManagedPolicies = resourceRule({
    name: "iam-aws-managed-policies",
    description: "Roles, users, groups and permission sets get customer-managed or inline policies rather than AWS-managed ones.",
    why: "AWS-managed policies are written for every customer: they grant more than one workload needs (often `*` resources) and AWS changes them without notice.",
    remediationSteps: "Replace the attachment with a policy listing the actions and ARNs the principal needs (components/common/iam.ts builds them); keep an AWS-managed policy only with a waiver saying why.",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "advisory",
    severity: "medium",
    types: Object.keys(ATTACHMENT_TYPES),
    check: ({ type, props }) => ATTACHMENT_TYPES[type](props).filter((arn) => typeof arn === "string" && AWS_MANAGED.test(arn))
        .map((arn) => `attaches the AWS-managed policy ${arn}`),
});

export const IAM_RULES = [iamTrustAccountCondition, iamGithubOidcSub, iamPrivilegeEscalation, iamUnknownActions, resourcePolicyPublic, iamAwsManagedPolicies];
