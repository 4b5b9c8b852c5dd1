import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github", "workflows");
const STACKS = ["dev", "staging", "prod"];
const MARKER = "<!-- scaling-toolkit:offline-preview -->";

/** Scopes a job may be granted, and the only level it may have. */
const ALLOWED_PERMISSIONS: Record<string, string> = { "contents": "read", "pull-requests": "write", "id-token": "write", "security-events": "write" };
/** The only secret any workflow reads: a Pulumi passphrase for passphrase-encrypted stacks, not a cloud key. */
const ALLOWED_SECRETS = new Set(["PULUMI_CONFIG_PASSPHRASE"]);

interface Step { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, any>; env?: Record<string, string>; id?: string; "working-directory"?: string }
interface Job { name?: string; needs?: string | string[]; if?: string; environment?: string; permissions?: Record<string, string>; steps: Step[]; strategy?: any; outputs?: any }
interface Workflow { name: string; on: Record<string, any>; permissions: Record<string, string>; jobs: Record<string, Job>; concurrency?: any }

function load(file: string): { text: string; workflow: Workflow } {
    const text = fs.readFileSync(path.join(WORKFLOWS, file), "utf8");
    return { text, workflow: parse(text) as Workflow };
}

const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
const usesOf = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));

describe("GitHub workflows", () => {
    const files = ["ci.yml", "preview.yml", "deploy.yml"];

    it("are exactly ci, preview and deploy", () => {
        expect(fs.readdirSync(WORKFLOWS).sort()).to.deep.equal([...files].sort());
    });

    for (const file of files) {
        describe(file, () => {
            const { text, workflow } = load(file);

            it("defaults every job to a read-only token and grants each job only what it needs", () => {
                expect(workflow.permissions).to.deep.equal({ contents: "read" });
                for (const [id, job] of Object.entries(workflow.jobs)) {
                    for (const [scope, level] of Object.entries(job.permissions ?? {})) {
                        expect(ALLOWED_PERMISSIONS[scope], `${id}: ${scope}`).to.equal(level);
                    }
                }
                expect(text).to.not.match(/write-all|read-all/);
            });

            it("pins every action to a major version or a commit", () => {
                const used = steps(workflow).map((s) => s.uses).filter((u): u is string => u !== undefined);
                expect(used.length).to.be.greaterThan(0);
                for (const uses of used) {
                    expect(uses).to.match(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
                }
            });

            it("holds no static cloud keys and reads no secret but the Pulumi passphrase", () => {
                expect(text).to.not.match(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws-access-key-id|aws-secret-access-key/i);
                expect(text).to.not.match(/AKIA[0-9A-Z]{16}/);
                const secrets = [...text.matchAll(/secrets\.([A-Za-z0-9_]+)/g)].map((m) => m[1]);
                expect(secrets.filter((s) => !ALLOWED_SECRETS.has(s))).to.deep.equal([]);
            });

            it("assumes cloud roles only through OIDC, and only in jobs that may mint an OIDC token", () => {
                for (const [id, job] of Object.entries(workflow.jobs)) {
                    const aws = usesOf(job, "aws-actions/configure-aws-credentials");
                    expect(job.permissions?.["id-token"] === "write", `${id} id-token`).to.equal(aws.length > 0);
                    for (const step of aws) {
                        expect(step.with?.["role-to-assume"], id).to.match(/^\$\{\{ vars\.[A-Z_]+ \}\}$/);
                    }
                }
            });

            it("never expands pull-request text into a shell script", () => {
                for (const step of steps(workflow).filter((s) => s.run)) {
                    expect(step.run).to.not.match(/\$\{\{\s*github\.event\.(pull_request\.(title|body|head\.ref)|head_commit|comment)/);
                }
            });

            it("does not persist the checkout token", () => {
                for (const step of steps(workflow).filter((s) => s.uses?.startsWith("actions/checkout@"))) {
                    expect(step.with?.["persist-credentials"]).to.equal(false);
                }
            });
        });
    }

    describe("ci.yml", () => {
        const { workflow } = load("ci.yml");

        it("runs on every push and pull request", () => {
            expect(Object.keys(workflow.on).sort()).to.deep.equal(["pull_request", "push"]);
            expect(workflow.on.push).to.equal(null);
            expect(workflow.on.pull_request).to.equal(null);
        });

        it("runs .ci/run on Node 20: the test services, npm ci from the lockfile, then the README's test command", () => {
            const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
            expect(readme).to.match(/^npm ci\s*$/m);
            expect(readme).to.match(/^npm test\b/m);
            const job = Object.values(workflow.jobs)[0];
            const commands = job.steps.filter((s) => s.run).map((s) => s.run!.trim());
            expect(commands).to.deep.equal(["bash .ci/run"]);
            const script = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8").split("\n").map((l) => l.trim());
            const npmCi = script.indexOf("npm ci --no-audit --no-fund");
            expect(npmCi).to.be.greaterThan(-1);
            expect(script.indexOf("npm test")).to.be.greaterThan(npmCi);
            expect(usesOf(job, "actions/setup-node")[0].with).to.include({ "node-version": 20 });
        });
    });

    describe("preview.yml", () => {
        const { workflow } = load("preview.yml");
        const { plan, comment, cloud } = workflow.jobs;

        it("runs on pull requests only, never with the base repository's write token on fork code", () => {
            expect(Object.keys(workflow.on)).to.deep.equal(["pull_request"]);
        });

        it("plans every stack of the base branch and of the pull request, diffing against the base", () => {
            expect(plan.permissions).to.deep.equal({ contents: "read" });
            const checkouts = usesOf(plan, "actions/checkout");
            expect(checkouts.map((s) => s.with?.path)).to.deep.equal(["pr", "base"]);
            expect(checkouts[1].with?.ref).to.equal("${{ github.event.pull_request.base.sha }}");
            const script = runs(plan);
            expect(script).to.contain("for stack in dev staging prod");
            expect(script).to.contain("npm run --silent preview:offline -- --stack \"$stack\" --json \"../plans/base/plan-$stack.json\" --markdown \"../plans/base/preview-$stack.md\"");
            expect(script).to.contain("npm run --silent preview:offline -- --stack \"$stack\" --json \"../plans/pr/plan-$stack.json\" --markdown \"../plans/pr/preview-$stack.md\" " +
                "--comment-limit 21000 --report \"../plans/pr/report-$stack.md\" \"${diff[@]}\"");
            // Only a base plan of the same format is diffed (the preview refuses another: exit 2).
            expect(script).to.contain("version === 2 ? 0 : 1");
            expect(script).to.contain("diff=(--diff \"$base\")");
        });

        it("fails the check when a plan exits non-zero, after the preview is published", () => {
            const names = plan.steps.map((s) => s.name ?? s.uses);
            const fail = plan.steps.find((s) => s.name === "Fail on policy violations or bad configuration")!;
            expect(fail.if).to.equal("steps.plan.outputs.status != '0'");
            expect(names.indexOf(fail.name)).to.equal(names.length - 1);
            expect(names.indexOf("Write the comment")).to.be.lessThan(names.indexOf(fail.name));
        });

        it("writes one Markdown comment starting with the hidden marker, per stack, also to the job summary", () => {
            const step = plan.steps.find((s) => s.id === "comment")!;
            expect(step.env?.MARKER).to.equal(MARKER);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-comment-"));
            try {
                fs.mkdirSync(path.join(dir, "plans", "pr"), { recursive: true });
                fs.writeFileSync(path.join(dir, "plans", "pr", "exit-codes"), "dev 0\nstaging 0\nprod 1\n");
                for (const stack of ["dev", "staging"]) {
                    fs.writeFileSync(path.join(dir, "plans", "pr", `preview-${stack}.md`), `PLAN OF ${stack}\n\`\`\`mermaid\ngraph TD\n\`\`\`\n`);
                }
                const env = { ...process.env, MARKER, HEAD_SHA: "abc123", GITHUB_STEP_SUMMARY: path.join(dir, "summary"), GITHUB_OUTPUT: path.join(dir, "output") };
                execFileSync("bash", ["-eo", "pipefail", "-c", step.run!], { cwd: dir, env });
                const body = fs.readFileSync(path.join(dir, "plans", "comment.md"), "utf8");
                expect(body.split("\n")[0]).to.equal(MARKER);
                expect(body).to.contain("### dev (exit code 0)\n\nPLAN OF dev\n```mermaid");
                expect(body).to.contain("### prod (exit code 1)\n\n_No preview was written");
                expect(fs.readFileSync(path.join(dir, "summary"), "utf8")).to.equal(body);
                expect(fs.readFileSync(path.join(dir, "output"), "utf8")).to.contain("ready=true");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("posts it from a job that may only write pull requests and runs no code from the pull request", () => {
            expect(comment.permissions).to.deep.equal({ "pull-requests": "write" });
            expect(comment.needs).to.equal("plan");
            expect(usesOf(comment, "actions/checkout")).to.have.length(0);
            expect(comment.steps.filter((s) => s.run)).to.have.length(0);
            expect(comment.if).to.contain("github.event.pull_request.head.repo.full_name == github.repository");
            expect(usesOf(comment, "actions/github-script")).to.have.length(1);
        });

        describe("the comment script", () => {
            const step = usesOf(comment, "actions/github-script")[0];

            async function runScript(existing: Array<{ id: number; body: string; user: { type: string } }>, body = `${MARKER}\nplan`) {
                const calls: Array<[string, any]> = [];
                const github = {
                    rest: {
                        issues: {
                            listComments: "listComments",
                            updateComment: async (args: any) => calls.push(["update", args]),
                            createComment: async (args: any) => calls.push(["create", args]),
                        },
                    },
                    paginate: async (method: string, args: any) => {
                        calls.push([method, args]);
                        return existing;
                    },
                };
                const context = { repo: { owner: "acme", repo: "toolkit" }, payload: { pull_request: { number: 7 } } };
                const fakeFs = { readFileSync: () => body };
                const fakeRequire = (name: string) => {
                    expect(name).to.equal("fs");
                    return fakeFs;
                };
                const fakeProcess = { env: { MARKER: step.env!.MARKER } };
                const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
                await new AsyncFunction("github", "context", "require", "process", step.with!.script)(github, context, fakeRequire, fakeProcess);
                return calls;
            }

            it("updates the bot's earlier comment in place", async () => {
                const calls = await runScript([
                    { id: 1, body: `quoting ${MARKER}`, user: { type: "User" } },
                    { id: 2, body: `${MARKER}\nold plan`, user: { type: "Bot" } },
                ]);
                expect(calls.map(([op]) => op)).to.deep.equal(["listComments", "update"]);
                expect(calls[1][1]).to.deep.equal({ owner: "acme", repo: "toolkit", comment_id: 2, body: `${MARKER}\nplan` });
            });

            it("creates the comment when there is none yet", async () => {
                const calls = await runScript([{ id: 1, body: "LGTM", user: { type: "User" } }]);
                expect(calls.map(([op]) => op)).to.deep.equal(["listComments", "create"]);
                expect(calls[1][1]).to.include({ issue_number: 7 });
            });

            it("truncates a preview longer than GitHub accepts, keeping the marker", async () => {
                const calls = await runScript([], `${MARKER}\n${"x".repeat(70000)}`);
                const posted: string = calls[1][1].body;
                expect(posted.length).to.be.at.most(65536);
                expect(posted.startsWith(MARKER)).to.equal(true);
                expect(posted).to.contain("Cut to fit").and.to.contain("`offline-preview` artifact");
            });
        });

        it("uploads every stack's policy findings (--sarif) to code scanning from a job that runs no pull-request code", () => {
            expect(runs(plan)).to.contain("\"${diff[@]}\" --sarif \"../plans/pr/sarif/$stack.sarif\"");
            const scanning = workflow.jobs["code-scanning"];
            expect(scanning.needs).to.equal("plan");
            expect(scanning.permissions).to.deep.equal({ contents: "read", "security-events": "write" });
            expect(scanning.if).to.contain("github.event.pull_request.head.repo.full_name == github.repository");
            expect(scanning.steps.every((s) => !s.run), "no run steps").to.equal(true);
            const [upload] = usesOf(scanning, "github/codeql-action/upload-sarif");
            expect(upload.with).to.include({ sarif_file: "plans/pr/sarif" });
        });

        it("runs pulumi preview with the policy pack per stack only when a preview role is configured, through OIDC", () => {
            expect(cloud.if).to.contain("vars.PULUMI_PREVIEW_ROLE_ARN != ''");
            expect(cloud.permissions).to.deep.equal({ "contents": "read", "id-token": "write" });
            expect(cloud.strategy.matrix.stack).to.deep.equal(STACKS);
            const [pulumi] = usesOf(cloud, "pulumi/actions");
            expect(pulumi.with).to.include({ command: "preview", "stack-name": "${{ matrix.stack }}", policyPacks: "policies" });
            const names = cloud.steps.map((s) => s.uses?.split("@")[0]);
            expect(names.indexOf("aws-actions/configure-aws-credentials")).to.be.lessThan(names.indexOf("pulumi/actions"));
        });
    });

    describe("deploy.yml", () => {
        const { workflow } = load("deploy.yml");
        const jobs = workflow.jobs;

        it("runs on pushes to main only, one deploy at a time, never cancelling one under way", () => {
            expect(workflow.on).to.deep.equal({ push: { branches: ["main"] } });
            expect(workflow.concurrency).to.deep.equal({ group: "deploy", "cancel-in-progress": false });
        });

        it("runs pulumi up with the policy pack in order dev -> staging -> prod", () => {
            expect(Object.keys(jobs)).to.deep.equal(STACKS);
            expect(jobs.dev.needs).to.equal(undefined);
            expect(jobs.staging.needs).to.equal("dev");
            expect(jobs.prod.needs).to.equal("staging");
            for (const stack of STACKS) {
                const [pulumi] = usesOf(jobs[stack], "pulumi/actions");
                expect(pulumi.with, stack).to.include({ command: "up", "stack-name": stack, policyPacks: "policies" });
                expect(runs(jobs[stack])).to.contain("npm ci");
            }
        });

        it("deploys each stack from its own GitHub environment, production behind the protected one", () => {
            expect(jobs.dev.environment).to.equal("dev");
            expect(jobs.staging.environment).to.equal("staging");
            expect(jobs.prod.environment).to.equal("production");
            for (const stack of STACKS) {
                expect(jobs[stack].permissions).to.deep.equal({ "contents": "read", "id-token": "write" });
                expect(jobs[stack].if).to.contain("vars.PULUMI_DEPLOY_ENABLED == 'true'");
            }
        });
    });
});
