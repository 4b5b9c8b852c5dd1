/**
 * Benchmark: the offline preview against a peer, AWS CDK, on the same app in one run.
 *
 * The bench installs aws-cdk-lib, constructs and cdk-nag (pinned below; not dependencies of this
 * package) with npm into a temporary folder, kept between runs under the system's temporary folder
 * and reused while the versions are the same, then runs bench/peer-app.js there: the prod stack's
 * equivalent in CDK, checked by cdk-nag's AwsSolutions pack, synthesised by `app.synth()` with
 * CDK's defaults. Both tools are measured as whole processes, start to exit (bench/process.ts):
 * CPU, wall and peak memory, the preview transpile-only and with its type check (cache warm: a
 * repeated run), CDK with and without cdk-nag. Goal: the preview at most 0.25x CDK's CPU.
 *
 * Usage: npm run bench:peer [-- --iterations N]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { measure, ProcessRun } from "./process";
import { peerTable } from "./table";

/** The peer's versions, pinned. */
const PEER = { "aws-cdk-lib": "2.276.0", constructs: "10.8.1", "cdk-nag": "3.0.2" };

const REPO = path.resolve(__dirname, "..");

/** The folder with the peer installed (installs it on the first run). */
function peerFolder(): string {
    const dir = path.join(os.tmpdir(), `scaling-toolkit-bench-peer-${Object.values(PEER).join("-")}`);
    if (!fs.existsSync(path.join(dir, "node_modules", "cdk-nag", "package.json"))) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-peer", private: true }));
        const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact", ...Object.entries(PEER).map(([n, v]) => `${n}@${v}`)],
            { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        if (install.status !== 0) {
            throw new Error(`npm install of the peer failed (exit ${install.status}): ${install.stderr.slice(-2000)}`);
        }
    }
    fs.copyFileSync(path.join(__dirname, "peer-app.js"), path.join(dir, "app.js"));
    return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function summary(runs: ProcessRun[]) {
    return { cpuMs: median(runs.map((r) => r.cpuMs)), wallMs: median(runs.map((r) => r.wallMs)), maxRssMb: median(runs.map((r) => r.maxRssMb)), runs: runs.length };
}

function main(): void {
    const { values } = parseArgs({ options: { iterations: { type: "string", default: "3" } } });
    const dir = peerFolder();
    const appOutput = (nag: boolean) => {
        const run = spawnSync(process.execPath, ["app.js"], { cwd: dir, encoding: "utf8", env: { ...process.env, NAG: nag ? "1" : "0" } });
        if (run.status !== 0) {
            throw new Error(`the CDK app failed (exit ${run.status}): ${run.stderr.slice(-2000)}`);
        }
        return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { resources: number; nagFindings: number };
    };
    const app = appOutput(true);
    const cli = (env: NodeJS.ProcessEnv) => measure(process.execPath, ["-r", path.join(REPO, "preview", "register.js"), path.join(REPO, "preview", "cli.ts"), "--stack", "prod", "--quiet"], env);
    const commands = {
        cdkSynthWithNag: () => measure(process.execPath, ["app.js"], { NAG: "1" }, dir),
        cdkSynth: () => measure(process.execPath, ["app.js"], { NAG: "0" }, dir),
        previewTranspileOnly: () => cli({ PULUMI_NODEJS_TRANSPILE_ONLY: "true" }),
        previewTypeCheck: () => cli({ PULUMI_NODEJS_TRANSPILE_ONLY: undefined }),
    };
    Object.values(commands).forEach((c) => c());
    const runs: Record<string, ProcessRun[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < Number(values.iterations); i++) {
        for (const [name, command] of Object.entries(commands)) {
            runs[name].push(command());
        }
    }
    const s = Object.fromEntries(Object.entries(runs).map(([n, r]) => [n, summary(r)]));
    const ratio = (a: string, b: string) => Number((s[a].cpuMs / s[b].cpuMs).toFixed(2));
    const result = {
        benchmark: "offline preview of the prod stack vs. AWS CDK synth of the same app, whole processes",
        peer: PEER,
        machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))), node: process.version },
        cdkTemplateResources: app.resources,
        cdkNagFindings: app.nagFindings,
        processes: s,
        cpuRatio: {
            previewTypeCheckToCdkWithNag: ratio("previewTypeCheck", "cdkSynthWithNag"),
            previewTranspileOnlyToCdkWithNag: ratio("previewTranspileOnly", "cdkSynthWithNag"),
            previewTypeCheckToCdk: ratio("previewTypeCheck", "cdkSynth"),
        },
        goal: 0.25,
    };
    console.log(JSON.stringify(result, null, 2));
    // The README's table, ready to paste.
    console.log(`\n${peerTable(result)}`);
}

main();
