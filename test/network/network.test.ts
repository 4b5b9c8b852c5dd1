import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { NatGatewayStrategy, Network } from "../../components";
import { contains, parseCidr } from "../../components/common/cidr";
import { planSubnets } from "../../components/network/network";
import { expectValidationError, parseJson, record, Unknown, valueOf } from "../support/harness";

const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE = "aws:ec2/route:Route";
const NAT = "aws:ec2/natGateway:NatGateway";

describe("Network", () => {
    describe("with default arguments", () => {
        let rec: Awaited<ReturnType<typeof build>>;
        const build = () => record(() => new Network("net"));
        before(async () => {
            rec = await build();
        });

        it("registers as a scaling-toolkit component that parents every child", () => {
            const component = rec.graph.one("scaling-toolkit:index:Network");
            const children = rec.graph.childrenOf(component);
            expect(children.length).to.equal(rec.graph.customResources.length);
        });

        it("creates a /16 VPC with DNS support", () => {
            const vpc = rec.graph.inputsOf(rec.graph.one("aws:ec2/vpc:Vpc"));
            expect(vpc.cidrBlock).to.equal("10.0.0.0/16");
            expect(vpc.enableDnsHostnames).to.equal(true);
            expect(vpc.enableDnsSupport).to.equal(true);
        });

        it("spreads three tiers over three zones with the planned CIDRs", () => {
            const subnets = rec.graph.byType(SUBNET).map((s) => rec.graph.inputsOf(s));
            expect(subnets).to.have.length(9);
            const byTier = (tier: string) => subnets.filter((s) => s.tags.Tier === tier);
            expect(byTier("private").map((s) => s.cidrBlock)).to.deep.equal(["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"]);
            expect(byTier("isolated").map((s) => s.cidrBlock)).to.deep.equal(["10.0.192.0/20", "10.0.208.0/20", "10.0.224.0/20"]);
            expect(byTier("public").map((s) => s.cidrBlock)).to.deep.equal(["10.0.240.0/22", "10.0.244.0/22", "10.0.248.0/22"]);
            expect(byTier("public").map((s) => s.availabilityZone)).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"]);
            expect(subnets.every((s) => s.mapPublicIpOnLaunch === false)).to.equal(true);
        });

        it("gives every zone its own NAT gateway and private route", () => {
            const nats = rec.graph.byType(NAT);
            expect(nats).to.have.length(3);
            const privateRoutes = rec.graph.byType(ROUTE).filter((r) => r.name.includes("private"));
            const natTargets = privateRoutes.map((r) => rec.graph.inputsOf(r).natGatewayId);
            expect(new Set(natTargets).size).to.equal(3);
            expect(privateRoutes.every((r) => rec.graph.inputsOf(r).destinationCidrBlock === "0.0.0.0/0")).to.equal(true);
        });

        it("gives the isolated tier no route out of the VPC", () => {
            const isolatedRt = rec.graph.named("net-isolated-rt");
            const routes = rec.graph.byType(ROUTE).filter((r) => rec.graph.inputsOf(r).routeTableId === `(known after apply: ${isolatedRt.name}.id)`);
            expect(routes).to.have.length(0);
        });

        it("routes the public tier through the internet gateway", () => {
            const route = rec.graph.inputsOf(rec.graph.named("net-public-default"));
            expect(route.gatewayId).to.equal("(known after apply: net-igw.id)");
        });

        it("logs all flows to a log group with 90 days retention through a least-privilege role", () => {
            const flowLog = rec.graph.inputsOf(rec.graph.one("aws:ec2/flowLog:FlowLog"));
            expect(flowLog.trafficType).to.equal("ALL");
            expect(flowLog.logDestinationType).to.equal("cloud-watch-logs");
            const group = rec.graph.inputsOf(rec.graph.one("aws:cloudwatch/logGroup:LogGroup"));
            expect(group.retentionInDays).to.equal(90);
            const policy = parseJson(rec.graph.inputsOf(rec.graph.one("aws:iam/rolePolicy:RolePolicy")).policy);
            const resources = policy.Statement.flatMap((s: any) => s.Resource);
            expect(resources).to.not.include("*");
            expect(resources.every((r: string) => r.startsWith("(known after apply: net-flow-logs.arn)"))).to.equal(true);
            const trust = parseJson(rec.graph.inputsOf(rec.graph.one("aws:iam/role:Role")).assumeRolePolicy);
            expect(trust.Statement[0].Principal).to.deep.equal({ Service: "vpc-flow-logs.amazonaws.com" });
            expect(trust.Statement[0].Condition.StringEquals).to.have.property("aws:SourceAccount");
        });

        it("adds an S3 gateway endpoint to the private and isolated route tables", () => {
            const endpoint = rec.graph.inputsOf(rec.graph.one("aws:ec2/vpcEndpoint:VpcEndpoint"));
            expect(endpoint.serviceName).to.equal("com.amazonaws.us-east-1.s3");
            expect(endpoint.vpcEndpointType).to.equal("Gateway");
            expect(endpoint.routeTableIds).to.have.length(4);
            expect(endpoint.routeTableIds).to.not.include("(known after apply: net-public-rt.id)");
        });

        it("names the S3 endpoint service with the partition's reverse DNS prefix (aws-cn differs)", async () => {
            const cn = await record(() => new Network("net"), { config: { "aws:region": "cn-north-1" } });
            expect(cn.graph.inputsOf(cn.graph.one("aws:ec2/vpcEndpoint:VpcEndpoint")).serviceName).to.equal("cn.com.amazonaws.cn-north-1.s3");
        });

        it("leaves only the block's last sixty-fourth free: no tier overlaps another, nothing else is unused", () => {
            const plan = planSubnets("10.0.0.0/16", 3);
            const blocks = [...plan.private, ...plan.isolated, ...plan.public].map((c) => parseCidr(c)!);
            for (const [i, a] of blocks.entries()) {
                for (const b of blocks.slice(i + 1)) {
                    expect(contains(a, b) || contains(b, a), `${JSON.stringify(a)} ${JSON.stringify(b)}`).to.equal(false);
                }
            }
            const used = blocks.reduce((sum, c) => sum + 2 ** (32 - c.prefix), 0);
            expect(2 ** 16 - used).to.equal(2 ** 10);
            expect(blocks.some((c) => contains(c, parseCidr("10.0.252.0/22")!))).to.equal(false);
        });

        it("strips every rule from the default security group", () => {
            const sg = rec.graph.inputsOf(rec.graph.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"));
            expect(sg.ingress ?? []).to.have.length(0);
            expect(sg.egress ?? []).to.have.length(0);
        });

        it("tags every taggable resource with ManagedBy, Component and Environment", () => {
            for (const r of rec.graph.customResources) {
                const tags = rec.graph.inputsOf(r).tags;
                if (tags !== undefined) {
                    expect(tags, r.name).to.include({ ManagedBy: "scaling-toolkit", Component: "Network", Environment: "test" });
                }
            }
        });

        it("outputs the VPC, subnet ids per tier and zones", async () => {
            const net = rec.result;
            expect(await valueOf(net.vpcId)).to.equal("(known after apply: net-vpc.id)");
            expect(await valueOf(net.privateSubnetIds)).to.deep.equal([0, 1, 2].map((i) => `(known after apply: net-private-${i}.id)`));
            expect(await valueOf(net.availabilityZones)).to.deep.equal(["us-east-1a", "us-east-1b", "us-east-1c"]);
            expect(await valueOf(net.isolatedSubnetIds)).to.not.be.instanceOf(Unknown);
        });
    });

    it("shares one NAT gateway when asked to, across two zones", async () => {
        const { graph } = await record(() => new Network("net", { availabilityZoneCount: 2, natGateways: NatGatewayStrategy.Single }));
        expect(graph.byType(NAT)).to.have.length(1);
        expect(graph.byType(SUBNET)).to.have.length(6);
        const targets = graph.byType(ROUTE).filter((r) => r.name.includes("private")).map((r) => graph.inputsOf(r).natGatewayId);
        expect(targets).to.deep.equal(["(known after apply: net-nat-0.id)", "(known after apply: net-nat-0.id)"]);
    });

    it("honours the flow log retention and caller tags", async () => {
        const { graph } = await record(() => new Network("net", { flowLogRetentionDays: 7, tags: { Team: "core" } }));
        const group = graph.inputsOf(graph.one("aws:cloudwatch/logGroup:LogGroup"));
        expect(group.retentionInDays).to.equal(7);
        expect(group.tags).to.include({ Team: "core", ManagedBy: "scaling-toolkit" });
    });

    describe("subnet plan", () => {
        for (const cidr of ["10.0.0.0/16", "172.20.0.0/20", "192.168.8.0/21"]) {
            it(`keeps every tier inside ${cidr} without overlaps`, () => {
                const plan = planSubnets(cidr, 3);
                const vpc = parseCidr(cidr)!;
                const all = [...plan.public, ...plan.private, ...plan.isolated].map((c) => parseCidr(c)!);
                expect(all.every((s) => contains(vpc, s))).to.equal(true);
                for (let i = 0; i < all.length; i++) {
                    for (let j = i + 1; j < all.length; j++) {
                        expect(contains(all[i], all[j]) || contains(all[j], all[i]), `${plan} overlap`).to.equal(false);
                    }
                }
                expect(Math.max(...all.map((s) => s.prefix))).to.be.at.most(27);
            });
        }
    });

    describe("validation", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            ["a public CIDR", { cidrBlock: "8.8.0.0/16" }, "cidrBlock"],
            ["a malformed CIDR", { cidrBlock: "10.0.0/16" }, "cidrBlock"],
            ["host bits set", { cidrBlock: "10.0.0.1/16" }, "cidrBlock"],
            ["a prefix too small for the tiers", { cidrBlock: "10.0.0.0/24" }, "cidrBlock"],
            ["a /22, whose public subnets (/28) cannot hold a load balancer", { cidrBlock: "10.0.0.0/22" }, "cidrBlock"],
            ["a prefix larger than AWS allows", { cidrBlock: "10.0.0.0/8" }, "cidrBlock"],
            ["one zone", { availabilityZoneCount: 1 }, "availabilityZoneCount"],
            ["four zones", { availabilityZoneCount: 4 }, "availabilityZoneCount"],
            ["an unknown NAT strategy", { natGateways: "None" }, "natGateways"],
            ["a retention CloudWatch refuses", { flowLogRetentionDays: 10 }, "flowLogRetentionDays"],
        ];
        for (const [what, args, argument] of cases) {
            it(`rejects ${what} before creating anything`, async () => {
                const { graph } = await record(() => {
                    expectValidationError(() => new Network("net", args), "Network", argument);
                });
                expect(graph.resources).to.have.length(0);
            });
        }

        it("lists every problem in one error", () => {
            const err = expectValidationError(() => new Network("net", { cidrBlock: "8.8.8.0/24", availabilityZoneCount: 5 }), "Network", "availabilityZoneCount");
            expect(err.problems.length).to.be.at.least(3);
            expect(err.message).to.contain("Network \"net\"");
        });
    });
});

describe("validation errors under the Pulumi CLI", () => {
    it("are RunErrors, which the CLI reports without a stack trace", () => {
        const err = expectValidationError(() => new Network("net", { availabilityZoneCount: 9 }), "Network", "availabilityZoneCount");
        expect(pulumi.RunError.isInstance(err)).to.equal(true);
    });
});
