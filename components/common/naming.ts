/**
 * Every name the toolkit derives from a component's name, in one place. A child resource's Pulumi
 * name, a log group, a parameter path: each is built here, so that a rename is one change and the
 * stacks, the policies and the tests read the same strings.
 *
 * Add a function here (not a template string at the call site) for every new derived name.
 */
import * as pulumi from "@pulumi/pulumi";
import { PACKAGE } from "./component";

/** The Pulumi name of a child resource: `<component>-<suffix>` (`api-alb`, `db-proxy`). */
export function childName(component: string, suffix: string): string {
    return `${component}-${suffix}`;
}

/** The path every log group of a component lives under: `/scaling-toolkit/<component>`. */
export function logGroupPrefix(component: string): string {
    return `/${PACKAGE}/${component}`;
}

/** A component's CloudWatch log group: `/scaling-toolkit/<component>/<kind>` (`containers`, `codebuild`). */
export function logGroupName(component: string, kind: string): string {
    return `${logGroupPrefix(component)}/${kind}`;
}

// --- Data stores (PartitionedDatabase, RedisCache) and grants.

/**
 * The identifier of the snapshot taken when a component's data store is deleted:
 * `<component>-final-<suffix>`. The suffix is random and changes whenever the store is replaced, so
 * a second replace or destroy never collides with the snapshot the first one left (as
 * terraform-aws-modules/rds does with its `random_id`).
 */
export function finalSnapshotName(component: string, suffix: string): string {
    return `${component}-final-${suffix}`;
}

/** The Pulumi name of the inline policy a grant attaches: `<component>-<grant>` (`cache-read-auth-token`), numbered from the second. */
export function grantName(component: string, grant: string, index: number): string {
    return childName(component, index === 0 ? grant : `${grant}-${index + 1}`);
}

/** The ARN IAM database authentication checks: `arn:<partition>:rds-db:<region>:<account>:dbuser:<dbi-resource-id>/<user>`. */
export function rdsDbUserArn(partition: string, region: string, account: string, resourceId: string, user: string): string {
    return `arn:${partition}:rds-db:${region}:${account}:dbuser:${resourceId}/${user}`;
}

// --- EdgeCache (components/edge) and ServiceLevelObjectives (components/slo).

/** The region CloudFront's global resources are managed from: its certificates, WAF ACLs, metrics and log deliveries. */
export const CLOUDFRONT_REGION = "us-east-1";

/** The id a distribution gives its one origin, the load balancer: `<component>-origin`. */
export function edgeOriginId(component: string): string {
    return childName(component, "origin");
}

/** A CloudWatch metric name for a WAF web ACL or one of its rules: `<component>-waf[-<rule>]`, letters, digits, hyphens only. */
export function wafMetricName(component: string, rule?: string): string {
    const base = rule === undefined ? childName(component, "waf") : childName(childName(component, "waf"), rule);
    return base.replace(/[^A-Za-z0-9-]/g, "-");
}

/** The CloudWatch Logs delivery source of a distribution's access logs: `<component>-access-logs`. */
export function accessLogDeliveryName(component: string): string {
    return childName(component, "access-logs");
}

/** The name of a CloudFront cache or origin request policy of a component: `<component>-<kind>`. */
export function edgePolicyName(component: string, kind: string): string {
    return childName(component, kind).replace(/[^A-Za-z0-9_-]/g, "-");
}

/** The Pulumi name of one SLO alarm: `<component>-<slo>-<rule>` (`api-slo-availability-page`). */
export function sloAlarmName(component: string, slo: string, rule: string): string {
    return childName(childName(component, slo), rule);
}

/**
 * A name that must be unique in the account and region, not only in the stack (composite alarm and
 * dashboard names, which Pulumi does not auto-name): `<project>-<stack>-<component>-<suffix>`.
 */
export function accountUniqueName(component: string, suffix: string): string {
    return childName(childName(childName(pulumi.getProject(), pulumi.getStack()), component), suffix);
}
