import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext, typeToken } from "../common/component";
import { publish } from "../common/publish";
import { SubnetPlan } from "./args";
import { networkContext } from "./context";
import { createEndpoints } from "./endpoints";
import { createFlowLogs } from "./flowLogs";
import { COMPONENT, resolveNetwork } from "./plan";
import { createRouting } from "./routing";
import { createSubnets, createVpc } from "./subnets";
import type { NetworkArgs } from "./args";

export { NatGatewayStrategy } from "./args";
export type { NetworkArgs, SubnetPlan } from "./args";
export { MAX_VPC_PREFIX, MIN_VPC_PREFIX, planSubnets } from "./plan";

/**
 * A VPC across 2 or 3 availability zones with public, private (egress through NAT) and isolated
 * subnet tiers, flow logs, an S3 gateway endpoint and a default security group stripped of rules.
 */
export class Network extends pulumi.ComponentResource {
    /** The VPC id. */
    public readonly vpcId!: pulumi.Output<string>;
    /** The VPC's IPv4 block. */
    public readonly vpcCidrBlock!: pulumi.Output<string>;
    /** Subnets with a route to the internet gateway: load balancers and NAT gateways only. */
    public readonly publicSubnetIds!: pulumi.Output<string[]>;
    /** Subnets with egress through NAT: where services run. */
    public readonly privateSubnetIds!: pulumi.Output<string[]>;
    /** Subnets with no route to the internet: databases and caches. */
    public readonly isolatedSubnetIds!: pulumi.Output<string[]>;
    /** The zones used, in subnet order. */
    public readonly availabilityZones!: pulumi.Output<string[]>;
    /** The NAT gateways, one per zone or one shared. */
    public readonly natGatewayIds!: pulumi.Output<string[]>;
    /** The CloudWatch log group receiving the VPC flow logs. */
    public readonly flowLogGroupName!: pulumi.Output<string>;
    /** The planned subnet CIDRs per tier (known before deployment). */
    public readonly subnetCidrs: SubnetPlan;

    constructor(name: string, args: NetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const spec = resolveNetwork(name, args);
        super(typeToken(COMPONENT), name, {}, opts);
        this.subnetCidrs = spec.plan;
        const ctx = networkContext(this, name, new ComponentContext(this, COMPONENT, args));

        const azs = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this });
        const location = { region: aws.getRegionOutput({}, { parent: this }), partition: aws.getPartitionOutput({}, { parent: this }) };
        const zones = [...Array(spec.zoneCount).keys()].map((i) => azs.names[i]);

        const vpc = createVpc(ctx, spec);
        const subnets = createSubnets(ctx, spec, vpc.vpc, zones);
        const routing = createRouting(ctx, spec, vpc, subnets);
        createEndpoints(ctx, vpc.vpc, routing, location);
        const logGroup = createFlowLogs(ctx, spec, vpc.vpc, args.flowLogKmsKeyArn);

        publish<Network>(this, {
            vpcId: vpc.vpc.id,
            vpcCidrBlock: vpc.vpc.cidrBlock,
            publicSubnetIds: pulumi.all(subnets.public.map((s) => s.id)),
            privateSubnetIds: pulumi.all(subnets.private.map((s) => s.id)),
            isolatedSubnetIds: pulumi.all(subnets.isolated.map((s) => s.id)),
            availabilityZones: pulumi.all(zones),
            natGatewayIds: pulumi.all(routing.nats.map((n) => n.id)),
            flowLogGroupName: logGroup.name,
        });
    }
}
