import { formatCidr, isPrivate, parseCidr, subnet } from "../common/cidr";
import { checkLogRetention, Validator } from "../common/validation";
import { NatGatewayStrategy, NetworkArgs, SubnetPlan } from "./args";

export const COMPONENT = "Network";
/** Largest VPC AWS allows, and the smallest that leaves public subnets of /27: an ALB needs a /27. */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 21;

/** A network's arguments, validated and with their defaults. */
export interface NetworkSpec {
    cidrBlock: string;
    zoneCount: number;
    natStrategy: NatGatewayStrategy;
    /** Flow log retention in days. */
    retention: number;
    plan: SubnetPlan;
}

/**
 * Carves the tiers out of a VPC block. Private subnets (where services run) get a quarter of the
 * block each; isolated subnets (data stores) a sixteenth each, taken from the last quarter; public
 * subnets (load balancers and NAT only) a sixty-fourth each, from the last sixteenth. A /16 yields
 * /18 private, /20 isolated and /22 public subnets. Three zones use all but the block's last
 * sixty-fourth (10.0.252.0/22 of 10.0.0.0/16), which stays free; there is no room for a fourth zone.
 */
export function planSubnets(cidrBlock: string, zones: number): SubnetPlan {
    const vpc = parseCidr(cidrBlock);
    if (!vpc) {
        throw new RangeError(`not a CIDR block: ${cidrBlock}`);
    }
    const range = [...Array(zones).keys()];
    return {
        private: range.map((i) => formatCidr(subnet(vpc, 2, i))),
        isolated: range.map((i) => formatCidr(subnet(vpc, 4, 12 + i))),
        public: range.map((i) => formatCidr(subnet(vpc, 6, 60 + i))),
    };
}

/** Validates every argument (all problems in one ValidationError) and plans the subnets. */
export function resolveNetwork(name: string, args: NetworkArgs): NetworkSpec {
    const cidrBlock = args.cidrBlock ?? "10.0.0.0/16";
    const zoneCount = args.availabilityZoneCount ?? 3;
    const natStrategy = args.natGateways ?? NatGatewayStrategy.PerZone;
    const retention = args.flowLogRetentionDays ?? 90;

    const v = new Validator(COMPONENT, name);
    const vpcCidr = typeof cidrBlock === "string" ? parseCidr(cidrBlock) : undefined;
    v.check(vpcCidr !== undefined && isPrivate(vpcCidr), "cidrBlock", cidrBlock,
        "an IPv4 CIDR block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, with no host bits set");
    v.check(vpcCidr === undefined || (vpcCidr.prefix >= MIN_VPC_PREFIX && vpcCidr.prefix <= MAX_VPC_PREFIX), "cidrBlock", cidrBlock,
        `a prefix from /${MIN_VPC_PREFIX} (the largest VPC AWS allows) to /${MAX_VPC_PREFIX} (the smallest whose public subnets, /27, can hold a load balancer)`);
    v.integer("availabilityZoneCount", zoneCount, { min: 2, max: 3 });
    v.oneOf("natGateways", natStrategy, Object.values(NatGatewayStrategy));
    checkLogRetention(v, "flowLogRetentionDays", retention);
    v.tags(args.tags);
    v.throwIfAny();
    return { cidrBlock, zoneCount, natStrategy, retention, plan: planSubnets(cidrBlock, zoneCount) };
}
