#!/usr/bin/env node
/**
 * `scaling-toolkit-preview` / `npm run preview:offline -- --stack <name>`: the credential-free
 * preview of a Pulumi TypeScript project's stack.
 *
 * Exit codes: 0 clean, 1 deploy-check findings (what the real provider or AWS would reject, listed
 * apart in the "Deploy checks" section), mandatory policy violations, (with --diff) data loss in
 * production not waived, or over the cost budget, 2 bad usage or bad config (including a base plan
 * of another project, stack or plan version).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { costDelta } from "./cost";
import { lookupAnswers } from "./lookups";
import { diffPlans, Plan, planToJson, previewStack } from "./plan";
import { blockingViolations, planSarif } from "./policies";
import { UsageError } from "./project";

/**
 * The renderers and the diff's data-loss rules, loaded when output needs them: a `--quiet` preview
 * without `--diff` or `--markdown` (a CI check of the exit code) does not pay for loading them.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
const render = () => require("./render") as typeof import("./render");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
const dataLoss = () => require("./diff/dataLoss") as typeof import("./diff/dataLoss");

const USAGE = `usage: scaling-toolkit-preview --stack <name> [--cwd <project dir>] [--json <file>] [--markdown <file>]
                               [--diff <base plan.json>] [--comment-limit <chars>] [--report <file>]
                               [--policy-config <file.json>] [--lookups <file.json>] [--sarif <file>]
                               [--quiet] [--verbose]

Runs the stack's Pulumi program offline on the SDK's mock runtime, checks it with the deploy checks and
the policy pack and prints what would be created and what it costs. With --diff, what changes against a
base plan (same project, stack and plan format): creates, updates, replacements naming the property that
forces them, deletions, data at risk, the cost change. --markdown writes the pull-request comment, cut to
fit --comment-limit (default 65536, GitHub's limit); --report writes the same Markdown uncut.
Exit codes: 0 clean, 1 deploy-check findings (what the provider or AWS would reject), mandatory policy
violations, data loss in production not waived or over the stack's cost budget
(scaling-toolkit:cost.maxMonthlyUsd), 2 bad usage or config.`;

/** Errors that are the user's input, not the toolkit's bug: one line, exit 2. */
const INPUT_ERRORS = new Set(["UsageError", "ConfigError", "ValidationError", "UnsupportedLookupError", "PolicyConfigError", "TypeCheckError"]);
/** Errors whose lines are the point (one compiler error, one invalid argument per line), printed as they are. */
const MULTI_LINE_ERRORS = new Set(["TypeCheckError", "ValidationError"]);

/** Another error's message on one line: a list under a heading ending in ":" reads "heading: a; b", not "heading:; - a". */
export function oneLine(message: string): string {
    const lines = message.split("\n").map((l) => l.trim().replace(/^[-*] /, "")).filter(Boolean);
    return lines.reduce((out, line) => out === "" ? line : `${out}${out.endsWith(":") ? " " : "; "}${line}`, "");
}

function readJsonFile(file: string, what: string): unknown {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`cannot read ${what} ${file}: ${(err as Error).message}`);
    }
}

function readBasePlan(file: string): Plan {
    const plan = readJsonFile(file, "base plan") as Partial<Plan>;
    if (!plan || !Array.isArray(plan.resources)) {
        throw new UsageError(`${file} is not a plan written by --json`);
    }
    return plan as Plan;
}

function write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
}

export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
    let verbose = false;
    try {
        let values;
        try {
            ({ values } = parseArgs({
                args: argv,
                options: {
                    stack: { type: "string", short: "s" },
                    cwd: { type: "string", short: "C" },
                    json: { type: "string" },
                    markdown: { type: "string" },
                    diff: { type: "string" },
                    "comment-limit": { type: "string" },
                    report: { type: "string" },
                    "policy-config": { type: "string" },
                    sarif: { type: "string" },
                    lookups: { type: "string" },
                    quiet: { type: "boolean", short: "q" },
                    verbose: { type: "boolean" },
                    help: { type: "boolean", short: "h" },
                },
                strict: true,
                allowPositionals: false,
            }));
        } catch (e) {
            throw new UsageError((e as Error).message);
        }
        verbose = values.verbose ?? false;
        if (values.help) {
            out(`${USAGE}\n`);
            return 0;
        }
        if (!values.stack) {
            throw new UsageError("--stack is required (for this repository: dev, staging or prod)");
        }
        const base = values.diff ? readBasePlan(values.diff) : undefined;
        const limit = values["comment-limit"] === undefined ? undefined : Number(values["comment-limit"]);
        if (limit !== undefined && !(Number.isInteger(limit) && limit >= 2000)) {
            throw new UsageError(`--comment-limit must be a whole number of characters, at least 2000; was ${values["comment-limit"]}`);
        }
        const policyConfig = values["policy-config"] ? readJsonFile(values["policy-config"], "policy config") as Record<string, unknown> : undefined;
        const lookups = values.lookups ? lookupAnswers(readJsonFile(values.lookups, "look-up answers"), values.lookups) : undefined;
        const { plan, project } = await previewStack(values.cwd ?? process.cwd(), values.stack, { policyConfig, stackTraces: verbose, lookups });
        const diff = base ? diffPlans(base, plan, { policyConfig }) : undefined;
        const delta = base ? costDelta(base, plan) : undefined;
        if (!values.quiet) {
            out(render().renderText(plan, diff, delta));
        }
        if (values.json) {
            write(values.json, planToJson(plan));
        }
        if (values.markdown) {
            const fullReport = values.report ? `\`${path.basename(values.report)}\` in the workflow run's \`offline-preview\` artifact` : undefined;
            write(values.markdown, render().renderMarkdown(plan, diff, { limit, fullReport, costDelta: delta }));
        }
        if (values.report) {
            write(values.report, render().renderMarkdown(plan, diff, { limit: Number.MAX_SAFE_INTEGER, costDelta: delta }));
        }
        if (values.sarif) {
            write(values.sarif, planSarif(plan, project.stackConfigDir));
        }
        if (plan.cost?.budget?.exceeded) {
            err(`error: ${plan.cost.budget.message}\n`);
        }
        // Deploy-check findings, mandatory policy violations, data loss in production not waived and
        // a stack over its budget fail the preview.
        return plan.deployChecks.findings.length > 0 || blockingViolations(plan.policies).length > 0
            || (diff !== undefined && dataLoss().blockingDataLoss(diff.dataLoss).length > 0) || plan.cost?.budget?.exceeded ? 1 : 0;
    } catch (e) {
        const error = e as Error;
        const text = MULTI_LINE_ERRORS.has(error?.name) ? String(error.message) : oneLine(String(error?.message ?? error));
        err(INPUT_ERRORS.has(error?.name) ? `error: ${text}\n` : `error: the program failed: ${text}\n`);
        if (verbose && error?.stack) {
            err(`${error.stack}\n`);
        }
        if (error?.name === "UsageError" && !verbose) {
            err("run with --help for usage\n");
        }
        return 2;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
