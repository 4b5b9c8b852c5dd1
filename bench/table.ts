/**
 * The benchmarks' results as the Markdown tables of the README's speed section: `bench:preview`
 * and `bench:peer` print them after their JSON, so a run's figures paste in as they were measured.
 */

interface Figures {
    cpuMs: number;
    wallMs: number;
    maxRssMb: number;
    ratioToFloor?: { cpu: number; wall: number };
}

export interface PreviewResult {
    machine: { cpus: number; loadAverage: number[]; node: string };
    inProcess: {
        iterations: number;
        medianMs: { toolkit: number; floor: number; wiredFloor: number };
        ratio: number;
        ratioToWiredFloor: number;
        ratioOfFastest: number;
        deployChecks: { medianMs: number };
        typeCheck: { coldMs: number; cachedMedianMs: number };
    };
    wholeProcess: {
        floor: Figures & { bareCloudResources: number };
        warm: Record<string, Figures>;
        cold?: Record<string, Figures>;
        providers?: string[];
    };
    growth?: {
        rows: { scale: number; services: number; resources: number; cpuMs: number; maxRssMb: number; cpuMsPerResource: number }[];
        marginal: { from: number; to: number; cpuMsPerAddedResource: number; mbPerAddedResource: number }[];
    };
}

export interface PeerResult {
    machine: { cpus: number; loadAverage: number[]; node: string };
    peer: Record<string, string>;
    cdkTemplateResources: number;
    cdkNagFindings: number;
    processes: Record<string, Figures>;
    cpuRatio: { previewTypeCheckToCdkWithNag: number; previewTranspileOnlyToCdkWithNag: number; previewTypeCheckToCdk: number };
    goal: number;
}

const ms = (n: number) => `${Math.round(n)} ms`;
const mb = (n: number) => `${Math.round(n)} MB`;
const x = (n: number | undefined) => (n === undefined ? "" : n.toFixed(2));

function machineLine(machine: PreviewResult["machine"]): string {
    return `Measured in one run on a ${machine.cpus}-core machine (load average ${machine.loadAverage[0]} at the start; Node ${machine.node}): ` +
        "CPU is user + system time of every Node process of the command, peak memory the largest resident set among them.";
}

const WHOLE_PROCESS_ROWS: [group: "warm" | "cold", key: string, label: string][] = [
    ["warm", "transpileOnly", "preview, transpile-only (`PULUMI_NODEJS_TRANSPILE_ONLY=true`), repeated run"],
    ["warm", "typeCheck", "preview with the type check (the default), repeated run"],
    ["warm", "npmRunTypeCheck", "`npm run preview:offline -- --stack prod` (npm's own process included), repeated run"],
    ["cold", "transpileOnly", "preview, transpile-only, cold (empty cache: every module transpiled, the Lambda bundles built)"],
    ["cold", "typeCheck", "preview with the type check, cold (empty cache: the program checked from scratch)"],
    ["cold", "tsNodeTranspileOnly", "before: `ts-node --transpile-only preview/cli.ts` (the old script), bundles from an empty cache"],
];

/** The whole-process table, the in-process line and the growth table. */
export function previewTables(result: PreviewResult): string {
    const { floor, warm, cold } = result.wholeProcess;
    const row = (label: string, f: Figures) =>
        `| ${label} | ${ms(f.cpuMs)} | ${ms(f.wallMs)} | ${mb(f.maxRssMb)} | ${x(f.ratioToFloor?.cpu ?? 1)} | ${x(f.ratioToFloor?.wall ?? 1)} |`;
    const lines = [
        machineLine(result.machine),
        "",
        "| whole process (prod stack, start to exit) | CPU | wall | peak memory | CPU / floor | wall / floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        row(`**floor**: a fresh process loading the same provider SDKs, registering the same ${floor.bareCloudResources} cloud resources bare`, floor),
        ...WHOLE_PROCESS_ROWS.flatMap(([group, key, label]) => {
            const f = (group === "warm" ? warm : cold)?.[key];
            return f ? [row(label, f)] : [];
        }),
    ];
    const p = result.inProcess;
    lines.push("", `In process (modules loaded and warm, ${p.iterations} interleaved runs, medians): the preview ${ms(p.medianMs.toolkit)}, ` +
        `the floor ${ms(p.medianMs.floor)}, the wired floor ${ms(p.medianMs.wiredFloor)}: **${x(p.ratio)}x** the floor, ${x(p.ratioToWiredFloor)}x the wired floor ` +
        `(${x(p.ratioOfFastest)}x comparing the fastest runs); the deploy checks alone ${p.deployChecks.medianMs} ms; ` +
        `the type check from scratch ${ms(p.typeCheck.coldMs)}, with its cache warm ${ms(p.typeCheck.cachedMedianMs)}.`);
    if (result.growth) {
        lines.push("", "| growth (whole process, transpile-only) | services | resources | CPU | CPU per resource | peak memory |", "| --- | ---: | ---: | ---: | ---: | ---: |",
            ...result.growth.rows.map((r) => `| prod x${r.scale} | ${r.services} | ${r.resources} | ${ms(r.cpuMs)} | ${r.cpuMsPerResource} ms | ${mb(r.maxRssMb)} |`),
            "", `Each added resource costs: ${result.growth.marginal.map((m) => `x${m.from} to x${m.to}: ${m.cpuMsPerAddedResource} ms of CPU and ${m.mbPerAddedResource} MB`).join("; ")}.`);
    }
    return `${lines.join("\n")}\n`;
}

/** The peer table and its ratio line. */
export function peerTable(result: PeerResult): string {
    const p = result.processes;
    const row = (label: string, f: Figures) => `| ${label} | ${ms(f.cpuMs)} | ${ms(f.wallMs)} | ${mb(f.maxRssMb)} |`;
    const versions = Object.entries(result.peer).map(([name, version]) => `${name} ${version}`).join(", ");
    const r = result.cpuRatio;
    return [
        machineLine(result.machine),
        "",
        "| peer (whole process, same app) | CPU | wall | peak memory |",
        "| --- | ---: | ---: | ---: |",
        row(`AWS CDK (${versions}): \`app.synth()\` with cdk-nag AwsSolutions (${result.cdkTemplateResources} template resources, ${result.cdkNagFindings} findings)`, p.cdkSynthWithNag),
        row("AWS CDK: `app.synth()` without cdk-nag", p.cdkSynth),
        row("offline preview, transpile-only, repeated run", p.previewTranspileOnly),
        row("offline preview with the type check, repeated run", p.previewTypeCheck),
        "",
        `The preview's CPU as a share of CDK's default synth with cdk-nag: **${x(r.previewTypeCheckToCdkWithNag)}x** with the type check, ` +
        `${x(r.previewTranspileOnlyToCdkWithNag)}x transpile-only (${x(r.previewTypeCheckToCdk)}x against CDK without cdk-nag). Goal: at most ${result.goal}x.`,
        "",
    ].join("\n");
}
