import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { expect } from "chai";
import { record, Secret, Unknown, valueOf } from "../support/harness";
import { urnName } from "../../preview/runtime";

describe("recording runtime", () => {
    it("keeps secret inputs secret and redacts them in JSON", async () => {
        const { graph } = await record(() => {
            new aws.secretsmanager.SecretVersion("v", { secretId: "x", secretString: pulumi.secret("hunter2-value") });
        });
        const input = graph.one("aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString;
        expect(input).to.be.instanceOf(Secret);
        expect((input as Secret).value).to.equal("hunter2-value");
        const json = JSON.stringify(graph.resources);
        expect(json).to.not.contain("hunter2");
        expect(json).to.contain("[secret]");
    });

    it("returns provider-declared secret outputs (a generated password) as secrets", async () => {
        // After an update: during a preview the password is unknown (test/preview/randomOutputs.test.ts).
        const { result } = await record(() => new random.RandomPassword("p", { length: 20 }), { preview: false });
        const value = await valueOf(result.result);
        expect(value).to.be.instanceOf(Secret);
        expect((value as Secret).value).to.equal("(known after apply: p.result)");
    });

    it("records parents, dependencies and options", async () => {
        const { graph } = await record(() => {
            const parent = new pulumi.ComponentResource("test:index:Parent", "parent");
            const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { parent });
            new aws.ec2.Subnet("subnet", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24" }, { parent, protect: true, ignoreChanges: ["tags"] });
        });
        const subnet = graph.one("aws:ec2/subnet:Subnet");
        const vpc = graph.one("aws:ec2/vpc:Vpc");
        expect(subnet.parent).to.equal(graph.one("test:index:Parent").urn);
        expect(subnet.urn).to.equal("urn:pulumi:test::project::test:index:Parent$aws:ec2/subnet:Subnet::subnet");
        expect(subnet.propertyDependencies.vpcId).to.deep.equal([vpc.urn]);
        expect(subnet.dependencies).to.include(vpc.urn);
        expect(subnet.protect).to.equal(true);
        expect(subnet.ignoreChanges).to.deep.equal(["tags"]);
        expect(subnet.inputs.vpcId).to.equal("(known after apply: vpc.id)");
    });

    it("writes URNs as the engine does: no root stack type, the parents' whole type chain", async () => {
        const { graph } = await record(() => pulumi.runtime.runInPulumiStack(async () => {
            const outer = new pulumi.ComponentResource("test:index:Outer", "outer");
            const inner = new pulumi.ComponentResource("test:index:Inner", "inner", {}, { parent: outer });
            new aws.s3.Bucket("logs::a", {}, { parent: inner });
            new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" });
        }), { project: "shop", stack: "prod" });
        const stack = graph.one("pulumi:pulumi:Stack");
        expect(stack.urn).to.equal("urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod");
        expect(graph.one("aws:ec2/vpc:Vpc")).to.deep.include({ urn: "urn:pulumi:prod::shop::aws:ec2/vpc:Vpc::vpc", parent: stack.urn });
        expect(graph.one("test:index:Outer").urn).to.equal("urn:pulumi:prod::shop::test:index:Outer::outer");
        expect(graph.one("test:index:Inner").urn).to.equal("urn:pulumi:prod::shop::test:index:Outer$test:index:Inner::inner");
        const bucket = graph.one("aws:s3/bucket:Bucket");
        expect(bucket.urn).to.equal("urn:pulumi:prod::shop::test:index:Outer$test:index:Inner$aws:s3/bucket:Bucket::logs::a");
        expect(urnName(bucket.urn)).to.equal("logs::a");
        expect(graph.resources.filter((r) => r.urn.includes("pulumi:pulumi:Stack$"))).to.deep.equal([]);
    });

    it("reports the program's own error while a registration waits on a deferred output it never resolves", async () => {
        const failed = await record(() => {
            const [arn] = pulumi.deferredOutput<string>();
            new aws.ssm.Parameter("waits", { type: "String", value: arn });
            throw new Error("the component's validation error");
        }).then(() => undefined, (err: Error) => err);
        expect(failed?.message).to.equal("the component's validation error");
    });

    it("reports an error raised in an apply while the rest waits on an unresolved deferred output", async () => {
        const failed = await record(() => {
            const [arn] = pulumi.deferredOutput<string>();
            new aws.ssm.Parameter("waits", { type: "String", value: arn });
            new aws.ssm.Parameter("fails", { type: "String", value: pulumi.output("x").apply((): string => {
                throw new Error("an error inside an apply");
            }) });
        }).then(() => undefined, (err: Error) => err);
        // The SDK names the property whose value failed, as it does under the Pulumi CLI.
        expect(failed?.message).to.equal("error serializing property \"value\": an error inside an apply");
    });

    it("leaves properties without a placeholder unknown during a preview", async () => {
        const { result } = await record(() => new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }));
        expect(await valueOf(result.mainRouteTableId)).to.be.instanceOf(Unknown);
        expect(await valueOf(result.arn)).to.equal("(known after apply: vpc.arn)");
    });

    it("injects config and answers zone look-ups from the configured region", async () => {
        const { result, lookups } = await record(async () => {
            const zones = await aws.getAvailabilityZones();
            return { zones: zones.names, greeting: new pulumi.Config().require("greeting") };
        }, { config: { "aws:region": "ap-southeast-2", greeting: "hi" } });
        expect(result).to.deep.equal({ zones: ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"], greeting: "hi" });
        expect(lookups.map((l) => l.token)).to.deep.equal(["aws:index/getAvailabilityZones:getAvailabilityZones"]);
    });

    it("fails a look-up it cannot answer with a message naming it", async () => {
        let error: Error | undefined;
        try {
            await record(() => aws.ec2.getVpc({ default: true }));
        } catch (err) {
            error = err as Error;
        }
        expect(error?.name).to.equal("UnsupportedLookupError");
        expect(error?.message).to.contain("aws:ec2/getVpc:getVpc");
    });
});
