/**
 * Benchmark: the offline preview of the prod stack against its floor, measured in one run.
 *
 * The floor registers the same number of bare `@pulumi/aws` resources (same types, same inputs, no
 * components) directly with the SDK under the same recording mock runtime. The wired floor does the
 * same but passes each input that the program took from other resources as an output of the bare
 * copies, so the SDK resolves the same dependency edges the program has. The ratio says what the
 * toolkit (config validation, components, look-ups, deploy checks, plan building, policy evaluation) adds on top
 * of what any program of that size costs. Target: at most 1.20.
 *
 * It also reports what the type check costs (done as `pulumi preview` does it): once from scratch,
 * and per run with its content cache warm (which every timed preview includes).
 *
 * Usage: npm run bench:preview [-- --iterations N]   (runs node with --expose-gc: each timed run
 * starts from a collected heap, so neither side pays for the other's garbage)
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { spawnSync } from "child_process";
import * as path from "path";
import { parseArgs } from "util";
import { runDeployChecks } from "../preview/deployChecks";
import { previewStack } from "../preview/plan";
import { loadProject } from "../preview/project";
import { loadSdk, record, RecordedResource, reveal, Unknown } from "../preview/runtime";
import { typeCheckProgram } from "../preview/typecheck";

const REPO = path.resolve(__dirname, "..");

type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** `aws:ec2/vpc:Vpc` -> `aws.ec2.Vpc`. */
function classOf(type: string): ResourceClass {
    const [, modulePath, className] = type.split(":");
    const mod = modulePath.split("/")[0];
    const ns = (mod === "index" ? aws : (aws as unknown as Record<string, unknown>)[mod]) as Record<string, unknown>;
    const cls = ns?.[className];
    if (typeof cls !== "function") {
        throw new Error(`no class for ${type}`);
    }
    return cls as ResourceClass;
}

/** Plain inputs: secrets revealed, unknowns dropped (the floor has no dependencies to wait for). */
function plainInputs(r: RecordedResource): Record<string, unknown> {
    const strip = (v: unknown): unknown => v instanceof Unknown ? undefined
        : Array.isArray(v) ? v.map(strip)
            : v !== null && typeof v === "object" && v.constructor === Object ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]))
                : v;
    return strip(reveal(r.inputs)) as Record<string, unknown>;
}

/** Collects garbage first (with --expose-gc), so a run does not pay for the previous run's garbage. */
async function time(fn: () => Promise<unknown>): Promise<number> {
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fastest = (xs: number[]) => Math.min(...xs);

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { iterations: { type: "string", default: "7" } } });
    const iterations = Number(values.iterations);

    // The prod stack's resources, to give the floor the same shape.
    const reference = await previewStack(REPO, "prod");
    const bare = reference.graph.customResources.filter((r) => r.type.startsWith("aws:"));
    const classes = bare.map((r) => ({ cls: classOf(r.type), urn: r.urn, name: r.name, inputs: plainInputs(r), propertyDependencies: r.propertyDependencies }));
    // The same runtime settings the preview uses (no stack traces while recording).
    const options = { project: "scaling-toolkit", stack: "prod", config: { "aws:region": "eu-west-1" }, stackTraces: false };
    const floor = () => record(() => {
        for (const { cls, name, inputs } of classes) {
            new cls(name, inputs);
        }
    }, options);
    // The same resources wired as the program wires them: an input that came from other resources'
    // outputs comes from the bare copies' outputs (same value), so the SDK resolves the same edges.
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

    // Warm both paths (module loading, JIT) before measuring; then interleave the runs.
    await floor();
    await wiredFloor();
    await previewStack(REPO, "prod");
    const toolkitMs: number[] = [];
    const floorMs: number[] = [];
    const wiredMs: number[] = [];
    const project = loadProject(REPO);
    const check = { resolveFrom: loadSdk(path.join(REPO, "stacks")).root };
    const typeCheckColdMs = await time(async () => typeCheckProgram(project, { ...check, cache: false }));
    const typeCheckMs: number[] = [];
    for (let i = 0; i < iterations; i++) {
        toolkitMs.push(await time(() => previewStack(REPO, "prod")));
        typeCheckMs.push(await time(async () => typeCheckProgram(project, check)));
        floorMs.push(await time(floor));
        wiredMs.push(await time(wiredFloor));
    }
    // What a reviewer waits for: one cold `npm run preview:offline -- --stack prod` process.
    const coldStart = process.hrtime.bigint();
    const cold = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(REPO, "preview", "cli.ts"), "--stack", "prod", "--quiet"], { cwd: REPO, encoding: "utf8" });
    const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
    if (cold.status !== 0) {
        throw new Error(`the cold preview failed (exit ${cold.status}): ${cold.stderr}`);
    }
    // What the deploy checks cost on their own, inside the toolkit's time (the prod stack's graph).
    const deployChecksMs: number[] = [];
    for (let i = 0; i < iterations; i++) {
        deployChecksMs.push(await time(async () => runDeployChecks(reference.graph.resources, { region: "eu-west-1" })));
    }
    const t = median(toolkitMs);
    const f = median(floorMs);
    const result = {
        benchmark: "offline preview of the prod stack vs. the same aws resources registered bare",
        resources: { prodPlanTotal: reference.plan.summary.total, bareAwsResources: classes.length },
        iterations,
        medianMs: { toolkit: Math.round(t), floor: Math.round(f), wiredFloor: Math.round(median(wiredMs)) },
        fastestMs: { toolkit: Math.round(fastest(toolkitMs)), floor: Math.round(fastest(floorMs)), wiredFloor: Math.round(fastest(wiredMs)) },
        coldProcessMs: Math.round(coldMs),
        deployChecks: {
            findings: reference.plan.deployChecks.findings.length,
            checkedResources: reference.plan.deployChecks.checked,
            medianMs: Number(median(deployChecksMs).toFixed(1)),
            fastestMs: Number(fastest(deployChecksMs).toFixed(1)),
            shareOfToolkitMedian: Number((median(deployChecksMs) / t).toFixed(3)),
        },
        ratio: Number((t / f).toFixed(2)),
        // Against the same resources with the program's wiring: what components, config validation,
        // the policy pack and the plan add.
        ratioToWiredFloor: Number((t / median(wiredMs)).toFixed(2)),
        // The fastest runs are the least disturbed by other load on the machine.
        ratioOfFastest: Number((fastest(toolkitMs) / fastest(floorMs)).toFixed(2)),
        target: 1.2,
        // The type check: from scratch (a changed program), and with its cache warm (included in each toolkit run).
        typeCheck: { coldMs: Math.round(typeCheckColdMs), cachedMedianMs: Math.round(median(typeCheckMs)), cachedShareOfToolkit: Number((median(typeCheckMs) / t).toFixed(2)) },
    };
    console.log(JSON.stringify(result, null, 2));
}

main().then(() => process.exit(0), (err) => {
    console.error(err);
    process.exit(1);
});
