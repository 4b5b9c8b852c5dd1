/**
 * The schema bootstrap of a PartitionedDatabase: a function in the VPC carrying the partitioning
 * SQL, invoked on create and whenever the SQL (and so the published version) changes. The function
 * and its invocation both depend on the security-group rules that let it reach the database, so
 * turning the schema on for an existing database cannot run before the path is open.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { bootstrapBundle } from "./bootstrap/bundle";
import { DatabaseFunctionArgs, databaseFunction } from "./databaseFunction";
import { sqlDigest } from "./partitioning/sql";

export type DatabaseFunctionCommon = Omit<DatabaseFunctionArgs,
    "id" | "logName" | "purpose" | "description" | "code" | "timeoutSeconds" | "logRetentionDays" | "logFormat" | "environment" | "connect">;

export interface SchemaBootstrapArgs {
    sql: string;
    logRetentionDays: number;
    /** Opens the path from the function's group to the database; returns the rules. */
    connect: (id: string, securityGroupId: pulumi.Output<string>, description: string) => pulumi.Resource[];
    /** The primary: the invocation waits for it. */
    primary: aws.rds.Instance;
}

/** Creates the function and its invocation; returns the invocation. */
export function schemaBootstrap(component: string, common: DatabaseFunctionCommon, a: SchemaBootstrapArgs): aws.lambda.Invocation {
    const digest = sqlDigest(a.sql);
    const { fn, ready } = databaseFunction(component, {
        ...common,
        id: "bootstrap",
        logName: "schema-bootstrap",
        purpose: "Schema bootstrap",
        description: `Applies the partitioning SQL of ${component} (sha256 ${digest.slice(0, 12)})`,
        code: bootstrapBundle(a.sql),
        timeoutSeconds: 300,
        logRetentionDays: a.logRetentionDays,
        logFormat: "JSON",
        connect: (sg) => a.connect("bootstrap", sg, "PostgreSQL from the schema bootstrap function"),
    });
    return new aws.lambda.Invocation(childName(component, "bootstrap"), {
        functionName: fn.name,
        qualifier: fn.version,
        input: JSON.stringify({ sqlSha256: digest }),
        triggers: { sqlSha256: digest },
    }, { ...common.opts, dependsOn: [a.primary, fn, ...ready] });
}
