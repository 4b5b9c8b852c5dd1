import * as aws from "@pulumi/aws";
import { childName } from "../common/naming";
import { NatGatewayStrategy } from "./args";
import { NetworkContext } from "./context";
import { NetworkSpec } from "./plan";
import { Subnets, Vpc } from "./subnets";

/** The route tables and NAT gateways of the three tiers. */
export interface Routing {
    nats: aws.ec2.NatGateway[];
    /** One route table per private subnet (each routes to its zone's NAT gateway, or the shared one). */
    privateRouteTables: aws.ec2.RouteTable[];
    /** The isolated tier's route table: local routes only (plus the S3 endpoint). */
    isolatedRouteTable: aws.ec2.RouteTable;
}

/** Public subnets route to the internet gateway. */
function publicRoutes(ctx: NetworkContext, { vpc, igw }: Vpc, subnets: Subnets): void {
    const { kit, tagged } = ctx;
    const rtName = childName(ctx.name, "public-rt");
    const rt = new aws.ec2.RouteTable(rtName, { vpcId: vpc.id, tags: tagged(rtName) }, kit.childOpts);
    new aws.ec2.Route(childName(ctx.name, "public-default"), {
        routeTableId: rt.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: igw.id,
    }, kit.childOpts);
    subnets.public.forEach((s, i) => new aws.ec2.RouteTableAssociation(childName(ctx.name, `public-${i}`), {
        subnetId: s.id,
        routeTableId: rt.id,
    }, kit.childOpts));
}

/** NAT gateways in the public subnets: one per zone, or one shared. */
function natGateways(ctx: NetworkContext, spec: NetworkSpec, { igw }: Vpc, subnets: Subnets): aws.ec2.NatGateway[] {
    const { kit, tagged } = ctx;
    const count = spec.natStrategy === NatGatewayStrategy.PerZone ? spec.zoneCount : 1;
    return [...Array(count).keys()].map((i) => {
        const natName = childName(ctx.name, `nat-${i}`);
        const eip = new aws.ec2.Eip(natName, { domain: "vpc", tags: tagged(natName) }, kit.childOpts);
        return new aws.ec2.NatGateway(natName, {
            allocationId: eip.id,
            subnetId: subnets.public[i].id,
            connectivityType: "public",
            tags: tagged(natName),
        }, kit.opts({ dependsOn: [igw] }));
    });
}

export function createRouting(ctx: NetworkContext, spec: NetworkSpec, vpc: Vpc, subnets: Subnets): Routing {
    const { kit, tagged } = ctx;
    publicRoutes(ctx, vpc, subnets);
    const nats = natGateways(ctx, spec, vpc, subnets);

    const privateRouteTables = subnets.private.map((s, i) => {
        const rtName = childName(ctx.name, `private-rt-${i}`);
        const rt = new aws.ec2.RouteTable(rtName, { vpcId: vpc.vpc.id, tags: tagged(rtName) }, kit.childOpts);
        new aws.ec2.Route(childName(ctx.name, `private-default-${i}`), {
            routeTableId: rt.id,
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: nats[Math.min(i, nats.length - 1)].id,
        }, kit.childOpts);
        new aws.ec2.RouteTableAssociation(childName(ctx.name, `private-${i}`), { subnetId: s.id, routeTableId: rt.id }, kit.childOpts);
        return rt;
    });

    // Isolated subnets: local routes only (plus the S3 endpoint).
    const isolatedName = childName(ctx.name, "isolated-rt");
    const isolatedRouteTable = new aws.ec2.RouteTable(isolatedName, { vpcId: vpc.vpc.id, tags: tagged(isolatedName) }, kit.childOpts);
    subnets.isolated.forEach((s, i) => new aws.ec2.RouteTableAssociation(childName(ctx.name, `isolated-${i}`), {
        subnetId: s.id,
        routeTableId: isolatedRouteTable.id,
    }, kit.childOpts));
    return { nats, privateRouteTables, isolatedRouteTable };
}
