/**
 * The database's parameter group: TLS forced, pg_cron (in this database) and pg_stat_statements
 * preloaded, slow statements and lock waits logged, the caller's overrides merged over these. Each
 * setting is applied immediately unless RDS takes it only at a reboot.
 */
import * as aws from "@pulumi/aws";
import { childName } from "../common/naming";
import { isStaticParameter } from "./postgresParameters";
import { DatabaseContext, DatabaseSpec } from "./spec";

/** The settings the parameter group carries, by name. */
export function parameterValues(spec: DatabaseSpec): Record<string, string> {
    return {
        "rds.force_ssl": "1",
        "shared_preload_libraries": "pg_cron,pg_stat_statements",
        "cron.database_name": spec.server.databaseName,
        "log_min_duration_statement": String(spec.slowStatementMs),
        "pg_stat_statements.track": "all",
        "log_lock_waits": "1",
        ...spec.parameterOverrides,
    };
}

/** Creates the parameter group. */
export function parameterGroup(ctx: DatabaseContext, spec: DatabaseSpec): aws.rds.ParameterGroup {
    return new aws.rds.ParameterGroup(childName(ctx.name, "params"), {
        family: spec.server.family,
        description: `${ctx.name}: TLS only, pg_cron and pg_stat_statements, slow statement log`,
        parameters: Object.entries(parameterValues(spec)).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({
            name,
            value,
            applyMethod: isStaticParameter(name) ? "pending-reboot" : "immediate",
        })),
        tags: ctx.tags,
    }, ctx.opts);
}
