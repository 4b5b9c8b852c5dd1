/**
 * Whole-process figures for bench/preview.ts: each measured command is a fresh process tree, timed
 * from spawn to exit (wall) by this process, its CPU (user + system) and peak resident memory
 * reported by every Node process of it at exit (bench/usage.js through NODE_OPTIONS: `npm run`
 * counts npm's own process too).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import type { PreviewRun } from "../preview/plan";
import { bareResources } from "./bare";

const REPO = path.resolve(__dirname, "..");
const REGISTER = path.join(REPO, "preview", "register.js");
const CLI = path.join(REPO, "preview", "cli.ts");

export interface ProcessRun {
    wallMs: number;
    cpuMs: number;
    maxRssMb: number;
    /** Node processes in the tree. */
    processes: number;
    code: number | null;
}

/** Runs one command as a fresh process tree and measures it. */
export function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): ProcessRun {
    const usageFile = path.join(os.tmpdir(), `bench-usage-${process.pid}-${Date.now()}.jsonl`);
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, BENCH_USAGE_FILE: usageFile, NODE_OPTIONS: `-r ${JSON.stringify(path.join(__dirname, "usage.js"))}` };
    for (const [k, v] of Object.entries(env)) {
        if (v === undefined) {
            delete childEnv[k];
        }
    }
    const start = process.hrtime.bigint();
    const run = spawnSync(command, args, { cwd, env: childEnv, encoding: "utf8", maxBuffer: 64 << 20 });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    const records = fs.existsSync(usageFile) ? fs.readFileSync(usageFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { cpuMs: number; maxRssKb: number }) : [];
    fs.rmSync(usageFile, { force: true });
    if (run.status !== 0) {
        throw new Error(`${command} ${args.join(" ")} exited ${run.status}: ${run.stderr.slice(-2000)}`);
    }
    return {
        wallMs: Math.round(wallMs),
        cpuMs: Math.round(records.reduce((s, r) => s + r.cpuMs, 0)),
        maxRssMb: Math.round(Math.max(0, ...records.map((r) => r.maxRssKb)) / 1024),
        processes: records.length,
        code: run.status,
    };
}

const node = (args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO) => measure(process.execPath, ["-r", REGISTER, ...args], env, cwd);
const TRANSPILE_ONLY = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
const TYPE_CHECK = { PULUMI_NODEJS_TRANSPILE_ONLY: undefined };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median of each figure over the runs. */
function summary(runs: ProcessRun[]) {
    return { cpuMs: median(runs.map((r) => r.cpuMs)), wallMs: median(runs.map((r) => r.wallMs)), maxRssMb: median(runs.map((r) => r.maxRssMb)), runs: runs.length };
}

function ratios(of: ReturnType<typeof summary>, floor: ReturnType<typeof summary>) {
    return { cpu: Number((of.cpuMs / floor.cpuMs).toFixed(2)), wall: Number((of.wallMs / floor.wallMs).toFixed(2)), memory: Number((of.maxRssMb / floor.maxRssMb).toFixed(2)) };
}

