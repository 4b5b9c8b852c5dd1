/**
 * Network: Application Load Balancers (hours, LCUs, their public IPv4 addresses), NAT gateways
 * (hours and data processed), Elastic IPs (public IPv4 in use) and VPC endpoints (interface: per
 * zone-hour and data; gateway: no charge).
 */
import type { PlanResource } from "../../plan";
import { CostContext, fmt, HOURS_PER_MONTH, Pricing, pricing } from "../model";
import { priceId } from "../priceBook";

const H = HOURS_PER_MONTH;

export function loadBalancer(lb: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const type = (lb.inputs.loadBalancerType as string | undefined) ?? "application";
    if (type !== "application") {
        return { lines: [], notPriced: [`${type} load balancer: not in the snapshot`] };
    }
    const lcu = ctx.usage(lb, "albLcuPerHour");
    const lines = [
        ctx.line({ label: "load balancer hours", kind: "fixed", priceId: priceId("Elastic Load Balancing", "Application Load Balancer hour"), quantity: H, formula: `${H} h` }, notPriced),
        ctx.line({ label: "load balancer capacity units", kind: "usage", priceId: priceId("Elastic Load Balancing", "Application Load Balancer LCU"), quantity: lcu * H,
            assumption: "albLcuPerHour", formula: `${fmt(lcu)} LCU * ${H} h` }, notPriced),
    ];
    if (lb.inputs.internal !== true) {
        const zones = ((lb.inputs.subnets as unknown[] | undefined) ?? (lb.inputs.subnetMappings as unknown[] | undefined) ?? []).length;
        lines.push(ctx.line({ label: "public IPv4 addresses (one per zone; AWS may add more as the load balancer scales)", kind: "fixed",
            priceId: priceId("VPC", "public IPv4 address in use"), quantity: zones * H, formula: `${zones} addresses * ${H} h` }, notPriced));
    }
    return pricing(lines, notPriced);
}

export function natGateway(nat: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const gb = ctx.usage(nat, "natDataGbPerMonth");
    return pricing([
        ctx.line({ label: "NAT gateway hours", kind: "fixed", priceId: priceId("VPC", "NAT gateway hour"), quantity: H, formula: `${H} h` }, notPriced),
        ctx.line({ label: "data processed", kind: "usage", priceId: priceId("VPC", "NAT gateway data processed"), quantity: gb, assumption: "natDataGbPerMonth", formula: `${fmt(gb)} GB` }, notPriced),
    ], notPriced);
}

export function elasticIp(eip: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const attached = ctx.referencing(eip).some((r) => r.type === "aws:ec2/natGateway:NatGateway" || r.type === "aws:ec2/eipAssociation:EipAssociation") || eip.inputs.instance !== undefined || eip.inputs.networkInterface !== undefined;
    const dimension = attached ? "public IPv4 address in use" : "public IPv4 address idle";
    return pricing([ctx.line({ label: attached ? "public IPv4 address (in use)" : "public IPv4 address (idle: nothing in the plan attaches it)", kind: "fixed",
        priceId: priceId("VPC", dimension), quantity: H, formula: `1 address * ${H} h` }, notPriced)], notPriced);
}

export function vpcEndpoint(endpoint: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const type = (endpoint.inputs.vpcEndpointType as string | undefined) ?? "Gateway";
    if (type === "Gateway") {
        const price = ctx.prices.get(priceId("VPC", "gateway endpoint (S3, DynamoDB)"));
        return price ? { lines: [], free: { note: "gateway endpoints have no charge", source: `${price.source} (${price.asOf})` } } : { lines: [], notPriced: ["gateway endpoint: not in the snapshot"] };
    }
    if (type !== "Interface") {
        return { lines: [], notPriced: [`${type} endpoint: not in the snapshot`] };
    }
    const zones = Math.max(1, ((endpoint.inputs.subnetIds as unknown[] | undefined) ?? []).length);
    const gb = ctx.usage(endpoint, "interfaceEndpointDataGbPerMonth");
    return pricing([
        ctx.line({ label: "interface endpoint hours (per zone)", kind: "fixed", priceId: priceId("VPC", "interface endpoint hour (per endpoint per AZ)"), quantity: zones * H,
            formula: `${zones} zones * ${H} h` }, notPriced),
        ctx.line({ label: "data processed", kind: "usage", priceId: priceId("VPC", "interface endpoint data processed, first 1 PB/month"), quantity: gb,
            assumption: "interfaceEndpointDataGbPerMonth", formula: `${fmt(gb)} GB` }, notPriced),
    ], notPriced);
}
