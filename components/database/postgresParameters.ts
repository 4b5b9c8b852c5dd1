/**
 * Which parameter-group settings RDS applies only at a reboot: PostgreSQL's own static parameters
 * (`pg_settings.context = 'postmaster'`, generated from a real server into
 * postgresStaticParameters.generated.ts by scripts/postgres-parameters.ts) and RDS's
 * `rds.logical_replication` (an RDS setting, not in pg_settings). The component and the preview's
 * deploy checks both read this module, so they agree.
 */
import { POSTGRES_STATIC_PARAMETERS } from "./postgresStaticParameters.generated";

/** RDS settings that need a reboot and are not PostgreSQL parameters. */
export const RDS_STATIC_PARAMETERS: readonly string[] = ["rds.logical_replication"];

let parameters: ReadonlySet<string> | undefined;

/** PostgreSQL's static parameters (they take effect at a restart). */
export function postgresStaticParameters(): ReadonlySet<string> {
    parameters ??= new Set(POSTGRES_STATIC_PARAMETERS.parameters);
    return parameters;
}

/** Whether RDS takes the parameter only with `applyMethod: "pending-reboot"`. */
export function isStaticParameter(name: string): boolean {
    return postgresStaticParameters().has(name) || RDS_STATIC_PARAMETERS.includes(name);
}
