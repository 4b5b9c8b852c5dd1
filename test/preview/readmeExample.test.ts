import { expect } from "chai";
import * as fs from "fs";
import { README, renderExample, withExample } from "../../scripts/readme-diff-example";

describe("README: the pull-request comment example", function () {
    this.timeout(180_000);

    it("is the comment rendered now from the two prod configurations (npm run docs:diff-example)", async () => {
        const comment = await renderExample();
        expect(comment).to.contain("**Against the base branch:**").and.to.contain("#### ⚠️ Data at risk").and.to.contain("retention 24 months (then drop) -> 36 months (then drop)");
        const readme = fs.readFileSync(README, "utf8");
        expect(withExample(readme, comment) === readme, "README.md's diff example is stale: run npm run docs:diff-example").to.equal(true);
    });
});
