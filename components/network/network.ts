import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { formatCidr, isPrivate, parseCidr, subnet } from "../common/cidr";
import { CommonArgs, ComponentContext, typeToken } from "../common/component";
import { policyDocument, serviceTrustPolicy } from "../common/iam";
import { logGroupName } from "../common/naming";
import { publish } from "../common/publish";
import { checkLogRetention, Validator } from "../common/validation";

/** How private subnets reach the internet. */
export enum NatGatewayStrategy {
    /** One NAT gateway in every zone: a zone outage does not cut the others off. */
    PerZone = "PerZone",
    /** One shared NAT gateway: cheaper, but every zone loses egress if its zone fails. */
    Single = "Single",
}

export interface NetworkArgs extends CommonArgs {
    /**
     * The VPC's IPv4 block: an RFC 1918 private range from /16 to /21.
     * @default "10.0.0.0/16"
     */
    cidrBlock?: string;
    /**
     * How many availability zones the subnets span (2 or 3).
     * @default 3
     */
    availabilityZoneCount?: number;
    /**
     * NAT gateway layout for the private tier.
     * @default NatGatewayStrategy.PerZone
     */
    natGateways?: NatGatewayStrategy;
    /**
     * Days VPC flow logs are kept in CloudWatch Logs (a retention CloudWatch accepts).
     * @default 90
     */
    flowLogRetentionDays?: number;
    /**
     * KMS key ARN encrypting the flow log group.
     * @default CloudWatch Logs' own encryption
     */
    flowLogKmsKeyArn?: pulumi.Input<string>;
}

/** The subnet CIDRs the network will create, per tier and zone index. */
export interface SubnetPlan {
    /** Public subnet CIDRs (a sixty-fourth of the VPC block each). */
    public: string[];
    /** Private subnet CIDRs (a quarter of the VPC block each). */
    private: string[];
    /** Isolated subnet CIDRs (a sixteenth of the VPC block each). */
    isolated: string[];
}

