/** The read replicas of a PartitionedDatabase: encrypted, with the primary's parameter and security groups. */
import * as aws from "@pulumi/aws";
import { childName } from "../common/naming";
import { InstanceCommon, sharedInstanceArgs } from "./server";
import { DatabaseContext, ServerSpec } from "./spec";

/** Creates `server.readReplicas` replicas of the primary. */
export function readReplicas(ctx: DatabaseContext, server: ServerSpec, primary: aws.rds.Instance, common: InstanceCommon): aws.rds.Instance[] {
    return [...Array(server.readReplicas).keys()].map((i) => new aws.rds.Instance(childName(ctx.name, `replica-${i}`), {
        ...sharedInstanceArgs(server, common),
        replicateSourceDb: primary.identifier,
        // RDS refuses a final snapshot when deleting a read replica: the primary's backups hold the data.
        skipFinalSnapshot: true,
        tags: ctx.tags,
    }, ctx.opts));
}
