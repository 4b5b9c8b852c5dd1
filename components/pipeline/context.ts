import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "../common/component";

/** What every part of a CiCdPipeline is built with: the component's context and where it runs. */
export interface PipelineContext {
    /** The component's name. */
    name: string;
    kit: ComponentContext;
    partition: pulumi.Output<string>;
    region: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
}

/** Looks up the partition, region and account the pipeline is created in. */
export function pipelineContext(component: pulumi.ComponentResource, name: string, kit: ComponentContext): PipelineContext {
    const opts = { parent: component };
    return {
        name,
        kit,
        partition: aws.getPartitionOutput({}, opts).partition,
        region: aws.getRegionOutput({}, opts).region,
        accountId: aws.getCallerIdentityOutput({}, opts).accountId,
    };
}

/** An ARN in the pipeline's partition, region and account: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function regionalArn(ctx: PipelineContext, service: string, resource: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`arn:${ctx.partition}:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
}