const COMPONENT = "Network";
/** Largest VPC AWS allows, and the smallest that leaves public subnets of /27: an ALB needs a /27. */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 21;

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
        const cidrBlock = args.cidrBlock ?? "10.0.0.0/16";
        const zoneCount = args.availabilityZoneCount ?? 3;
        const natStrategy = args.natGateways ?? NatGatewayStrategy.PerZone;
        const retention = args.flowLogRetentionDays ?? 90;

        const v = new Validator(COMPONENT, name);
        const vpcCidr = parseCidr(cidrBlock);
        v.check(vpcCidr !== undefined && isPrivate(vpcCidr), "cidrBlock", cidrBlock,
            "an IPv4 CIDR block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, with no host bits set");
        v.check(vpcCidr === undefined || (vpcCidr.prefix >= MIN_VPC_PREFIX && vpcCidr.prefix <= MAX_VPC_PREFIX), "cidrBlock", cidrBlock,
            `a prefix from /${MIN_VPC_PREFIX} (the largest VPC AWS allows) to /${MAX_VPC_PREFIX} (the smallest whose public subnets, /27, can hold a load balancer)`);
        v.intRange("availabilityZoneCount", zoneCount, 2, 3);
        v.oneOf("natGateways", natStrategy, Object.values(NatGatewayStrategy));
        checkLogRetention(v, "flowLogRetentionDays", retention);
        v.tags(args.tags);
        v.throwIfAny();

        super(typeToken(COMPONENT), name, {}, opts);
        const kit = new ComponentContext(this, COMPONENT, args);
        const plan = planSubnets(cidrBlock, zoneCount);
        this.subnetCidrs = plan;
        const tags = kit.tags;
        const tagged = (n: string, extra: Record<string, string> = {}) => ({ ...tags, Name: n, ...extra });

        const azs = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        const zones = [...Array(zoneCount).keys()].map((i) => azs.names[i]);

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: tagged(`${name}-vpc`),
        }, kit.childOpts);

        // CIS AWS 5.4: the default security group allows nothing, so nothing can use it by accident.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, {
            vpcId: vpc.id,
            tags: tagged(`${name}-default-sg`),
        }, kit.childOpts);

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tagged(`${name}-igw`) }, kit.childOpts);

        const makeSubnets = (tier: keyof SubnetPlan) => plan[tier].map((cidr, i) => new aws.ec2.Subnet(`${name}-${tier}-${i}`, {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: zones[i],
            mapPublicIpOnLaunch: false,
            tags: tagged(`${name}-${tier}-${i}`, { Tier: tier }),
        }, kit.childOpts));
        const publicSubnets = makeSubnets("public");
        const privateSubnets = makeSubnets("private");
        const isolatedSubnets = makeSubnets("isolated");

        const publicRt = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: tagged(`${name}-public-rt`) }, kit.childOpts);
        new aws.ec2.Route(`${name}-public-default`, {
            routeTableId: publicRt.id,
            destinationCidrBlock: "0.0.0.0/0",
            gatewayId: igw.id,
        }, kit.childOpts);
        publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, {
            subnetId: s.id,
            routeTableId: publicRt.id,
        }, kit.childOpts));

        const natCount = natStrategy === NatGatewayStrategy.PerZone ? zoneCount : 1;
        const nats = [...Array(natCount).keys()].map((i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tagged(`${name}-nat-${i}`) }, kit.childOpts);
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, {
                allocationId: eip.id,
                subnetId: publicSubnets[i].id,
                connectivityType: "public",
                tags: tagged(`${name}-nat-${i}`),
            }, kit.opts({ dependsOn: [igw] }));
        });

        const privateRts = privateSubnets.map((s, i) => {
            const rt = new aws.ec2.RouteTable(`${name}-private-rt-${i}`, { vpcId: vpc.id, tags: tagged(`${name}-private-rt-${i}`) }, kit.childOpts);
            new aws.ec2.Route(`${name}-private-default-${i}`, {
                routeTableId: rt.id,
                destinationCidrBlock: "0.0.0.0/0",
                natGatewayId: nats[Math.min(i, nats.length - 1)].id,
            }, kit.childOpts);
            new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: s.id, routeTableId: rt.id }, kit.childOpts);
            return rt;
        });

        // Isolated subnets: local routes only (plus the S3 endpoint below).
        const isolatedRt = new aws.ec2.RouteTable(`${name}-isolated-rt`, { vpcId: vpc.id, tags: tagged(`${name}-isolated-rt`) }, kit.childOpts);
        isolatedSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-isolated-${i}`, {
            subnetId: s.id,
            routeTableId: isolatedRt.id,
        }, kit.childOpts));

        new aws.ec2.VpcEndpoint(`${name}-s3`, {
            vpcId: vpc.id,
            // `cn.com.amazonaws.<region>.s3` in aws-cn: the partition's reverse DNS prefix, not a constant.
            serviceName: pulumi.interpolate`${partition.reverseDnsPrefix}.${region.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: [...privateRts.map((rt) => rt.id), isolatedRt.id],
            tags: tagged(`${name}-s3`),
        }, kit.childOpts);

        // Flow logs: every accepted and rejected flow, to a log group with a bounded retention.
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
            name: logGroupName(name, "vpc-flow-logs"),
            retentionInDays: retention,
            kmsKeyId: args.flowLogKmsKeyArn,
            tags,
        }, kit.childOpts);
        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const flowRole = new aws.iam.Role(`${name}-flow-logs`, {
            assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com", caller.accountId),
            tags,
        }, kit.childOpts);
        new aws.iam.RolePolicy(`${name}-flow-logs`, {
            role: flowRole.id,
            policy: policyDocument([{
                sid: "WriteFlowLogs",
                actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                resources: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:*`],
            }]),
        }, kit.childOpts);
        new aws.ec2.FlowLog(`${name}-flow-log`, {
            vpcId: vpc.id,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: flowRole.arn,
            maxAggregationInterval: 60,
            tags: tagged(`${name}-flow-log`),
        }, kit.childOpts);

        publish<Network>(this, {
            vpcId: vpc.id,
            vpcCidrBlock: vpc.cidrBlock,
            publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
            privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
            isolatedSubnetIds: pulumi.all(isolatedSubnets.map((s) => s.id)),
            availabilityZones: pulumi.all(zones),
            natGatewayIds: pulumi.all(nats.map((n) => n.id)),
            flowLogGroupName: logGroup.name,
        });
    }
}
