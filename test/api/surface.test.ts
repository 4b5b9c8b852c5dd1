/**
 * The public API only grows: the surface of `components/index.ts` and `policies/api.ts`, read with the
 * TypeScript compiler, against the committed baseline (api/surface.json, the last release's). A removed
 * or changed export, member, enum value or signature fails; additions pass, except a new required
 * member of an interface callers build. `npm run api:surface -- --write` moves the baseline (README, "Versioning").
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { BASELINE, breakingChanges, readSurface, Surface } from "../../scripts/api-surface";

const ROOT = path.resolve(__dirname, "../..");

describe("public API surface", function () {
    this.timeout(180_000);
    const baseline: Surface = JSON.parse(fs.readFileSync(BASELINE, "utf8"));
    let current: Surface;

    before(() => {
        current = readSurface(ROOT);
    });

    it("the baseline covers both entry points, every component and its Args", () => {
        for (const name of ["Network", "LoadBalancedService", "KubernetesService", "RedisCache", "PartitionedDatabase", "CiCdPipeline"]) {
            expect(baseline["components/index.ts"][name].kinds, name).to.deep.equal(["class"]);
            expect(baseline["components/index.ts"][`${name}Args`].kinds, `${name}Args`).to.deep.equal(["interface"]);
        }
        expect(baseline["components/index.ts"].NetworkArgs.members!.availabilityZoneCount).to.deep.equal({ type: "number | undefined", optional: true });
        expect(baseline["policies/api.ts"].evaluatePolicies.kinds).to.deep.equal(["function"]);
        expect(baseline["components/index.ts"].TlsPolicy.enumMembers).to.not.deep.equal({});
    });

    it("nothing of the baseline is removed or changed in the sources", () => {
        expect(breakingChanges(baseline, current)).to.deep.equal([]);
    });

    describe("what counts as breaking", () => {
        const args = (members: Surface[string][string]["members"]): Surface => ({ "m.ts": { FooArgs: { kinds: ["interface"], members } } });
        const fn = (parameters: { type: string; optional: boolean }[], returns = "void"): Surface => ({ "m.ts": { f: { kinds: ["function"], signatures: [{ parameters, returns }] } } });
        const a = { type: "string | undefined", optional: true };

        it("a removed export, member or enum value, and a changed type", () => {
            const base: Surface = { "m.ts": { E: { kinds: ["enum"], enumMembers: { A: "a", B: "b" } }, X: { kinds: ["variable"], type: "string" }, ...args({ a })["m.ts"] } };
            expect(breakingChanges(base, { "m.ts": {} })).to.have.length(3);
            const now: Surface = { "m.ts": { E: { kinds: ["enum"], enumMembers: { A: "a", B: "c" } }, X: { kinds: ["variable"], type: "number" }, ...args({})["m.ts"] } };
            expect(breakingChanges(base, now)).to.deep.equal([
                "m.ts: E.B (= \"b\") was removed or changed", "m.ts: X: type changed from string to number", "m.ts: FooArgs.a was removed"]);
            expect(breakingChanges(args({ a }), args({ a: { type: "number | undefined", optional: true } }))).to.have.length(1);
            expect(breakingChanges(args({ a }), args({ a: { type: "string", optional: false } }))).to.have.length(1);
        });

        it("additions pass, except a new required member of an Args interface", () => {
            expect(breakingChanges(args({ a }), args({ a, b: a }))).to.deep.equal([]);
            expect(breakingChanges(args({ a }), args({ a, b: { type: "string", optional: false } }))).to.deep.equal(["m.ts: FooArgs.b is a new required member"]);
            expect(breakingChanges({ "m.ts": {} }, args({ a }))).to.deep.equal([]);
        });

        it("a function may take new optional parameters, not new required ones or other types", () => {
            const p = { type: "string", optional: false };
            expect(breakingChanges(fn([p]), fn([p, { type: "number", optional: true }]))).to.deep.equal([]);
            expect(breakingChanges(fn([p]), fn([p, { type: "number", optional: false }]))).to.have.length(1);
            expect(breakingChanges(fn([p]), fn([{ type: "number", optional: false }]))).to.have.length(1);
            expect(breakingChanges(fn([p]), fn([p], "string"))).to.have.length(1);
            expect(breakingChanges(fn([{ type: "string", optional: true }]), fn([p]))).to.have.length(1);
        });
    });
});
