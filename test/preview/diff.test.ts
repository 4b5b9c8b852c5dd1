import * as aws from "@pulumi/aws";
import { expect } from "chai";
import * as fs from "fs";
import { PartitionedDatabase, PartitionInterval } from "../../components";
import { renderMarkdown } from "../../preview/render";
import { diffPlans, PlanDiff, ResourceChange } from "../../preview/diff";
import { changesBetween } from "../../preview/diff/values";
import { Plan, PlanResource } from "../../preview/plan";
import { FACTS_FILE, generate, render } from "../../scripts/replacement-facts";
import { Case, planOf, REPLACE_CASES, UPDATE_CASES } from "./diffSet";

const bases = new Map<string, Plan>();

/** Records the case's base (once per component and base arguments) and its change, one after the other. */
async function diffOf<A>(c: Case<A>, options = {}): Promise<PlanDiff> {
    const key = `${c.component} ${JSON.stringify(c.base)}`;
    if (!bases.has(key)) {
        bases.set(key, await planOf(() => c.build(c.base)));
    }
    const head = await planOf(() => c.build({ ...c.base, ...c.changed }));
    return diffPlans(bases.get(key)!, head, options);
}

const ofType = (d: PlanDiff, type: string) => d.resources.filter((r) => r.type === type);

describe("plan diff", function () {
    this.timeout(120_000);

    describe("the replace set: changes the provider replaces on", () => {
        let detected = 0;
        for (const c of REPLACE_CASES) {
            it(`${c.component}: ${c.change}`, async () => {
                const d = await diffOf(c);
                for (const want of c.replaces!) {
                    const replaced = ofType(d, want.type).filter((r) => r.op === "replace");
                    const total = want.count ?? Math.max(1, replaced.length);
                    expect(replaced, `${want.type} replaced`).to.have.length(total);
                    for (const r of replaced) {
                        expect(r.reasons.map((x) => x.property), `${r.name}: ${JSON.stringify(r.changes.map((x) => x.path))}`).to.include(want.property);
                        expect(r.reasons.find((x) => x.property === want.property)!.source).to.match(/^(hashicorp\/terraform-provider-aws internal\/service|pulumi\/pulumi-kubernetes provider\/pkg)\/.+@[0-9a-f]{12}$/);
                    }
                    detected += replaced.length;
                }
            });
        }
        after(() => expect(detected, "replacements detected with their property").to.be.at.least(40));
    });

    describe("the in-place set: changes that update and replace nothing", () => {
        for (const c of UPDATE_CASES) {
            it(`${c.component}: ${c.change}`, async () => {
                const d = await diffOf(c);
                expect(d.resources.filter((r) => r.op === "replace").map((r) => `${r.name}: ${r.reasons.map((x) => x.property)}`)).to.deep.equal([]);
                for (const want of c.updates!) {
                    const updated = ofType(d, want.type).filter((r) => r.op === "update");
                    expect(updated.length, `${want.type} updated`).to.be.greaterThan(0);
                    expect(updated.some((r) => r.changes.some((ch) => ch.path.replace(/\[[^\]]*\]/g, "").startsWith(want.property)))).to.equal(true);
                }
            });
        }
        it("has at least 20 cases", () => expect(UPDATE_CASES.length).to.be.at.least(20));
    });

    describe("S3 buckets (stateful: a replacement loses the objects)", () => {
        const bucket = (name: string, tags: Record<string, string>) => planOf(() => {
            new aws.s3.Bucket("artifacts", { bucket: name, forceDestroy: false, tags });
        });

        it("replaces the bucket when its name changes, naming the provider's ForceNew attribute", async () => {
            const d = diffPlans(await bucket("shop-artifacts", {}), await bucket("shop-artifacts-2", {}));
            const [b] = ofType(d, "aws:s3/bucket:Bucket");
            expect(b.op).to.equal("replace");
            expect(b.reasons.map((x) => x.property)).to.deep.equal(["bucket"]);
            expect(b.reasons[0].source).to.equal("hashicorp/terraform-provider-aws internal/service/s3/bucket.go@0070bcd12c95");
        });

        it("updates the bucket in place when only its tags change", async () => {
            const d = diffPlans(await bucket("shop-artifacts", {}), await bucket("shop-artifacts", { Team: "shop" }));
            const [b] = ofType(d, "aws:s3/bucket:Bucket");
            expect(b.op).to.equal("update");
            expect(b.reasons).to.deep.equal([]);
        });
    });

    describe("resource options and types without facts", () => {
        const one = (opts: Record<string, unknown>, name: string, retention: number) => planOf(() => {
            new aws.ecr.Repository("repo", { name }, opts);
            new aws.cloudwatch.LogGroup("logs", { retentionInDays: retention }, { replaceOnChanges: ["retentionInDays"] });
            new aws.sqs.Queue("queue", { visibilityTimeoutSeconds: retention });
        });

        it("says delete-before-replace, names replaceOnChanges, shows protect, and says when replacement is not known", async () => {
            const d = diffPlans(await one({ deleteBeforeReplace: true, protect: true }, "a", 7), await one({ deleteBeforeReplace: true, protect: true }, "b", 14));
            const byName = Object.fromEntries(d.resources.map((r) => [r.name, r])) as Record<string, ResourceChange>;
            expect(byName.repo).to.include({ op: "replace", deleteBeforeReplace: true, protect: true });
            expect(byName.repo.reasons[0]).to.include({ property: "name" });
            expect(byName.logs.op).to.equal("replace");
            expect(byName.logs.reasons).to.deep.equal([{ property: "retentionInDays", source: "the resource's replaceOnChanges option", detail: "retentionInDays" }]);
            expect(byName.queue).to.include({ op: "update", replacementKnown: false });
            const text = renderMarkdown((await one({ deleteBeforeReplace: true, protect: true }, "b", 14)), d);
            expect(text).to.contain("delete-before-replace (name forces it)").and.to.contain("update (replacement not known)").and.to.contain("🔒 protect");
        });
    });

    describe("arrays by identity, outputs", () => {
        it("matches list elements by name, Sid or port instead of position", () => {
            const env = (names: string[]) => ({ environment: names.map((name) => ({ name, value: name.toLowerCase() })) });
            expect(changesBetween(env(["A", "B"]), env(["QUEUE", "A", "B"]))).to.deep.equal([
                { path: "environment[name=QUEUE]", before: undefined, after: { name: "QUEUE", value: "queue" }, kind: "add" },
            ]);
            expect(changesBetween(env(["A", "B"]), env(["B", "A"]))).to.deep.equal([]);
            expect(changesBetween({ environment: [] }, {})).to.deep.equal([]);
            const policy = (actions: string[]) => JSON.stringify({ Statement: [{ Sid: "Logs", Action: ["logs:PutLogEvents"] }, { Sid: "Read", Action: actions }] });
            expect(changesBetween({ policy: policy(["s3:GetObject"]) }, { policy: policy(["s3:GetObject", "s3:ListBucket"]) }).map((c) => c.path))
                .to.deep.equal(["policy.Statement[Sid=Read].Action"]);
            const ports = (p: number[]) => ({ ports: p.map((port) => ({ port, protocol: "TCP" })) });
            expect(changesBetween(ports([80, 443]), ports([443])).map((c) => `${c.kind} ${c.path}`)).to.deep.equal(["remove ports[port=80]"]);
        });

        it("diffs stack outputs", () => {
            const plan = (outputs: Record<string, unknown>): Plan => ({ version: 2, project: "p", stack: "s", providers: [], resources: [], outputs, lookups: [], deployChecks: { checked: 0, sources: {}, findings: [] }, policies: { pack: null, violations: [] }, summary: { total: 0, byType: {} } });
            const d = diffPlans(plan({ url: "https://a", kept: 1, gone: "x" }), plan({ url: "https://b", kept: 1, added: { port: 5432 } }));
            expect(d.outputs.map((o) => `${o.kind} ${o.path}`)).to.deep.equal(["add added", "remove gone", "change url"]);
        });
    });

    describe("refusals", () => {
        const plan = (project: string, stack: string, version = 2) => ({ version, project, stack, providers: [], resources: [], outputs: {}, lookups: [], policies: { pack: null, violations: [] }, summary: { total: 0, byType: {} } }) as unknown as Plan;
        it("refuses a base plan of another project, stack or plan format", () => {
            expect(() => diffPlans(plan("other", "prod"), plan("scaling-toolkit", "prod"))).to.throw(/base plan is of other\/prod, this preview is of scaling-toolkit\/prod/);
            expect(() => diffPlans(plan("scaling-toolkit", "dev"), plan("scaling-toolkit", "prod"))).to.throw(/same project and stack/);
            expect(() => diffPlans(plan("scaling-toolkit", "prod", 1), plan("scaling-toolkit", "prod"))).to.throw(/format version 1; this preview writes version 2/);
        });
    });

    describe("URNs", () => {
        it("matches a base plan written with stack-qualified URNs (before engine-faithful URNs) to the same resources", async () => {
            const head = await planOf(() => new aws.sqs.Queue("q", {}));
            const legacy = (urn: string) => urn.replace(/::aws:sqs/, "::pulumi:pulumi:Stack$aws:sqs");
            const base: Plan = { ...head, resources: head.resources.map((r): PlanResource => ({ ...r, urn: legacy(r.urn) })) };
            const d = diffPlans(base, head);
            expect(d.counts).to.include({ create: 0, delete: 0 });
        });
    });

    describe("data loss", () => {
        const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";
        const db = (kmsKeyArn?: string, tags: Record<string, string> = {}) => planOf(() => new PartitionedDatabase("db", {
            network: { vpcId: "vpc-1", isolatedSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c", "subnet-d"] },
            allowedSecurityGroupIds: ["sg-0123456789abcdef0"],
            tables: [{ name: "orders", columns: [{ name: "id", type: "bigint" }, { name: "at", type: "timestamptz" }], partitionKey: "at", interval: PartitionInterval.Month, retention: "12 months" }],
            kmsKeyArn,
            tags,
        }));

        it("is mandatory in production, advisory elsewhere, and waivable with a written reason", async () => {
            const prodBase = await db(undefined, { Production: "true" });
            const prodHead = await db(KEY, { Production: "true" });
            const prod = diffPlans(prodBase, prodHead);
            const byType = Object.fromEntries(prod.dataLoss.map((f) => [f.type, f]));
            expect(byType["aws:rds/instance:Instance"]).to.include({ op: "replace", level: "mandatory", production: true });
            expect(byType["aws:rds/instance:Instance"].message).to.contain("kmsKeyId forces it").and.to.contain("the database");
            expect(byType["aws:kms/key:Key"]).to.include({ op: "delete", level: "mandatory" });

            const waived = diffPlans(prodBase, prodHead, { policyConfig: { waivers: [{ rule: "data-loss", name: "db-primary", reason: "restored from the nightly snapshot into the new key" }] } });
            const rds = waived.dataLoss.find((f) => f.type === "aws:rds/instance:Instance")!;
            expect(rds).to.include({ level: "advisory" });
            expect(rds.waived).to.deep.equal({ reason: "restored from the nightly snapshot into the new key", source: "config" });
            const short = diffPlans(prodBase, prodHead, { policyConfig: { waivers: [{ rule: "data-loss", name: "db-primary", reason: "ok" }] } });
            expect(short.dataLoss.find((f) => f.type === "aws:rds/instance:Instance")!.level).to.equal("mandatory");

            const dev = diffPlans(await db(), await db(KEY));
            expect(dev.dataLoss.map((f) => f.level)).to.deep.equal(dev.dataLoss.map(() => "advisory")).and.to.have.length(2);
        });
    });

    describe("partitioning", () => {
        const spec = (retention: string, extra: object[] = [], indexes: object[] = []) => planOf(() => new PartitionedDatabase("db", {
            network: { vpcId: "vpc-1", isolatedSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c", "subnet-d"] },
            tables: [
                { name: "orders", columns: [{ name: "id", type: "bigint" }, { name: "customer_id", type: "bigint" }, { name: "at", type: "timestamptz" }], partitionKey: "at", interval: PartitionInterval.Month, retention, indexes },
                ...extra,
            ] as never,
        }));

        it("says what changes in plain words and carries the SQL diff", async () => {
            const events = { name: "events", columns: [{ name: "at", type: "timestamptz" }], partitionKey: "at", interval: PartitionInterval.Day, premake: 7, retention: "30 days" };
            const d = diffPlans(await spec("12 months"), await spec("18 months", [events], [{ columns: ["customer_id", "at"] }]));
            expect(d.partitioning).to.have.length(1);
            const p = d.partitioning[0];
            expect(p.changes).to.include("public.orders: retention 12 months (then drop) -> 18 months (then drop)");
            expect(p.changes.some((c) => /^public\.orders: new index .*\(customer_id, at\)$/.test(c)), p.changes.join("\n")).to.equal(true);
            expect(p.changes).to.include("new partitioned table public.events: by day on at, 7 premade, retention 30 days (then drop)");
            expect(p.sqlDiff).to.match(/^--- db \(base\)\n\+\+\+ db \(this change\)\n@@ /);
            expect(p.sqlDiff.split("\n").filter((l) => l.startsWith("-") && l.includes("12 months"))).to.have.length(1);
            expect(p.sqlDiff.split("\n").some((l) => l.startsWith("+") && l.includes("18 months"))).to.equal(true);
        });
    });

    describe("the pull-request comment", () => {
        const plan = (resources: PlanResource[], outputs: Record<string, unknown> = {}): Plan => ({
            version: 2, project: "big", stack: "prod", providers: [{ name: "default", package: "aws", region: "eu-west-1" }], resources, outputs, lookups: [], deployChecks: { checked: 0, sources: {}, findings: [] },
            policies: { pack: "scaling-toolkit@0.1.0", violations: [] }, summary: { total: resources.length, byType: { "aws:cloudwatch/logGroup:LogGroup": resources.length } },
        });
        const group = (i: number, retention: number): PlanResource => ({
            urn: `urn:pulumi:prod::big::aws:cloudwatch/logGroup:LogGroup::group-${String(i).padStart(5, "0")}`, type: "aws:cloudwatch/logGroup:LogGroup", name: `group-${i}`, custom: true,
            inputs: { name: `/app/${i}`, retentionInDays: retention, tags: { Production: "true" } }, dependencies: [], propertyDependencies: {},
        });

        it("fits GitHub's limit on a huge diff, summary and data loss first, and says it was cut", () => {
            const base = plan(Array.from({ length: 6000 }, (_, i) => group(i, 30)));
            // 2,000 groups renamed (replaced: data loss), 2,000 with a new retention, 2,000 deleted.
            const head = plan([
                ...Array.from({ length: 2000 }, (_, i) => ({ ...group(i, 30), inputs: { ...group(i, 30).inputs, name: `/renamed/${i}` } })),
                ...Array.from({ length: 2000 }, (_, i) => group(i + 2000, 90)),
            ]);
            const d = diffPlans(base, head);
            expect(d.counts).to.include({ replace: 2000, update: 2000, delete: 2000 });
            const md = renderMarkdown(head, d);
            expect(md.length).to.be.at.most(65536);
            expect(md).to.contain("**Against the base branch:** 0 to create, 2000 to update, 2000 to replace, 2000 to delete, 0 unchanged");
            expect(md).to.contain("❌ 4000 data-loss finding(s) in production");
            expect(md.indexOf("#### ⚠️ Data at risk")).to.be.lessThan(md.indexOf("#### Policy results"));
            expect(md.indexOf("#### Policy results")).to.be.lessThan(md.indexOf("#### Changes"));
            expect(md).to.match(/Cut to fit GitHub's 65,536-character comment limit:\*\* left out .*data-loss findings/);
            expect(md).to.contain("`offline-preview` artifact");
            const limited = renderMarkdown(head, d, { limit: 20000 });
            expect(limited.length).to.be.at.most(20000);
        });

        it("is not cut when it fits", () => {
            const d = diffPlans(plan([group(1, 30)]), plan([group(1, 60)]));
            const md = renderMarkdown(plan([group(1, 60)]), d);
            expect(md).to.not.contain("Cut to fit");
            expect(md).to.contain("retentionInDays: 30 => 60").and.to.contain("<details><summary>Property changes of 1 resource(s)</summary>");
        });
    });

    describe("replacement facts", () => {
        it("are generated from the recorded sources (npm run facts:replacement) and up to date", () => {
            expect(fs.readFileSync(FACTS_FILE, "utf8")).to.equal(render(generate()));
        });
    });
});
