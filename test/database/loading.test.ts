import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "../..");
const run = promisify(execFile);

describe("PartitionedDatabase module loading", () => {
    it("loading the components loads neither the Lambda handlers nor what only they use (pg, the AWS SDK)", async () => {
        const script = "require('ts-node').register({ transpileOnly: true }); require('./components');"
            + "console.log(JSON.stringify(Object.keys(require.cache)))";
        const { stdout } = await run(process.execPath, ["-e", script], { cwd: ROOT });
        const loaded: string[] = JSON.parse(stdout).map((f: string) => path.relative(ROOT, f));
        expect(loaded).to.include.members(["components/index.ts", "components/database/bootstrap/constants.ts", "components/database/watch/metrics.ts"]);
        expect(loaded.filter((f) => /handler\.ts$|node_modules\/(pg|@aws-sdk)\//.test(f))).to.deep.equal([]);
    });
});
