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

// --- RedisCache and CiCdPipeline -------------------------------------------------------------

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
