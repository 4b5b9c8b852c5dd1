/**
 * The pack's settings reach the rules explicitly: each evaluation (and the engine's pack) has its
 * own settings, attached to every rule call's args; nothing depends on which module loaded first,
 * and `scaling-toolkit/policies` does not load the preview's recording runtime.
 */
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { expect } from "chai";
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { enginePolicies } from "../../policies/engine";
import { evaluatePolicies, PolicyResource } from "../../policies/evaluate";
import { Concern, isProduction, requireProduction, resourceRule } from "../../policies/rule";
import { PACK_SETTINGS, packSettings } from "../../policies/rules/pack";
import { DEFAULT_SETTINGS, settingsOf, SettingsSource } from "../../policies/settings";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

const seen: boolean[] = [];
const productionOnly = resourceRule({
    name: "test-production-only", description: "Flags production buckets.", why: "test", remediationSteps: "none",
    concern: Concern.DataProtection, enforcementLevel: "mandatory", severity: "low", types: ["aws:s3/bucket:Bucket"],
    check: ({ props }, args) => {
        seen.push(isProduction(props, settingsOf(args)));
        requireProduction(args, props);
        return ["production bucket"];
    },
});
const bucket: PolicyResource = { urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", type: "aws:s3/bucket:Bucket", name: "b", inputs: {} };

function engineArgs(config: Record<string, unknown> = {}): ResourceValidationArgs {
    return {
        type: bucket.type, props: {}, urn: bucket.urn, name: bucket.name, stackTags: new Map(),
        opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
        isType: () => false, asType: () => undefined, getConfig: <T>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`not applicable: ${reason}`);
        },
    } as unknown as ResourceValidationArgs;
}

describe("pack settings, passed explicitly", () => {
    it("each evaluation applies its own settings", () => {
        seen.length = 0;
        const rules = [packSettings, productionOnly];
        expect(evaluatePolicies([bucket], { rules, config: { production: true } }).violations.map((v) => v.policy)).to.deep.equal(["test-production-only"]);
        expect(evaluatePolicies([bucket], { rules }).violations).to.deep.equal([]);
        expect(evaluatePolicies([bucket], { rules, config: { [PACK_SETTINGS]: { production: true } } }).violations).to.have.length(1);
        expect(seen).to.deep.equal([true, false, true]);
    });

    it("in the engine, rules read the pack's SettingsSource: filled by Configure or by pack-settings, per pack", () => {
        const source = new SettingsSource();
        type Check = { validateResource(args: ResourceValidationArgs, report: ReportViolation): void };
        const [settingsPolicy, rule] = enginePolicies([packSettings, productionOnly], source) as unknown as Check[];
        const other = enginePolicies([productionOnly])[0] as unknown as Check;
        const reports: string[] = [];
        const report = ((m: string) => reports.push(m)) as ReportViolation;

        expect(() => rule.validateResource(engineArgs(), report)).to.throw(/not applicable: not production data/);
        source.current = { ...DEFAULT_SETTINGS, production: true };         // what the Configure hook does
        rule.validateResource(engineArgs(), report);
        expect(reports).to.deep.equal(["production bucket"]);
        settingsPolicy.validateResource(engineArgs({ production: false, waivers: [] }), report);   // pack-settings reads its config
        expect(source.current.production).to.equal(false);
        expect(() => rule.validateResource(engineArgs(), report)).to.throw(/not applicable/);
        // Another pack's rules keep their own (default) settings.
        source.current = { ...DEFAULT_SETTINGS, production: true };
        expect(() => other.validateResource(engineArgs(), report)).to.throw(/not applicable/);
    });

    it("scaling-toolkit/policies loads neither the preview's recording runtime nor anything else of preview/", async () => {
        const script = "require('ts-node').register({ transpileOnly: true }); require('./policies/api');"
            + "console.log(JSON.stringify(Object.keys(require.cache).filter((f) => !f.includes('node_modules'))))";
        const { stdout } = await run(process.execPath, ["-e", script], { cwd: ROOT });
        const loaded: string[] = JSON.parse(stdout).map((f: string) => path.relative(ROOT, f));
        expect(loaded).to.include.members(["policies/api.ts", "policies/evaluate.ts", "components/common/values.ts"]);
        expect(loaded.filter((f) => f.startsWith("preview/"))).to.deep.equal([]);
    });
});