/** A fresh, empty cache folder: a run with it transpiles, bundles and type-checks from scratch. */
function emptyCache(): { SCALING_TOOLKIT_CACHE_DIR: string } {
    return { SCALING_TOOLKIT_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bench-cold-cache-")) };
}

/** The `@pulumi/*` provider packages loaded in this process (by the program's runs): not the SDK itself, not the policy SDK. */
function providerPackages(): string[] {
    const names = Object.keys(require.cache).map((f) => /[\\/]node_modules[\\/](@pulumi[\\/][^\\/]+)[\\/]/.exec(f)?.[1]?.replace("\\", "/"));
    return [...new Set(names.filter((n): n is string => n !== undefined && n !== "@pulumi/pulumi" && n !== "@pulumi/policy"))].sort();
}

/**
 * The prod preview as a user runs it against its whole-process floor: warm (the content caches
 * hold the transpiled modules, the Lambda bundle and the type check's result: a repeated run),
 * interleaved; then once cold (an empty cache).
 */
export function wholeProcess(reference: PreviewRun, options: { iterations: number; cold: boolean }) {
    const spec = path.join(os.tmpdir(), `bench-floor-${process.pid}.json`);
    fs.writeFileSync(spec, JSON.stringify({
        resources: bareResources(reference.graph.resources),
        options: { project: "scaling-toolkit", stack: "prod", config: { "aws:region": "eu-west-1" }, stackTraces: false },
        providers: providerPackages(),
    }));
    const commands = {
        floor: () => node([path.join(__dirname, "floor.ts"), spec]),
        transpileOnly: () => node([CLI, "--stack", "prod", "--quiet"], TRANSPILE_ONLY),
        typeCheck: () => node([CLI, "--stack", "prod", "--quiet"], TYPE_CHECK),
        npmRunTypeCheck: () => measure("npm", ["run", "--silent", "preview:offline", "--", "--stack", "prod", "--quiet"], TYPE_CHECK),
    };
    // Fill the caches (a repeated run is what is measured warm).
    Object.values(commands).forEach((c) => c());
    const runs: Record<keyof typeof commands, ProcessRun[]> = { floor: [], transpileOnly: [], typeCheck: [], npmRunTypeCheck: [] };
    for (let i = 0; i < options.iterations; i++) {
        for (const [name, command] of Object.entries(commands)) {
            runs[name as keyof typeof commands].push(command());
        }
    }
    fs.rmSync(spec, { force: true });
    const floor = summary(runs.floor);
    const warm = Object.fromEntries(Object.entries(runs).filter(([n]) => n !== "floor").map(([n, r]) => [n, { ...summary(r), ratioToFloor: ratios(summary(r), floor) }]));
    const cold = options.cold ? coldRuns(floor) : undefined;
    return { floor: { ...floor, bareCloudResources: bareResources(reference.graph.resources).length }, warm, cold, targets: { transpileOnly: 1.25, typeCheckRepeated: 1.5 } };
}

/** Cold runs: an empty cache (everything transpiled, the bundle built, the program checked), and ts-node as before. */
function coldRuns(floor: ReturnType<typeof summary>) {
    const cold = {
        transpileOnly: summary([node([CLI, "--stack", "prod", "--quiet"], { ...TRANSPILE_ONLY, ...emptyCache() })]),
        typeCheck: summary([node([CLI, "--stack", "prod", "--quiet"], { ...TYPE_CHECK, ...emptyCache() })]),
        // `ts-node --transpile-only preview/cli.ts`, the script before the content cache (bundle from an empty cache too).
        tsNodeTranspileOnly: summary([measure(process.execPath, ["-r", "ts-node/register/transpile-only", CLI, "--stack", "prod", "--quiet"], { ...TRANSPILE_ONLY, ...emptyCache() })]),
    };
    return Object.fromEntries(Object.entries(cold).map(([n, s]) => [n, { ...s, ratioToFloor: ratios(s, floor) }]));
}

/** A project running the repository's program with the prod config's services repeated `scale` times. */
function scaledProject(scale: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-growth-${scale}x-`));
    const doc = parse(fs.readFileSync(path.join(REPO, "stacks", "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
    const services = doc.config["scaling-toolkit:services"] as { name: string }[];
    doc.config["scaling-toolkit:services"] = Array.from({ length: scale }, (_, i) => services.map((s) => ({ ...s, name: i === 0 ? s.name : `${s.name}${i + 1}` }))).flat();
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify({ name: "scaling-toolkit", runtime: { name: "nodejs", options: { typescript: true } }, main: path.join(REPO, "stacks") }));
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), stringify(doc));
    return dir;
}

function countServices(dir: string): number {
    const doc = parse(fs.readFileSync(path.join(dir, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown[]> };
    return doc.config["scaling-toolkit:services"].length;
}

/** The prod preview (whole process, transpile-only) at each scale of its services: ms per resource and peak memory. */
export function growth(scales: number[]) {
    const rows = scales.map((scale) => {
        const dir = scaledProject(scale);
        const planFile = path.join(dir, "plan.json");
        const run = node([CLI, "--stack", "prod", "--cwd", dir, "--quiet", "--json", planFile], TRANSPILE_ONLY);
        const resources = (JSON.parse(fs.readFileSync(planFile, "utf8")) as { summary: { total: number } }).summary.total;
        const services = countServices(dir);
        fs.rmSync(dir, { recursive: true, force: true });
        return { scale, services, resources, cpuMs: run.cpuMs, wallMs: run.wallMs, maxRssMb: run.maxRssMb, cpuMsPerResource: Number((run.cpuMs / resources).toFixed(2)) };
    });
    // Linear growth: each added resource costs about the same at every scale.
    const marginal = rows.slice(1).map((r, i) => ({
        from: rows[i].scale, to: r.scale,
        cpuMsPerAddedResource: Number(((r.cpuMs - rows[i].cpuMs) / (r.resources - rows[i].resources)).toFixed(2)),
        mbPerAddedResource: Number(((r.maxRssMb - rows[i].maxRssMb) / (r.resources - rows[i].resources)).toFixed(3)),
    }));
    return { rows, marginal };
}
