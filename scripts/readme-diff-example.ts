/**
 * `npm run docs:diff-example`: the pull-request comment shown in README.md ("Offline preview: the
 * diff"), rendered for real from two configurations of the prod stack: stacks/Pulumi.prod.yaml as
 * the base branch has it, and the same file with a pull request's changes (more API capacity, an
 * environment variable, no read replica, 36 months of order history instead of 24).
 *
 * `--check` fails when README.md's excerpt is stale (a test runs the same comparison).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { costDelta } from "../preview/cost";
import { diffPlans } from "../preview/diff";
import { previewStack } from "../preview/plan";
import { renderMarkdown } from "../preview/render";

const ROOT = path.resolve(__dirname, "..");
export const README = path.join(ROOT, "README.md");
const START = "<!-- diff-example:start (npm run docs:diff-example) -->";
const END = "<!-- diff-example:end -->";

/** The pull request's edit of the prod stack's config. */
function edit(config: Record<string, Record<string, unknown> & Record<string, unknown>[]>, specFile: string): void {
    const api = config["scaling-toolkit:services"][0] as { maxCapacity?: number; environment?: Record<string, string> };
    api.maxCapacity = 40;
    api.environment = { ...(api.environment ?? {}), ORDERS_QUEUE: "orders-v2" };
    config["scaling-toolkit:database"].readReplicas = 0;
    config["scaling-toolkit:database"].partitionSpecFile = specFile;
}

/** Renders the example comment (the base plan from the repository's prod config). */
export async function renderExample(): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "diff-example-"));
    try {
        const base = (await previewStack(ROOT, "prod")).plan;
        const stacks = path.join(ROOT, "stacks");
        const spec = fs.readFileSync(path.join(stacks, "partitions.yaml"), "utf8").replace("retention: 24 months", "retention: 36 months");
        fs.writeFileSync(path.join(dir, "partitions.yaml"), spec);
        const doc = parse(fs.readFileSync(path.join(stacks, "Pulumi.prod.yaml"), "utf8"));
        edit(doc.config, path.relative(stacks, path.join(dir, "partitions.yaml")));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify({ name: "scaling-toolkit", runtime: { name: "nodejs", options: { typescript: true } }, main: stacks }));
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), stringify(doc));
        const head = (await previewStack(dir, "prod")).plan;
        return renderMarkdown(head, diffPlans(base, head), { costDelta: costDelta(base, head) }).trim();
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The README with `comment` between the example's markers. */
export function withExample(readme: string, comment: string): string {
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) {
        throw new Error(`README.md has no ${START} ... ${END} markers`);
    }
    return `${readme.slice(0, start + START.length)}\n${comment}\n${readme.slice(end)}`;
}

if (require.main === module) {
    renderExample().then((comment) => {
        const readme = fs.readFileSync(README, "utf8");
        const updated = withExample(readme, comment);
        if (process.argv.includes("--check")) {
            if (updated !== readme) {
                process.stderr.write("README.md's diff example is stale: run npm run docs:diff-example\n");
                process.exit(1);
            }
            return;
        }
        fs.writeFileSync(README, updated);
        process.stdout.write(`README.md: diff example of ${comment.length} characters\n`);
    }).catch((err) => {
        process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
        process.exit(2);
    });
}
