/**
 * The usage assumptions and cost settings a stack sets in config: validated with messages that
 * name the key and what is allowed, by the preview and by the stack program alike.
 */
import { expect } from "chai";
import { costSettingsFromConfig } from "../../preview/cost";
import { BudgetAt, ConfigIssue, USAGE_KEYS, validateCostSettings, validateUsage } from "../../preview/cost/usage";
import { stackConfigSchema } from "../../stacks/config";

describe("cost config", () => {
    it("takes defaults and per-resource overrides of known assumptions", () => {
        const issues: ConfigIssue[] = [];
        const usage = validateUsage({ defaults: { natDataGbPerMonth: 200 }, resources: { "prod-network-flow-logs": { logIngestionGbPerMonth: 30 } } }, issues);
        expect(issues).to.deep.equal([]);
        expect(usage).to.deep.equal({ defaults: { natDataGbPerMonth: 200 }, resources: { "prod-network-flow-logs": { logIngestionGbPerMonth: 30 } } });
    });

    it("rejects unknown assumptions, negative or non-numeric values, and unknown keys, naming each", () => {
        const issues: ConfigIssue[] = [];
        validateUsage({ defaults: { natGb: 1, albLcuPerHour: -1 }, resources: { x: { s3StorageGbPerMonth: "5" } }, extra: 1 }, issues);
        expect(issues.map((i) => i.path.join("."))).to.have.members(["usage.extra", "usage.defaults.natGb", "usage.defaults.albLcuPerHour", "usage.resources.x.s3StorageGbPerMonth"]);
        expect(issues.find((i) => i.path.includes("natGb"))!.message).to.contain("albLcuPerHour");
    });

    it("reads the budget, the end of the range it compares and the snapshot's accepted age", () => {
        expect(validateCostSettings(undefined)).to.deep.equal({ budgetAt: BudgetAt.Maximum, maxSnapshotAgeDays: 180 });
        expect(validateCostSettings({ maxMonthlyUsd: 900, budgetAt: "minimum", maxSnapshotAgeDays: 30 })).to.deep.equal({ maxMonthlyUsd: 900, budgetAt: BudgetAt.Minimum, maxSnapshotAgeDays: 30 });
        const issues: ConfigIssue[] = [];
        validateCostSettings({ maxMonthlyUsd: -5, budgetAt: "average", maxSnapshotAgeDays: 1.5, max: 1 }, issues);
        expect(issues.map((i) => i.path.join("."))).to.have.members(["cost.maxMonthlyUsd", "cost.budgetAt", "cost.maxSnapshotAgeDays", "cost.max"]);
    });

    it("fails the preview's config reading with one line naming the key", () => {
        expect(() => costSettingsFromConfig({ "scaling-toolkit:usage": JSON.stringify({ defaults: { natDataGbPerMonth: "lots" } }) }))
            .to.throw(/stack config "scaling-toolkit:usage\.defaults\.natDataGbPerMonth" is invalid; allowed: a number of GB, 0 or more/);
        expect(costSettingsFromConfig({ "aws:region": "eu-west-1" }).region).to.equal("eu-west-1");
    });

    it("is accepted and checked the same way by the stack program's config schema", () => {
        const base = {
            network: { cidrBlock: "10.0.0.0/16", availabilityZones: 2, natGateways: "Single", flowLogRetentionDays: 7 },
            dns: { domain: "dev.example.com", hostedZoneId: "Z0DEV" },
            protections: { deletionProtection: false, logRetentionDays: 7 },
            services: [{ name: "api", image: "nginx:1.27" }],
        };
        expect(stackConfigSchema.safeParse({ ...base, usage: { defaults: { albLcuPerHour: 2 } }, cost: { maxMonthlyUsd: 500 } }).success).to.be.true;
        const bad = stackConfigSchema.safeParse({ ...base, usage: { defaults: { albLcu: 2 } } });
        expect(bad.success).to.be.false;
        expect(bad.error!.issues[0].path).to.deep.equal(["usage", "defaults", "albLcu"]);
    });

    it("documents every assumption with a default, a unit and a description", () => {
        for (const [key, spec] of Object.entries(USAGE_KEYS)) {
            expect(spec.description, key).to.not.be.empty;
            expect(spec.unit, key).to.not.be.empty;
            expect(spec.default, key).to.be.at.least(0);
        }
    });
});
