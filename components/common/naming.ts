/**
 * Every name the toolkit derives from a component's name, in one place. A child resource's Pulumi
 * name, a log group, a parameter path: each is built here, so that a rename is one change and the
 * stacks, the policies and the tests read the same strings.
 *
 * Add a function here (not a template string at the call site) for every new derived name.
 */
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

// --- PartitionedDatabase.

/**
 * The identifier of the final snapshot RDS takes when a database instance is deleted:
 * `<component>-final-<suffix>`, the suffix random per instance generation, so a second replacement or
 * destroy never collides with the first one's snapshot.
 */
export function finalSnapshotName(component: string, suffix: string): string {
    return `${component}-final-${suffix}`;
}

/** The ARN IAM database authentication checks: `arn:<partition>:rds-db:<region>:<account>:dbuser:<dbi-resource-id>/<user>`. */
export function rdsDbUserArn(partition: string, region: string, account: string, resourceId: string, user: string): string {
    return `arn:${partition}:rds-db:${region}:${account}:dbuser:${resourceId}/${user}`;
}
