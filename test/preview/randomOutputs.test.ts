/**
 * The random provider in the offline preview. What a new RandomId or RandomPassword generates is not
 * known until it is created, so the mock runtime answers it as `pulumi preview` shows it ("output<string>"):
 * unknown (and, for a password, secret), never a made-up value a policy or the plan could take as real.
 * The final snapshot's suffix (PartitionedDatabase, RedisCache) is drawn again when a keeper changes:
 * the diff shows the RandomId replaced from terraform-provider-random's resource_id.go, and leaves it
 * alone on a change that does not replace the database or cache.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { expect } from "chai";
import { PartitionedDatabase, PartitionedDatabaseArgs, RedisCache, RedisCacheArgs } from "../../components";
import { diffPlans, PlanDiff } from "../../preview/diff";
import { Plan } from "../../preview/plan";
import { renderMarkdown, renderText } from "../../preview/render";
import { record, Unknown, valueOf } from "../support/harness";
import { evaluate } from "../support/policy";
import { dataNetwork, ORDERS, planOf } from "./diffSet";

const RANDOM_ID = "random:index/randomId:RandomId";
const RDS = "aws:rds/instance:Instance";
const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const SOURCE = "hashicorp/terraform-provider-random internal/provider/resource_id.go@04572027ebba";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const dbBase: PartitionedDatabaseArgs = { network: dataNetwork, allowedSecurityGroupIds: ["sg-0fedcba9876543210"], tables: [ORDERS] };
const cacheBase: RedisCacheArgs = { network: dataNetwork, allowedSecurityGroupIds: ["sg-0123456789abcdef0"] };
const db = (args: Partial<PartitionedDatabaseArgs> = {}) => planOf(() => new PartitionedDatabase("db", { ...dbBase, ...args }));
const cache = (args: Partial<RedisCacheArgs> = {}) => planOf(() => new RedisCache("cache", { ...cacheBase, ...args }));

/** Whether an output is known and secret, as the program (and `pulumi preview`) sees it. */
async function state(output: pulumi.Output<unknown>): Promise<{ known: boolean; secret: boolean }> {
    const internals = output as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean> };
    return { known: await internals.isKnown, secret: await internals.isSecret };
}

const changeOf = (d: PlanDiff, type: string) => d.resources.filter((r) => r.type === type);
const resourceOf = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
/** A value shaped like a drawn suffix (`-final-` and 8 hex digits): never in a preview's plan. */
const DRAWN_SUFFIX = /-final-[0-9a-f]{8}/;

