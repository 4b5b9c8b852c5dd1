/**
 * The README's Cost section shows the dev, staging and prod estimates side by side, generated from
 * the real stacks by scripts/cost-readme.ts (`npm run docs:cost`): this fails when they are stale.
 */
import * as fs from "fs";
import { expect } from "chai";
import { CostReport } from "../../preview/cost";
import { README, renderCostTables, stackCosts, STACKS, withTables } from "../../scripts/cost-readme";

describe("README cost tables", function () {
    this.timeout(300_000);
    let costs: Record<string, CostReport>;
    before(async () => {
        costs = await stackCosts();
    });

    it("are the estimates of the real stacks (run npm run docs:cost when this fails)", () => {
        const readme = fs.readFileSync(README, "utf8");
        expect(withTables(readme, renderCostTables(costs))).to.equal(readme);
    });

    it("cost more from dev to staging to prod, and show each stack's total", () => {
        const totals = STACKS.map((s) => costs[s].stack.monthly.low);
        expect(totals[0]).to.be.lessThan(totals[1]);
        expect(totals[1]).to.be.lessThan(totals[2]);
        const table = renderCostTables(costs);
        for (const s of STACKS) {
            expect(table).to.contain(`$${costs[s].stack.monthly.low.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
        }
    });
});
