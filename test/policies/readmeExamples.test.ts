/** The README's policy configuration examples pass against the stack they describe (the prod stack of this repository). */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { blocking, evaluatePolicies, PolicyConfig } from "../../policies/evaluate";
import { previewStack } from "../../preview/plan";
import { RecordedResource } from "../../preview/runtime";
import { REPO } from "../support/preview";

/** The first ```json block after a README paragraph starting with `marker`. */
function exampleAfter(marker: string): PolicyConfig {
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    const at = readme.indexOf(marker);
    expect(at, marker).to.be.greaterThan(-1);
    const block = /```json\n([\s\S]*?)\n```/.exec(readme.slice(at));
    return JSON.parse(block![1]) as PolicyConfig;
}

describe("README policy configuration examples, against the prod stack", function () {
    this.timeout(120_000);
    let resources: RecordedResource[];
    before(async () => {
        const run = await previewStack(REPO, "prod");
        resources = run.graph.resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
    });
    // The day the examples were written: their waivers expire on dates after it.
    const today = "2026-12-01";

    it("the strict configuration passes with no mandatory finding, its waiver active", () => {
        const config = exampleAfter("**Configuring levels**");
        expect(config.all).to.equal("mandatory");
        const report = evaluatePolicies(resources, { config, today });
        expect(blocking(report).map((v) => `${v.policy} ${v.resourceName}: ${v.message}`)).to.deep.equal([]);
        expect(report.settings.production).to.equal(true);
        expect(report.waivers.filter((w) => w.source === "config").map((w) => `${w.status} ${w.rule} ${w.resource}`)).to.deep.equal(["active secret-rotation prod-cache-auth"]);
        // Without its waiver the same configuration fails: the example is not vacuous.
        const unwaived = { ...config, "pack-settings": { ...(config["pack-settings"] as object), waivers: [] } };
        expect(blocking(evaluatePolicies(resources, { config: unwaived, today })).map((v) => v.policy)).to.deep.equal(["secret-rotation"]);
        // Once the waiver expires, the finding blocks again and says why.
        const expired = blocking(evaluatePolicies(resources, { config, today: "2027-07-01" }));
        expect(expired.map((v) => v.message)).to.deep.equal(["waiver expired on 2027-06-30 (config: Cache AUTH token, rotated by the runbook (ROTATE, then SET); owner team-platform): secret \"prod-cache-auth\" has no rotation schedule"]);
    });

    it("the waiver example names a real resource and waives its finding", () => {
        const config = exampleAfter("**Writing a waiver**");
        const report = evaluatePolicies(resources, { config, today });
        expect(blocking(report)).to.deep.equal([]);
        const waived = report.violations.filter((v) => v.waived?.source === "config");
        expect(waived.map((v) => `${v.policy} ${v.resourceName}`)).to.deep.equal(["lb-access-logs prod-web-alb"]);
    });
});
