import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { NetworkContext } from "./context";
import { Routing } from "./routing";

/** Where the network is: the region and partition look-ups, which name the endpoint services. */
export interface Location {
    region: pulumi.Output<aws.GetRegionResult>;
    partition: pulumi.Output<aws.GetPartitionResult>;
}

/** The S3 gateway endpoint, on the private and isolated route tables. */
export function createEndpoints(ctx: NetworkContext, vpc: aws.ec2.Vpc, routing: Routing, { region, partition }: Location): void {
    const endpointName = childName(ctx.name, "s3");
    new aws.ec2.VpcEndpoint(endpointName, {
        vpcId: vpc.id,
        // `cn.com.amazonaws.<region>.s3` in aws-cn: the partition's reverse DNS prefix, not a constant.
        serviceName: pulumi.interpolate`${partition.reverseDnsPrefix}.${region.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: [...routing.privateRouteTables.map((rt) => rt.id), routing.isolatedRouteTable.id],
        tags: ctx.tagged(endpointName),
    }, ctx.kit.childOpts);
}
