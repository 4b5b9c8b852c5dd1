/**
 * The reference pages in docs/reference/ are generated from the TypeScript sources
 * (scripts/reference-docs.ts, `npm run docs`): they must be up to date, and every argument and
 * output must be documented, every optional argument with its default.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { Reference, REFERENCE_DIR, renderReference } from "../../scripts/reference-docs";
import { sourceReference } from "../support/reference";

describe("reference docs", function () {
    this.timeout(120_000);
    let reference: Reference;

    before(() => {
        reference = sourceReference();
    });

    it("has a page for every component of the public API", () => {
        expect(reference.components.map((c) => c.name)).to.include.members(["CiCdPipeline", "KubernetesService", "LoadBalancedService", "Network", "PartitionedDatabase", "RedisCache"]);
        const pages = fs.readdirSync(REFERENCE_DIR).filter((f) => f.endsWith(".md")).sort();
        expect(pages).to.deep.equal(reference.components.map((c) => `${c.name}.md`).sort());
    });

    it("documents every argument (with its default when optional) and every output", () => {
        expect(reference.problems).to.deep.equal([]);
        for (const c of reference.components) {
            expect(c.args.length, c.name).to.be.greaterThan(0);
            expect(c.outputs.length, c.name).to.be.greaterThan(0);
        }
    });

    it("reads types, defaults and descriptions from the sources", () => {
        const lbs = reference.components.find((c) => c.name === "LoadBalancedService")!;
        expect(lbs.args.find((a) => a.name === "deletionProtection")).to.deep.include({ type: "boolean", required: false, default: "true" });
        expect(lbs.args.find((a) => a.name === "image")).to.deep.include({ type: "pulumi.Input<string>", required: true });
        expect(lbs.outputs.map((o) => o.name)).to.include("securityGroupId");
        expect(lbs.types.map((t) => t.name)).to.include.members(["HealthCheckArgs", "ServiceNetworkArgs", "TlsPolicy"]);
    });

    it("matches the committed pages (run `npm run docs` after changing a component's JSDoc)", () => {
        for (const [file, text] of renderReference(reference)) {
            const committed = fs.readFileSync(path.join(REFERENCE_DIR, file), "utf8");
            expect(committed, `docs/reference/${file} is out of date: run npm run docs`).to.equal(text);
        }
    });
});
