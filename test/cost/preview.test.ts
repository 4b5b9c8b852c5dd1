/**
 * The estimate in the offline preview: the plan JSON's `cost`, the text and Markdown sections, the
 * snapshot's date and age warning, the budget that fails the preview, and the delta of a changed
 * stack against its base plan.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { RedisCache } from "../../components";
import { costDelta, estimateCost } from "../../preview/cost";
import { BudgetAt } from "../../preview/cost/usage";
import { buildPlan, Plan } from "../../preview/plan";
import { record } from "../support/harness";
import { projectWithConfig, REPO, runCli, tempDir } from "../support/preview";

const net = { vpcId: "vpc-1", isolatedSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c", "subnet-d"] };
const H = 730;

async function cachePlan(nodeType: string, replicasPerShard = 1) {
    const { graph } = await record(() => new RedisCache("prod-cache", { network: net, allowedSecurityGroupIds: ["sg-1"], nodeType, replicasPerShard }), { config: { "aws:region": "eu-west-1" } });
    return buildPlan("t", "prod", graph.resources, [], {}, { pack: null, violations: [] });
}

describe("cost in the preview", function () {
    this.timeout(300_000);
    let tmp: { dir: string; cleanup: () => void };
    beforeEach(() => {
        tmp = tempDir("cost");
    });
    afterEach(() => tmp.cleanup());

    it("writes the estimate into the plan, the text and the comment, with the snapshot's date, the unpriced line and the assumptions", async () => {
        const json = path.join(tmp.dir, "plan.json");
        const md = path.join(tmp.dir, "pr.md");
        const { code, stdout } = await runCli(["--stack", "dev", "--cwd", REPO, "--json", json, "--markdown", md]);
        expect(code).to.equal(0);
        const plan = JSON.parse(fs.readFileSync(json, "utf8")) as Plan;
        const cost = plan.cost!;
        expect(cost.region).to.equal("eu-west-1");
        expect(cost.snapshot.date).to.match(/^\d{4}-\d{2}-\d{2}$/);
        expect(cost.components.map((c) => c.name)).to.include.members(["dev-network", "dev-api", "dev-cache", "dev-db", "dev-api-cd", "dev-web"]);
        const sum = cost.components.reduce((s, c) => s + c.monthly.low, 0);
        expect(cost.stack.monthly.low).to.be.closeTo(sum, 0.01);
        // dev's web service runs on Kubernetes: said to be unpriced, not $0.
        expect(cost.unpriced.filter((u) => u.component === "dev-web").length).to.be.greaterThan(0);
        expect(cost.assumptions.map((a) => a.key)).to.include("natDataGbPerMonth");
        expect(stdout).to.contain(`price snapshot of ${cost.snapshot.date}`);
        expect(stdout).to.match(/unpriced: \d+ resource\(s\) with no price/);
        expect(stdout).to.match(/stack\s+\$[\d,.]+/);
        const markdown = fs.readFileSync(md, "utf8");
        expect(markdown).to.contain("#### Estimated monthly cost");
        expect(markdown).to.contain("**Unpriced**");
        expect(markdown).to.contain("| **stack** |");
    });

    it("fails the preview (exit 1) over the stack's budget, naming the largest contributors", async () => {
        projectWithConfig(tmp.dir, "dev", (config) => {
            config["scaling-toolkit:cost"] = { maxMonthlyUsd: 100 };
        });
        const json = path.join(tmp.dir, "plan.json");
        const { code, stdout, stderr } = await runCli(["--stack", "dev", "--cwd", tmp.dir, "--json", json]);
        expect(code).to.equal(1);
        const budget = (JSON.parse(fs.readFileSync(json, "utf8")) as Plan).cost!.budget!;
        expect(budget.exceeded).to.be.true;
        expect(budget.contributors.length).to.equal(3);
        // The largest: the NAT gateway (32.85 + 2.40 data) beats the t4g.micro database (730 h * $0.017 = 12.41).
        expect(budget.contributors[0]).to.deep.include({ name: "dev-network-nat-0", component: "dev-network" });
        expect(stderr).to.contain("exceeds the budget maxMonthlyUsd $100.00; largest contributors: dev-network-nat-0 (dev-network)");
        expect(stdout).to.contain("[budget exceeded]");
    });

    it("rejects a bad usage config in one line naming the key (exit 2)", async () => {
        projectWithConfig(tmp.dir, "dev", (config) => {
            config["scaling-toolkit:usage"] = { defaults: { natDataGbPerMonth: -3 } };
        });
        const { code, stderr } = await runCli(["--stack", "dev", "--cwd", tmp.dir]);
        expect(code).to.equal(2);
        expect(stderr).to.contain("scaling-toolkit:usage.defaults.natDataGbPerMonth").and.contain("0 or more");
    });

    it("shows the monthly delta of a changed stack per component, with the reason, in the text and the comment", async () => {
        const base = path.join(tmp.dir, "base.json");
        expect((await runCli(["--stack", "prod", "--cwd", REPO, "--json", base, "--quiet"])).code).to.equal(0);
        projectWithConfig(tmp.dir, "prod", (config) => {
            config["scaling-toolkit:cache"].nodeType = "cache.r7g.xlarge";
        });
        const md = path.join(tmp.dir, "pr.md");
        const { code, stdout } = await runCli(["--stack", "prod", "--cwd", tmp.dir, "--diff", base, "--markdown", md]);
        expect(code).to.equal(0);
        const delta = 3 * H * (0.3896 - 0.1944); // 3 nodes * 730 h * ($0.3896 - $0.1944) (Valkey, eu-west-1) = 427.49
        const line = `+$${delta.toFixed(2)}/month: prod-cache node type cache.r7g.large -> cache.r7g.xlarge`;
        expect(stdout).to.contain(line);
        expect(fs.readFileSync(md, "utf8")).to.contain("#### Cost against the base branch").and.contain(line);
    });
});

describe("costDelta", function () {
    this.timeout(60_000);

    it("gives the delta per component and for the stack, with what changed", async () => {
        const base = await cachePlan("cache.r7g.large");
        const head = await cachePlan("cache.r7g.xlarge");
        const withCost = (p: typeof base) => ({ ...p, cost: estimateCost(p, { region: "eu-west-1" }) });
        const delta = costDelta(withCost(base), withCost(head));
        const expected = 2 * H * (0.3896 - 0.1944); // 2 nodes * 730 h * ($0.3896 - $0.1944) = 284.99
        expect(delta.delta.low).to.be.closeTo(expected, 0.01);
        expect(delta.components).to.have.length(1);
        expect(delta.components[0].component).to.equal("prod-cache");
        expect(delta.components[0].reasons).to.deep.equal([`+$${expected.toFixed(2)}/month: prod-cache node type cache.r7g.large -> cache.r7g.xlarge`]);
    });

    it("prices a base plan written without an estimate with the head's region and assumptions, and says what was added", async () => {
        const base = await cachePlan("cache.r7g.large", 0);
        const head = await cachePlan("cache.r7g.large", 2);
        const delta = costDelta(base, { ...head, cost: estimateCost(head, { region: "eu-west-1" }) });
        expect(delta.delta.low).to.be.closeTo(2 * H * 0.1944 + 0.1, 0.01); // 2 more nodes * 730 h * $0.1944 + the replication-lag alarm $0.10
        expect(delta.components[0].reasons.join(" ")).to.contain("num cache clusters 1 -> 3");
    });

    it("warns when the snapshot is older than the accepted age, and names the budget's end of the range", async () => {
        const plan = await cachePlan("cache.r7g.large");
        const old = estimateCost(plan, { region: "eu-west-1", now: new Date("2028-01-01T00:00:00Z") });
        expect(old.snapshot.warning).to.match(/price snapshot is from \d{4}-\d{2}-\d{2}, \d+ days old \(more than maxSnapshotAgeDays 180\)/);
        const fresh = estimateCost(plan, { region: "eu-west-1", now: new Date(`${old.snapshot.date}T12:00:00Z`) });
        expect(fresh.snapshot.warning).to.be.undefined;
        const budget = estimateCost(plan, { region: "eu-west-1", cost: { maxMonthlyUsd: 1000, budgetAt: BudgetAt.Minimum, maxSnapshotAgeDays: 30 } }).budget!;
        expect(budget.exceeded).to.be.false;
        expect(budget.message).to.contain("at the autoscaling minimum is within the budget");
    });
});
