import * as aws from "@pulumi/aws";
import { childName, logGroupName } from "../common/naming";
import { CacheContext } from "./context";

/** The log groups the engine delivers to. */
export interface CacheLogs {
    slowLog: aws.cloudwatch.LogGroup;
    engineLog: aws.cloudwatch.LogGroup;
}

/** The slow-log and engine-log groups, `/scaling-toolkit/<name>/slow-log` and `.../engine-log`, with retention. */
export function cacheLogs(ctx: CacheContext): CacheLogs {
    return { slowLog: logGroup(ctx, "slow-log"), engineLog: logGroup(ctx, "engine-log") };
}

function logGroup({ spec, kit }: CacheContext, kind: string): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(childName(spec.name, kind), {
        name: logGroupName(spec.name, kind),
        retentionInDays: spec.logRetentionDays,
        kmsKeyId: spec.logKmsKeyArn,
        tags: kit.tags,
    }, kit.childOpts);
}
