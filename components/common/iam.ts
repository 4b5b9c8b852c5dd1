import * as pulumi from "@pulumi/pulumi";

/** One IAM policy statement; resources may come from other resources' outputs. */
export interface Statement {
    /** Statement id, shown in the AWS console and in policy findings. */
    sid: string;
    /** @default "Allow" */
    effect?: "Allow" | "Deny";
    actions: string[];
    /** Exact ARNs. Use `"*"` only for actions AWS does not scope to resources. */
    resources: pulumi.Input<string>[];
    conditions?: Record<string, Record<string, pulumi.Input<string | string[]>>>;
    /** For resource policies (bucket, topic, key): who the statement applies to. */
    principals?: "*" | { Service?: string | string[]; AWS?: pulumi.Input<string> | pulumi.Input<string>[] };
}

/**
 * Builds an IAM policy document as a JSON string Output. Actions and resources are sorted and
 * de-duplicated so documents are stable across runs and easy to review in a diff.
 */
export function policyDocument(statements: Statement[]): pulumi.Output<string> {
    return pulumi.output(statements.map((s) => ({
        Sid: s.sid,
        Effect: s.effect ?? "Allow",
        ...(s.principals ? { Principal: s.principals } : {}),
        Action: [...new Set(s.actions)].sort(),
        Resource: s.resources,
        ...(s.conditions ? { Condition: s.conditions } : {}),
    }))).apply((resolved) => JSON.stringify({
        Version: "2012-10-17",
        Statement: resolved.map((s) => ({ ...s, Resource: [...new Set(s.Resource)].sort() })),
    }));
}

/** A trust policy letting one AWS service assume a role, optionally pinned to this account. */
export function serviceTrustPolicy(service: string, sourceAccount?: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(sourceAccount).apply((account) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            ...(account ? { Condition: { StringEquals: { "aws:SourceAccount": account } } } : {}),
        }],
    }));
}

/** Lets a role create streams in, and write events to, exactly one log group. */
export function writeLogsStatement(sid: string, logGroupArn: pulumi.Input<string>): Statement {
    return { sid, actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [pulumi.interpolate`${logGroupArn}:log-stream:*`] };
}

/** Logging in to ECR: GetAuthorizationToken has no resource-level permissions, so "*" is its only valid resource. */
export const ECR_LOGIN: Statement = { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] };
