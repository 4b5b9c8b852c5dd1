import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "../../common/component";
import { childName } from "../../common/naming";

/** What every concern of a LoadBalancedService creates its resources with. */
export interface AwsContext {
    /** The component's resource name. */
    name: string;
    /** The component itself (`parent` of every child and invoke). */
    parent: pulumi.ComponentResource;
    /** Standard tags and child options. */
    kit: ComponentContext;
    tags: Record<string, string>;
    region: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    /** `<name>-<suffix>`: the Pulumi name of a child. */
    child(suffix: string): string;
}

export function awsContext(component: pulumi.ComponentResource, name: string, kit: ComponentContext): AwsContext {
    return {
        name,
        parent: component,
        kit,
        tags: kit.tags,
        region: aws.getRegionOutput({}, { parent: component }).region,
        accountId: aws.getCallerIdentityOutput({}, { parent: component }).accountId,
        child: (suffix) => childName(name, suffix),
    };
}
