/** Offline evaluation mirrors the engine: levels from config, notApplicable, unknowns, waivers; and the CLI. */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
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
            const config = { waivers: [{ rule: "rds-storage-encrypted", name: "db", reason: "todo" }, { rule: "no-such-rule", name: "db", reason }, { rule: "rds-storage-encrypted", name: "gone", reason }] };
            const messages = violationsOf(db, "pack-settings", { config }).map((v) => v.message);
            expect(messages).to.have.length(3);
            expect(messages.join("\n")).to.contain("shorter than 10").and.to.contain("not a rule of this pack").and.to.contain("no such resource");
            expect(violationsOf(db, "rds-storage-encrypted", { config })[0].waived).to.equal(undefined);
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
            fs.writeFileSync(path.join(dir, "waive.json"), JSON.stringify({ waivers: [
                { rule: "rds-storage-encrypted", name: "db", reason: "Throwaway test database, no data" },
                { rule: "datastore-not-public", name: "db", reason: "Throwaway test database, no data" },
                { rule: "rds-force-ssl", name: "db", reason: "Throwaway test database, no data" },
            ] }));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("exits 1 on mandatory violations and prints them", () => {
            const { code, out } = run(path.join(dir, "resources.json"));
            expect(code).to.equal(1);
            expect(out).to.contain("[mandatory] rds-storage-encrypted: db (aws:rds/instance:Instance)").and.to.contain("3 mandatory");
        });

        it("reads a plan with its policy config, and a --config file; exits 0 when nothing mandatory is left", () => {
            expect(run(path.join(dir, "plan.json")).code).to.equal(0);
            const waived = run(path.join(dir, "resources.json"), "--config", path.join(dir, "waive.json"), "--json");
            expect(waived.code).to.equal(0);
            const report = JSON.parse(waived.out);
            expect(report.violations.filter((v: any) => v.waived)).to.have.length(3);
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
