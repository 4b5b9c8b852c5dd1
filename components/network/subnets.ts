import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../common/naming";
import { SubnetPlan } from "./args";
import { NetworkContext } from "./context";
import { NetworkSpec } from "./plan";

/** The VPC, its default security group stripped of rules, and the internet gateway. */
export interface Vpc {
    vpc: aws.ec2.Vpc;
    igw: aws.ec2.InternetGateway;
}

/** The subnets of each tier, in zone order. */
export type Subnets = Record<keyof SubnetPlan, aws.ec2.Subnet[]>;

export function createVpc(ctx: NetworkContext, spec: NetworkSpec): Vpc {
    const { kit, tagged } = ctx;
    const vpcName = childName(ctx.name, "vpc");
    const vpc = new aws.ec2.Vpc(vpcName, {
        cidrBlock: spec.cidrBlock,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tagged(vpcName),
    }, kit.childOpts);

    // CIS AWS 5.4: the default security group allows nothing, so nothing can use it by accident.
    const sgName = childName(ctx.name, "default-sg");
    new aws.ec2.DefaultSecurityGroup(sgName, { vpcId: vpc.id, tags: tagged(sgName) }, kit.childOpts);

    const igwName = childName(ctx.name, "igw");
    const igw = new aws.ec2.InternetGateway(igwName, { vpcId: vpc.id, tags: tagged(igwName) }, kit.childOpts);
    return { vpc, igw };
}

/** One subnet per tier and zone, with the planned CIDRs. No subnet maps public IPs on launch. */
export function createSubnets(ctx: NetworkContext, spec: NetworkSpec, vpc: aws.ec2.Vpc, zones: pulumi.Output<string>[]): Subnets {
    const make = (tier: keyof SubnetPlan) => spec.plan[tier].map((cidr, i) => {
        const subnetName = childName(ctx.name, `${tier}-${i}`);
        return new aws.ec2.Subnet(subnetName, {
            vpcId: vpc.id,
            cidrBlock: cidr,
            availabilityZone: zones[i],
            mapPublicIpOnLaunch: false,
            tags: ctx.tagged(subnetName, { Tier: tier }),
        }, ctx.kit.childOpts);
    });
    return { public: make("public"), private: make("private"), isolated: make("isolated") };
}