describe("the random provider in the offline preview", function () {
    this.timeout(120_000);

    describe("what the mock runtime answers for generated values", () => {
        it("a new RandomId's hex, dec, b64Url and b64Std are unknown, not secret: no made-up digits", async () => {
            const { result } = await record(() => new random.RandomId("suffix", { byteLength: 4 }));
            for (const [field, output] of Object.entries({ hex: result.hex, dec: result.dec, b64Url: result.b64Url, b64Std: result.b64Std })) {
                expect(await state(output), field).to.deep.equal({ known: false, secret: false });
                expect(await valueOf(output), field).to.be.instanceOf(Unknown);
            }
        });

        it("after an update (preview: false) they are placeholders naming the resource, so a final snapshot is never `-final-undefined`", async () => {
            const { graph, result } = await record(() => {
                new RedisCache("cache", cacheBase);
                return new random.RandomId("suffix", { byteLength: 4 });
            }, { preview: false });
            expect(await valueOf(result.hex)).to.equal("(known after apply: suffix.hex)");
            expect(graph.inputsOf(graph.one(RG)).finalSnapshotIdentifier).to.equal("cache-final-(known after apply: cache-final-snapshot.hex)");
        });

        it("a new RandomPassword's result and bcryptHash are secret and unknown during a preview", async () => {
            const { result } = await record(() => new random.RandomPassword("p", { length: 20 }));
            expect(await state(result.result)).to.deep.equal({ known: false, secret: true });
            expect(await state(result.bcryptHash)).to.deep.equal({ known: false, secret: true });
        });

        it("a value computed from the password (the cache's auth token and URL) stays unknown and secret", async () => {
            const { result } = await record(() => new RedisCache("cache", cacheBase));
            expect(await state(result.authToken)).to.deep.equal({ known: false, secret: true });
            expect(await state(result.connectionUrl)).to.deep.equal({ known: false, secret: true });
        });
    });

    describe("the final snapshot's identifier in the plan", () => {
        it("is unknown in the plan, the text report and the PR comment of a new database and cache", async () => {
            for (const [plan, type] of [[await db(), RDS], [await cache(), RG]] as const) {
                const [owner] = resourceOf(plan, type);
                expect(owner.inputs.finalSnapshotIdentifier, type).to.equal("(known after apply)");
                expect(owner.dependencies, type).to.include(resourceOf(plan, RANDOM_ID)[0].urn);
                for (const out of [JSON.stringify(plan), renderText(plan), renderMarkdown(plan)]) {
                    expect(out).to.not.match(DRAWN_SUFFIX);
                    expect(out).to.not.contain("final-undefined");
                }
            }
        });

        it("is given for rds-final-snapshot in production: no violation on the primary", async () => {
            const { graph } = await record(() => new PartitionedDatabase("shop-db", { ...dbBase, tags: { Production: "true" } }));
            expect(graph.inputsOf(graph.named("shop-db-primary", RDS)).finalSnapshotIdentifier).to.be.instanceOf(Unknown);
            const report = evaluate(graph, { config: { production: true } });
            expect(report.violations.filter((v) => v.policy === "rds-final-snapshot")).to.deep.equal([]);
            expect(report.notApplicable.filter((n) => n.policy === "rds-final-snapshot" && n.urn.endsWith("::shop-db-primary"))).to.deep.equal([]);
        });
    });

    it("the cache's auth token, unknown during a preview, is given for elasticache-transit-encryption: no \"can't run\" advisory", async () => {
        const { graph } = await record(() => new RedisCache("cache", { ...cacheBase, tags: { Production: "true" } }));
        expect(graph.one(RG).inputs.authToken).to.be.instanceOf(Unknown);
        const report = evaluate(graph, { config: { production: true } });
        expect(report.violations.filter((v) => v.policy === "elasticache-transit-encryption")).to.deep.equal([]);
    });

    describe("the diff of the final snapshot's RandomId", () => {
        const replaced = (d: PlanDiff, keeper: string) => {
            const [id] = changeOf(d, RANDOM_ID);
            expect(id).to.include({ op: "replace", replacementKnown: true });
            expect(id.reasons).to.deep.equal([{ property: "keepers", source: SOURCE, detail: "keepers" }]);
            expect(id.changes.map((c) => c.path)).to.deep.equal([`keepers.${keeper}`]);
        };

        it("a keeper change on the database (dbName: RDS replaces the instance) replaces the RandomId, and the identifier follows it", async () => {
            const head = await db({ databaseName: "shop" });
            const d = diffPlans(await db(), head);
            expect(changeOf(d, RDS).map((r) => r.op)).to.deep.equal(["replace"]);
            replaced(d, "dbName");
            const primary = changeOf(d, RDS)[0].changes.find((c) => c.path === "finalSnapshotIdentifier");
            expect(primary).to.include({ before: "(known after apply)", after: "(known after apply: db-final-snapshot is replaced)" });
            expect(renderText(head, d)).to.contain(`random:index/randomId:RandomId db-final-snapshot: replace (keepers forces it)\n       forced by ${SOURCE}`);
            expect(renderMarkdown(head, d)).to.contain("replace (keepers forces it)").and.to.contain("internal/provider/resource_id.go@04572027ebba");
        });

        it("a keeper change on the cache (kmsKeyArn: ElastiCache replaces the group) replaces the RandomId", async () => {
            const d = diffPlans(await cache(), await cache({ kmsKeyArn: KEY }));
            expect(changeOf(d, RG).map((r) => r.op)).to.deep.equal(["replace"]);
            replaced(d, "kmsKeyId");
        });

        it("a change that updates the database or cache in place leaves the RandomId and the identifier alone", async () => {
            for (const d of [diffPlans(await db(), await db({ instanceClass: "db.r7g.large" })), diffPlans(await cache(), await cache({ nodeType: "cache.r7g.xlarge" }))]) {
                expect(d.resources.filter((r) => r.type.startsWith("random:"))).to.deep.equal([]);
                expect(d.resources.filter((r) => r.op === "replace")).to.deep.equal([]);
                expect(d.resources.flatMap((r) => r.changes.map((c) => c.path))).to.not.include("finalSnapshotIdentifier");
            }
        });
    });
});
