/** Secrets: rotated, and never written in plain text into a container's environment. */
import { Concern, resourceRule, stackRule } from "../rule";
import { CONTAINER_TYPES, containerViews } from "./containers";

const SECRET_TYPE = "aws:secretsmanager/secret:Secret";
const ROTATION_TYPE = "aws:secretsmanager/secretRotation:SecretRotation";

export const secretRotation = stackRule({
    name: "secret-rotation",
    description: "Secrets Manager secrets have a rotation schedule (an aws.secretsmanager.SecretRotation).",
    why: "A secret that never changes stays valid for whoever copied it once: a leaked log line, a laptop, a former colleague.",
    remediationSteps: "Add an aws.secretsmanager.SecretRotation for the secret (a rotation Lambda, or a managed rotation where the service offers one) with rotationRules.automaticallyAfterDays; RDS master passwords: use manageMasterUserPassword, which RDS rotates.",
    concern: Concern.Secrets,
    enforcementLevel: "advisory",
    severity: "medium",
    types: [SECRET_TYPE],
    check: (stack, _args, report) => {
        for (const secret of stack.ofType(SECRET_TYPE)) {
            if (stack.referencing(secret, [ROTATION_TYPE], "secretId", "name").length === 0) {
                report(secret.urn, `secret "${secret.name}" has no rotation schedule`);
            }
        }
    },
});

/** A variable name that says it holds a credential (but not one that only names or points to it). */
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_?KEY)/i;
const REFERENCE_NAME = /_(ARN|ID|NAME|URL|URI|FILE|PATH|ENDPOINT|HOST|PORT|REGION|TTL|SECONDS|ENABLED|HEADER|TYPE)$/i;
/** Values that are credentials whatever the variable is called. */
const CREDENTIAL_VALUES: [RegExp, string][] = [
    [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key id"],
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
    [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}/, "a GitHub token"],
    [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
    [/\b[rs]k_live_[A-Za-z0-9]{16,}/, "a Stripe live key"],
    [/:\/\/[^/\s:@]+:[^/\s@]+@/, "a URL with a password"],
];

export const plaintextSecretsEnv = resourceRule({
    name: "plaintext-secrets-env",
    description: "ECS task definitions and Kubernetes pods do not put credentials in plain environment variables (by name or by value).",
    why: "Plain environment values are stored in the task definition or manifest, shown by `describe`, the console and the Pulumi state, and printed by crash dumps: a password there is a password published.",
    remediationSteps: "Keep the value in Secrets Manager or SSM and reference it: ECS `secrets: [{ name, valueFrom }]` (a LoadBalancedService's `secrets` argument), Kubernetes `valueFrom.secretKeyRef`.",
    concern: Concern.Secrets,
    enforcementLevel: "mandatory",
    severity: "critical",
    types: CONTAINER_TYPES,
    check: ({ type, props }) => containerViews(type, props).flatMap((c) => c.env.flatMap(({ name, value }) => {
        const byValue = CREDENTIAL_VALUES.find(([re]) => re.test(value));
        if (byValue) {
            return [`${c.who}: environment variable ${name} holds ${byValue[1]} in plain text`];
        }
        const looksLikeReference = value === "" || value.startsWith("arn:") || REFERENCE_NAME.test(name);
        return CREDENTIAL_NAME.test(name) && !looksLikeReference ? [`${c.who}: environment variable ${name} looks like a credential and is set in plain text`] : [];
    })),
});

export const SECRETS_RULES = [secretRotation, plaintextSecretsEnv];
