/** Offline evaluation mirrors the engine: levels from config, notApplicable, unknowns, waivers; and the CLI. */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../policies/cli";
import { evaluatePolicies, PolicyConfigError } from "../../policies/evaluate";
import { Graph, record, Secret } from "../support/harness";
import { evaluate, violationsOf } from "../support/policy";

const openDb = () => new aws.rds.Instance("db", { instanceClass: "db.t4g.micro", engine: "postgres", storageEncrypted: false, publiclyAccessible: true });

describe("offline policy evaluation", () => {
    let db: Graph;
    before(async () => {
        db = (await record(openDb)).graph;
    });

    describe("enforcement levels from config", () => {
        it("uses the rule's default, then `all`, then the rule's own entry (string or object)", () => {
            const level = (config: Record<string, unknown>) => violationsOf(db, "rds-storage-encrypted", { config }).map((v) => v.level);
            expect(level({})).to.deep.equal(["mandatory"]);
            expect(level({ all: "advisory" })).to.deep.equal(["advisory"]);
            expect(level({ all: "advisory", "rds-storage-encrypted": "mandatory" })).to.deep.equal(["mandatory"]);
            expect(level({ "rds-storage-encrypted": { enforcementLevel: "disabled" } })).to.deep.equal([]);
            expect(level({ "rds-storage-encrypted": "remediate" }), "remediate counts as mandatory").to.deep.equal(["mandatory"]);
            const report = evaluate(db, { config: { all: "disabled" } });
            expect(report.violations).to.deep.equal([]);
            expect(report.policies.every((p) => p.level === "disabled")).to.equal(true);
        });

        it("passes rule config, with the schema's defaults, to the rule", async () => {
            const { graph } = await record(() => new aws.rds.Instance("db", { instanceClass: "db.t4g.micro", backupRetentionPeriod: 7, tags: { Production: "true" } }));
            expect(violationsOf(graph, "rds-backup-retention")).to.deep.equal([]);
            expect(violationsOf(graph, "rds-backup-retention", { config: { "rds-backup-retention": { minimumDays: 14 } } })[0].message).to.contain("at least 14 days");
        });

        it("rejects invalid levels and values as the CLI does", () => {
            expect(() => evaluate(db, { config: { "rds-storage-encrypted": "strict" } })).to.throw(PolicyConfigError, "not a valid enforcement level");
            expect(() => evaluate(db, { config: { "rds-storage-encrypted": 3 } })).to.throw(PolicyConfigError, "must be an enforcement level or an object");
            expect(() => evaluate(db, { config: { "rds-backup-retention": { minimumDays: "7" } } })).to.throw(PolicyConfigError, "integer");
        });
    });

    it("reports a rule that meets an unknown value as advisory instead of failing (in memory and from JSON)", async () => {
        const { graph } = await record(() => {
            const key = new aws.kms.Key("key", {});
            new aws.rds.Proxy("proxy", { engineFamily: "POSTGRESQL", roleArn: "arn:role", vpcSubnetIds: ["s-1"], requireTls: key.enableKeyRotation });
        });
        for (const resources of [graph.resources, JSON.parse(JSON.stringify(graph.resources))]) {
            const found = evaluatePolicies(resources).violations.filter((v) => v.policy === "rds-proxy-require-tls");
            expect(found).to.have.length(1);
            expect(found[0]).to.include({ level: "advisory", unknown: true });
            expect(found[0].message).to.contain("can't run policy 'rds-proxy-require-tls'").and.to.contain(".requireTls can't be known during preview");
        }
    });

    it("counts a final snapshot identifier computed at apply as given, without a \"can't run\" advisory", async () => {
        const { graph } = await record(() => {
            const suffix = new random.RandomId("suffix", { byteLength: 4 });
            new aws.rds.Instance("db", {
                instanceClass: "db.t4g.micro", skipFinalSnapshot: false, tags: { Production: "true" },
                finalSnapshotIdentifier: pulumi.interpolate`db-final-${suffix.hex}`,
            });
        });
        const found = (identifier: unknown) => evaluatePolicies(graph.resources.map((r) => r.name === "db" ? { ...r, inputs: { ...r.inputs, finalSnapshotIdentifier: identifier } } : r))
            .violations.filter((v) => v.policy === "rds-final-snapshot");
        expect(found(graph.resources.find((r) => r.name === "db")!.inputs.finalSnapshotIdentifier)).to.deep.equal([]);
        expect(found(undefined)[0].message).to.contain("no finalSnapshotIdentifier");
    });

    it("treats cloud-computed placeholders as specific values and reads secrets (in memory and as `[secret]`)", async () => {
        const { graph } = await record(() => new aws.elasticache.ReplicationGroup("cache", {
            description: "c", transitEncryptionEnabled: true, atRestEncryptionEnabled: true, authToken: pulumi.secret("token-0123456789abcdef"),
            subnetGroupName: "isolated", securityGroupIds: ["sg-1"],
        }));
        const json = JSON.parse(JSON.stringify(graph.resources));
        // A plan written from a preview shows secrets as "[secret]": a value is there, hidden.
        json.find((r: any) => r.name === "cache").inputs.authToken = "[secret]";
        const inMemory = graph.resources.map((r) => r.name === "cache" ? { ...r, inputs: { ...r.inputs, authToken: new Secret("token-0123456789abcdef") } } : r);
        for (const resources of [graph.resources, inMemory, json]) {
            expect(evaluatePolicies(resources).violations.filter((v) => v.level === "mandatory")).to.deep.equal([]);
        }
    });

    it("applies production rules only to production resources, or to all with `production: true`", async () => {
        const { graph } = await record(() => {
            new aws.rds.Instance("dev", { instanceClass: "db.t4g.micro", storageEncrypted: true });
            new aws.rds.Instance("prod", { instanceClass: "db.t4g.micro", storageEncrypted: true, tags: { Production: "true" } });
        });
        expect(violationsOf(graph, "rds-deletion-protection").map((v) => v.resourceName)).to.deep.equal(["prod"]);
        expect(evaluate(graph).notApplicable.filter((n) => n.policy === "rds-deletion-protection")).to.have.length(1);
        expect(violationsOf(graph, "rds-deletion-protection", { config: { production: true } }).map((v) => v.resourceName)).to.deep.equal(["dev", "prod"]);
        expect(violationsOf(graph, "rds-deletion-protection", { config: { "pack-settings": { production: true } } })).to.have.length(2);
    });

    describe("waivers", () => {
        const reason = "Legacy reporting job, replaced in Q3 (JIRA-123)";

        it("waives by config (urn or name): still reported, as waived and advisory", () => {
            const urn = db.one("aws:rds/instance:Instance").urn;
            for (const waiver of [{ rule: "rds-storage-encrypted", urn, reason }, { rule: "rds-storage-encrypted", name: "db", reason }]) {
                const [v] = violationsOf(db, "rds-storage-encrypted", { config: { waivers: [waiver] } });
                expect(v).to.deep.include({ level: "advisory", waived: { reason, source: "config" } });
                expect(v.message).to.contain("storageEncrypted");
            }
        });

        it("waives by AWS tag and Kubernetes annotation", async () => {
            const { graph } = await record(() => {
                new aws.rds.Instance("db", { instanceClass: "db.t4g.micro", tags: { "scaling-toolkit:waive:rds-storage-encrypted": reason } });
                new k8s.core.v1.Service("svc", { metadata: { annotations: { "scaling-toolkit.io/waive.k8s-no-nodeport": reason } }, spec: { type: "NodePort", ports: [{ port: 80 }] } });
            });
            expect(violationsOf(graph, "rds-storage-encrypted")[0].waived).to.deep.equal({ reason, source: "tag" });
            expect(violationsOf(graph, "k8s-no-nodeport")[0].waived).to.deep.equal({ reason, source: "annotation" });
            expect(violationsOf(graph, "rds-storage-encrypted", { config: { "rds-storage-encrypted": "disabled" } })).to.deep.equal([]);
        });

        it("does not waive with a reason under 10 characters, and reports the waiver itself", async () => {
            const { graph } = await record(() => new aws.rds.Instance("db", { instanceClass: "db.t4g.micro", tags: { "scaling-toolkit:waive:rds-storage-encrypted": "legacy" } }));
            const [unwaived] = violationsOf(graph, "rds-storage-encrypted");
            expect(unwaived.level).to.equal("mandatory");
            expect(unwaived.waived).to.equal(undefined);
            expect(violationsOf(graph, "pack-settings")[0].message).to.contain("no reason of at least 10 characters");
            const owned = { owner: "team-data", expires: "2099-12-31" };
            const config = { waivers: [{ rule: "rds-storage-encrypted", name: "db", reason: "todo", ...owned }, { rule: "no-such-rule", name: "db", reason, ...owned }, { rule: "rds-storage-encrypted", name: "gone", reason, ...owned }] };
            const messages = violationsOf(db, "pack-settings", { config }).map((v) => v.message);
            expect(messages).to.have.length(3);
            expect(messages.join("\n")).to.contain("shorter than 10").and.to.contain("not a rule of this pack").and.to.contain("no such resource");
            expect(violationsOf(db, "rds-storage-encrypted", { config })[0].waived).to.equal(undefined);
        });
    });

    describe("waivers with an owner and an expiry date", () => {
        const reason = "Legacy reporting job, replaced in Q3 (JIRA-123)";
        const waiver = (expires: string) => ({ rule: "rds-storage-encrypted", name: "db", reason, owner: "team-data", expires });

        it("waives through its last day, and no longer from the next day on: then it says so at the rule's level", () => {
            const config = { waivers: [waiver("2026-06-30")] };
            const [until] = violationsOf(db, "rds-storage-encrypted", { config, today: "2026-06-30" });
            expect(until).to.deep.include({ level: "advisory", waived: { reason, source: "config", owner: "team-data", expires: "2026-06-30" } });
            expect(until.message).to.contain(`waived (config: ${reason}; owner team-data, until 2026-06-30)`);
            const [after] = violationsOf(db, "rds-storage-encrypted", { config, today: "2026-07-01" });
            expect(after.level).to.equal("mandatory");
            expect(after.waived).to.equal(undefined);
            expect(after.waiverExpired).to.deep.equal({ expires: "2026-06-30", reason, source: "config", owner: "team-data" });
            expect(after.message).to.match(/^waiver expired on 2026-06-30 \(config: .*\): storageEncrypted is not true/);
        });

        it("reads owner= and expires= at the end of a tag or annotation value", async () => {
            const { graph } = await record(() => {
                new aws.rds.Instance("db", { instanceClass: "db.t4g.micro", tags: { "scaling-toolkit:waive:rds-storage-encrypted": `${reason} owner=alice@example.com expires=2020-01-31` } });
                new k8s.core.v1.Service("svc", { metadata: { annotations: { "scaling-toolkit.io/waive.k8s-no-nodeport": `${reason} owner=team-k8s expires=2099-01-01` } }, spec: { type: "NodePort", ports: [{ port: 80 }] } });
            });
            const report = evaluate(graph, { today: "2026-01-01" });
            const rds = report.violations.find((v) => v.policy === "rds-storage-encrypted")!;
            expect(rds.waiverExpired).to.deep.equal({ expires: "2020-01-31", reason, source: "tag", owner: "alice@example.com" });
            expect(rds.message).to.contain("waiver expired on 2020-01-31");
            expect(report.violations.find((v) => v.policy === "k8s-no-nodeport")!.waived).to.deep.equal({ reason, source: "annotation", owner: "team-k8s", expires: "2099-01-01" });
            expect(report.waivers.map((w) => `${w.status} ${w.rule} ${w.source} ${w.owner} ${w.expires}`).sort()).to.deep.equal([
                "active k8s-no-nodeport annotation team-k8s 2099-01-01",
                "expired rds-storage-encrypted tag alice@example.com 2020-01-31",
            ]);
        });

        it("lists every waiver in the summary: active, expired, invalid and unused", () => {
            const config = { waivers: [
                waiver("2099-12-31"),
                { ...waiver("2020-01-01"), rule: "datastore-not-public" },
                { ...waiver("2099-12-31"), rule: "rds-force-ssl", reason: "short" },
                { ...waiver("2099-12-31"), rule: "s3-versioning" },
            ] };
            const report = evaluate(db, { config, today: "2026-01-01" });
            expect(report.waivers.map((w) => `${w.status} ${w.rule}`)).to.deep.equal([
                "active rds-storage-encrypted", "expired datastore-not-public", "invalid rds-force-ssl", "unused s3-versioning",
            ]);
        });

        it("pack-settings asks config waivers for an owner and a real expiry date", () => {
            const config = { waivers: [{ rule: "rds-storage-encrypted", name: "db", reason }, { ...waiver("2026-02-30"), rule: "datastore-not-public" }] };
            const messages = violationsOf(db, "pack-settings", { config }).map((v) => v.message).join("\n");
            expect(messages).to.contain("give an owner").and.to.contain("give an expiry date").and.to.contain("\"2026-02-30\" is not a date");
            expect(violationsOf(db, "datastore-not-public", { config })[0].waived, "an unreadable date waives nothing").to.equal(undefined);
        });
    });

    describe("npm run policy:check", () => {
        let dir: string;
        const run = (...args: string[]) => {
            const out: string[] = [];
            const err: string[] = [];
            const code = main(args, (l) => out.push(l), (l) => err.push(l));
            return { code, out: out.join("\n"), err: err.join("\n") };
        };
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
            fs.writeFileSync(path.join(dir, "resources.json"), JSON.stringify(db.resources));
            fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify({ resources: db.resources, policyConfig: { all: "advisory" } }));
            fs.writeFileSync(path.join(dir, "broken.json"), "{ not json");
            const w = { name: "db", reason: "Throwaway test database, no data", owner: "team-data", expires: "2099-12-31" };
            fs.writeFileSync(path.join(dir, "waive.json"), JSON.stringify({ waivers: [
                { rule: "rds-storage-encrypted", ...w },
                { rule: "datastore-not-public", ...w },
                { rule: "rds-force-ssl", ...w },
            ] }));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("exits 1 on mandatory violations and prints them", () => {
            const { code, out } = run(path.join(dir, "resources.json"));
            expect(code).to.equal(1);
            expect(out).to.contain("[mandatory/high] rds-storage-encrypted: db (aws:rds/instance:Instance)").and.to.contain("3 mandatory");
            expect(out).to.contain("    fix: Set storageEncrypted: true (and kmsKeyId for a customer-managed key). (README.md#rule-rds-storage-encrypted)");
        });

        it("reads a plan with its policy config, and a --config file; exits 0 when nothing mandatory is left", () => {
            expect(run(path.join(dir, "plan.json")).code).to.equal(0);
            const waived = run(path.join(dir, "resources.json"), "--config", path.join(dir, "waive.json"), "--json");
            expect(waived.code).to.equal(0);
            const report = JSON.parse(waived.out);
            expect(report.violations.filter((v: any) => v.waived)).to.have.length(3);
            expect(report.violations[0]).to.include.keys("severity", "remediation", "docs");
            expect(report.waivers.map((x: any) => `${x.status} ${x.rule} ${x.owner} ${x.expires}`)).to.deep.equal([
                "active rds-storage-encrypted team-data 2099-12-31", "active datastore-not-public team-data 2099-12-31", "active rds-force-ssl team-data 2099-12-31",
            ]);
            expect(run(path.join(dir, "resources.json"), "--config", path.join(dir, "waive.json")).out).to.contain("Waivers (3):\n  active: rds-storage-encrypted on db (config; owner team-data, expires 2099-12-31): Throwaway test database, no data");
        });

        it("exits 2 on unreadable input or config", () => {
            expect(run(path.join(dir, "missing.json")).code).to.equal(2);
            expect(run(path.join(dir, "broken.json")).code).to.equal(2);
            fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify([{ urn: "u" }]));
            expect(run(path.join(dir, "bad.json")).err).to.contain("resources[0] is not a resource");
            fs.writeFileSync(path.join(dir, "badcfg.json"), JSON.stringify({ all: "loud" }));
            expect(run(path.join(dir, "resources.json"), "--config", path.join(dir, "badcfg.json")).code).to.equal(2);
            expect(run().code).to.equal(2);
        });
    });
});
