/**
 * Benchmark: the offline preview of the prod stack against its floor, measured in one run.
 *
 * - In-process: the preview (`previewStack`, modules loaded and warm) against the same cloud
 *   resources registered bare (same types, same inputs, no components) with the SDK under the same
 *   recording mock runtime; the wired floor also passes each input the program took from other
 *   resources as an output of the bare copies, so the SDK resolves the same dependency edges. The
 *   ratio says what the toolkit (config validation, components, look-ups, deploy checks, plan,
 *   policies, cost) adds on top of what any program of that size costs.
 * - Whole process (bench/process.ts): the preview as a user runs it, a fresh process from start to
 *   exit, against a fresh process that loads the same provider modules and registers the same bare
 *   resources; CPU, wall and peak memory of each, transpile-only and with the type check, warm and cold.
 * - Growth (bench/process.ts): the prod stack at 1x, 4x and 16x its services, one process each.
 *
 * Usage: npm run bench:preview [-- --iterations N] [-- --process-iterations N] [-- --no-cold]
 *   (node runs with --expose-gc: each timed in-process run starts from a collected heap, so neither
 *   side pays for the other's garbage)
 */
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { parseArgs } from "util";
import { runDeployChecks } from "../preview/deployChecks";
import { previewStack, PreviewRun } from "../preview/plan";
import { loadProject } from "../preview/project";
import { loadSdk, record } from "../preview/runtime";
import { typeCheckProgram } from "../preview/typecheck";
import { classOf, plainInputs } from "./bare";
import { growth, wholeProcess } from "./process";
import { previewTables } from "./table";

const REPO = path.resolve(__dirname, "..");

/** Collects garbage first (with --expose-gc), so a run does not pay for the previous run's garbage. */
async function time(fn: () => Promise<unknown>): Promise<number> {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fastest = (xs: number[]) => Math.min(...xs);

/** The floors' programs: the prod stack's cloud resources registered bare, unwired and wired. */
function floors(reference: PreviewRun) {
    const bare = reference.graph.customResources.filter((r) => !r.type.startsWith("pulumi:"));
    const classes = bare.map((r) => ({ cls: classOf(r.type), urn: r.urn, name: r.name, inputs: plainInputs(r), propertyDependencies: r.propertyDependencies }));
    // The same runtime settings the preview uses (no stack traces while recording).
    const options = { project: "scaling-toolkit", stack: "prod", config: { "aws:region": "eu-west-1" }, stackTraces: false };
    const floor = () => record(() => {
        for (const { cls, name, inputs } of classes) {
            new cls(name, inputs);
        }
    }, options);
    // An input that came from other resources' outputs comes from the bare copies' outputs (same value).
    const wiredFloor = () => record(() => {
        const created = new Map<string, pulumi.CustomResource>();
        for (const { cls, urn, name, inputs, propertyDependencies } of classes) {
            const wired: Record<string, unknown> = { ...inputs };
            for (const [property, deps] of Object.entries(propertyDependencies)) {
                const sources = deps.map((d) => created.get(d)).filter((d): d is pulumi.CustomResource => d !== undefined);
                if (sources.length > 0 && property in wired) {
                    const value = wired[property];
                    wired[property] = pulumi.all(sources.map((d) => d.id)).apply(() => value);
                }
            }
            created.set(urn, new cls(name, wired));
        }
    }, options);
    return { floor, wiredFloor, count: classes.length };
}

/** The in-process figures: the preview, the floors, the type check and the deploy checks, interleaved. */
async function inProcess(reference: PreviewRun, iterations: number) {
    const { floor, wiredFloor, count } = floors(reference);
    // Warm both paths (module loading, JIT) before measuring; then interleave the runs.
    await floor();
    await wiredFloor();
    await previewStack(REPO, "prod");
    const project = loadProject(REPO);
    const check = { resolveFrom: loadSdk(path.join(REPO, "stacks")).root };
    const typeCheckColdMs = await time(async () => typeCheckProgram(project, { ...check, cache: false }));
    const runs = { toolkit: [] as number[], floor: [] as number[], wiredFloor: [] as number[], typeCheck: [] as number[], deployChecks: [] as number[] };
    for (let i = 0; i < iterations; i++) {
        runs.toolkit.push(await time(() => previewStack(REPO, "prod")));
        runs.typeCheck.push(await time(async () => typeCheckProgram(project, check)));
        runs.floor.push(await time(floor));
        runs.wiredFloor.push(await time(wiredFloor));
        runs.deployChecks.push(await time(async () => runDeployChecks(reference.graph.resources, { region: "eu-west-1" })));
    }
    const t = median(runs.toolkit);
    return {
        resources: { prodPlanTotal: reference.plan.summary.total, bareCloudResources: count },
        iterations,
        medianMs: { toolkit: Math.round(t), floor: Math.round(median(runs.floor)), wiredFloor: Math.round(median(runs.wiredFloor)) },
        fastestMs: { toolkit: Math.round(fastest(runs.toolkit)), floor: Math.round(fastest(runs.floor)), wiredFloor: Math.round(fastest(runs.wiredFloor)) },
        ratio: Number((t / median(runs.floor)).toFixed(2)),
        // Against the same resources with the program's wiring: what components, config validation,
        // the policy pack and the plan add.
        ratioToWiredFloor: Number((t / median(runs.wiredFloor)).toFixed(2)),
        // The fastest runs are the least disturbed by other load on the machine.
        ratioOfFastest: Number((fastest(runs.toolkit) / fastest(runs.floor)).toFixed(2)),
        target: 1.2,
        deployChecks: {
            findings: reference.plan.deployChecks.findings.length,
            checkedResources: reference.plan.deployChecks.checked,
            medianMs: Number(median(runs.deployChecks).toFixed(1)),
            shareOfToolkitMedian: Number((median(runs.deployChecks) / t).toFixed(3)),
        },
        // The type check: from scratch (a changed program), and with its cache warm (included in each toolkit run).
        typeCheck: { coldMs: Math.round(typeCheckColdMs), cachedMedianMs: Math.round(median(runs.typeCheck)) },
    };
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            iterations: { type: "string", default: "7" },
            "process-iterations": { type: "string", default: "3" },
            "no-cold": { type: "boolean", default: false },
            "no-growth": { type: "boolean", default: false },
        },
    });
    // The prod stack's resources, to give the floors the same shape.
    const reference = await previewStack(REPO, "prod");
    const result = {
        benchmark: "offline preview of the prod stack vs. the same cloud resources registered bare",
        machine: { cpus: (await import("os")).cpus().length, loadAverage: (await import("os")).loadavg().map((l) => Number(l.toFixed(2))), node: process.version },
        inProcess: await inProcess(reference, Number(values.iterations)),
        wholeProcess: wholeProcess(reference, { iterations: Number(values["process-iterations"]), cold: !values["no-cold"] }),
        growth: values["no-growth"] ? undefined : growth([1, 4, 16]),
    };
    console.log(JSON.stringify(result, null, 2));
    // The README's tables, ready to paste.
    console.log(`\n${previewTables(result)}`);
}

main().then(() => process.exit(0), (err) => {
    console.error(err);
    process.exit(1);
});
