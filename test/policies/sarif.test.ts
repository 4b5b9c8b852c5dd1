/**
 * SARIF output (policy:check --sarif, preview --sarif): valid against the SARIF 2.1.0 JSON schema,
 * checked with ajv, and shaped as
 * GitHub code scanning requires (ruleId, a physical location with a relative URI and a region,
 * stable fingerprints, security-severity on rules, a category per stack).
 */
import * as aws from "@pulumi/aws";
import Ajv from "ajv";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { main } from "../../policies/cli";
import { ALL_RULES } from "../../policies/rules";
import { toSarif } from "../../policies/sarif";
import { record } from "../support/harness";
import { evaluate } from "../support/policy";
import { REPO, runCli, tempDir } from "../support/preview";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- ajv's draft-04 meta-schema (the SARIF schema is draft-04)
const DRAFT_04 = require("ajv/lib/refs/json-schema-draft-04.json");
// The SARIF 2.1.0 schema (draft-04) comes from the pinned devDependency @microsoft/jest-sarif@1.0.0-beta.0
// (lib/schemas/sarif-2.1.0-rtm.5.json). That is the last release candidate (rtm.5) of the schema, not
// the final OASIS file: no package found on the npm registry ships the final
// sarif-schema-2.1.0.json. Only the schema file is used, not the package's jest matchers.
const SCHEMA = JSON.parse(fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));

function validator() {
    const ajv = new Ajv({ schemaId: "id", allErrors: true, format: "full" });
    ajv.addMetaSchema(DRAFT_04);
    return ajv.compile(SCHEMA);
}
const validate = validator();

function expectValidSarif(log: unknown): void {
    const ok = validate(log);
    expect(ok, JSON.stringify(validate.errors, null, 2)).to.equal(true);
}

/** What GitHub code scanning checks on upload, beyond the schema. */
function expectUploadable(log: any): void {
    expect(log.version).to.equal("2.1.0");
    expect(log.runs).to.have.length(1);
    const run = log.runs[0];
    expect(run.tool.driver.name).to.equal("scaling-toolkit");
    expect(run.automationDetails.id).to.match(/^scaling-toolkit\/[^/]+\/$/);
    const ruleIds = new Set(run.tool.driver.rules.map((r: { id: string }) => r.id));
    for (const rule of run.tool.driver.rules) {
        expect(Number(rule.properties["security-severity"]), rule.id).to.be.within(0.1, 10);
        expect(rule.shortDescription.text.length, rule.id).to.be.within(1, 1024);
    }
    const fingerprints = new Set<string>();
    for (const result of run.results) {
        expect(ruleIds.has(result.ruleId), result.ruleId).to.equal(true);
        expect(run.tool.driver.rules[result.ruleIndex].id).to.equal(result.ruleId);
        expect(result.message.text).to.be.a("string").and.not.equal("");
        const location = result.locations[0].physicalLocation;
        expect(location.artifactLocation.uri).to.not.match(/^[a-z]+:|^\//i);
        expect(location.region.startLine).to.be.at.least(1);
        fingerprints.add(result.partialFingerprints.primaryLocationLineHash);
    }
    expect(fingerprints.size, "one fingerprint per finding").to.equal(run.results.length);
}

describe("SARIF output", () => {
    const reason = "Throwaway test database, no data";

    it("the schema check itself rejects a log GitHub would refuse (no ruleId-less garbage passes)", () => {
        expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).to.equal(false);
        expect(validate({ version: "2.0.0", runs: [] })).to.equal(false);
    });

    it("is valid SARIF 2.1.0 and uploadable: errors, warnings, waived findings as suppressions, rules with severity", async () => {
        const { graph } = await record(() => {
            new aws.rds.Instance("db", { instanceClass: "db.t4g.micro", engine: "postgres", storageEncrypted: false, publiclyAccessible: true,
                tags: { "scaling-toolkit:waive:datastore-not-public": `${reason} owner=team-data expires=2099-01-01` } });
            new aws.sns.Topic("alarms", {});
        });
        const report = evaluate(graph);
        const log = toSarif(report.violations, { artifact: "stacks/Pulumi.dev.yaml", stack: "dev" }) as any;
        expectValidSarif(log);
        expectUploadable(log);
        const results = log.runs[0].results;
        const byRule = (id: string) => results.find((r: any) => r.ruleId === id);
        expect(byRule("rds-storage-encrypted")).to.include({ level: "error" });
        expect(byRule("sns-topic-kms")).to.include({ level: "warning" });
        expect(byRule("datastore-not-public").suppressions).to.deep.equal([{ kind: "inSource", status: "accepted", justification: reason }]);
        expect(byRule("rds-storage-encrypted").locations[0].logicalLocations[0]).to.deep.include({ name: "db", kind: "resource" });
        const rule = log.runs[0].tool.driver.rules.find((r: any) => r.id === "datastore-not-public");
        expect(rule.properties).to.deep.include({ "security-severity": "9.5", severity: "critical" });
        expect(rule.help.text).to.contain("publiclyAccessible: false").and.to.contain("README.md#rule-datastore-not-public");
        expect(log.runs[0].tool.driver.rules).to.have.length(ALL_RULES.length);
    });

    it("npm run policy:check -- --sarif writes it (disabled rules marked so)", () => {
        const tmp = tempDir("sarif-check-");
        try {
            const resources = path.join(tmp.dir, "resources.json");
            fs.writeFileSync(resources, JSON.stringify([{ urn: "urn:pulumi:dev::shop::aws:sns/topic:Topic::t", type: "aws:sns/topic:Topic", name: "t", inputs: {} }]));
            const config = path.join(tmp.dir, "config.json");
            fs.writeFileSync(config, JSON.stringify({ "log-group-kms": "disabled" }));
            const out = path.join(tmp.dir, "out.sarif");
            expect(main([resources, "--sarif", out, "--config", config], () => undefined, () => undefined)).to.equal(0);
            const log = JSON.parse(fs.readFileSync(out, "utf8"));
            expectValidSarif(log);
            expectUploadable(log);
            expect(log.runs[0].results.map((r: any) => r.ruleId)).to.deep.equal(["sns-topic-kms"]);
            expect(log.runs[0].tool.driver.rules.find((r: any) => r.id === "log-group-kms").defaultConfiguration).to.deep.equal({ level: "none", enabled: false });
            expect(main([resources, "--sarif"], () => undefined, () => undefined), "--sarif needs a file").to.equal(2);
        } finally {
            tmp.cleanup();
        }
    });

    it("the offline preview's --sarif points every finding at the stack's config file", async () => {
        const tmp = tempDir("sarif-preview-");
        try {
            const out = path.join(tmp.dir, "prod.sarif");
            const { code } = await runCli(["--stack", "prod", "--cwd", REPO, "--quiet", "--sarif", out]);
            expect(code).to.equal(0);
            const log = JSON.parse(fs.readFileSync(out, "utf8"));
            expectValidSarif(log);
            expectUploadable(log);
            expect(log.runs[0].automationDetails.id).to.equal("scaling-toolkit/prod/");
            expect(log.runs[0].results.length).to.be.greaterThan(0);
            const uris = new Set(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri));
            expect([...uris]).to.deep.equal([path.relative(process.cwd(), path.join(REPO, "stacks", "Pulumi.prod.yaml"))]);
            expect(log.runs[0].results.every((r: any) => r.level !== "error")).to.equal(true);
        } finally {
            tmp.cleanup();
        }
    });
});
