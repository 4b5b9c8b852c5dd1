/**
 * The offline preview's plan: run a project's stack program on the recording runtime, then describe
 * what it would create (resources, outputs, assumed look-ups, policy results) as stable JSON.
 */
import * as fs from "fs";
import * as path from "path";
import { CostReport, estimateFromConfig } from "./cost";
import { DeployCheckSection, runDeployChecks } from "./deployChecks";
import { evaluatePlanPolicies, PolicySection } from "./policies";
import { loadProject, loadStackSettings, ProjectInfo } from "./project";
import { describeProviders, PlanProvider, providerName } from "./providers";
import { registerTranspiler, TRANSPILER_INSTANCE } from "./transpile";
import { TypeCheckError, typeCheckProgram } from "./typecheck";
import { Graph, loadSdk, LookupHandler, record, RecordedLookup, RecordedResource, ROOT_STACK_TYPE, Sdk } from "./runtime";

/** The plan format this preview writes; `--diff` refuses a base plan of another version. */
export const PLAN_VERSION = 2;

/**
 * A resource as written to a plan: the recorded one, with its options only where set, the name of
 * an explicit provider, and (components only) the outputs it registered.
 */
export type PlanResource = Omit<RecordedResource, "provider" | "outputs" | "protect" | "retainOnDelete" | "ignoreChanges" | "deleteBeforeReplace" | "replaceOnChanges"> & {
    protect?: boolean;
    retainOnDelete?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    replaceOnChanges?: string[];
    /** The explicit provider's logical name (see the plan's `providers`); absent: the default provider. */
    provider?: string;
    /** A component's registered outputs (secrets redacted). */
    outputs?: Record<string, unknown>;
};

export interface Plan {
    /** The plan format version. */
    version: typeof PLAN_VERSION;
    project: string;
    stack: string;
    /** Where resources go: explicit providers as configured, default ones from the stack's config. */
    providers: PlanProvider[];
    resources: PlanResource[];
    /** Stack outputs (secrets redacted, unknowns marked). */
    outputs: Record<string, unknown>;
    /** Provider look-ups answered offline: what the plan assumed. */
    lookups: { token: string; result: Record<string, unknown> }[];
    /** What the real provider and AWS would reject at deploy time (README: Deploy checks). */
    deployChecks: DeployCheckSection;
    policies: PolicySection;
    summary: { total: number; byType: Record<string, number> };
    /** The estimated monthly cost (preview/cost/): absent in plans written before it existed. */
    cost?: CostReport;
}

export interface PreviewRun {
    project: ProjectInfo;
    plan: Plan;
    /** The recorded graph with secrets and markers intact (never written out). */
    graph: Graph;
}

/** The directory holding the program's entry module. */
function programDir(main: string): string {
    return fs.existsSync(main) && fs.statSync(main).isDirectory() ? main : path.dirname(main);
}

/**
 * Forgets the program's own modules so it runs afresh (a program reads its config at import time).
 * Libraries stay loaded: dependencies in node_modules, and the preview itself.
 */
function forgetProgramModules(dir: string): void {
    const nodeModules = `${path.sep}node_modules${path.sep}`;
    for (const key of Object.keys(require.cache)) {
        if (key.startsWith(dir + path.sep) && !key.includes(nodeModules) && !key.startsWith(__dirname + path.sep)) {
            delete require.cache[key];
        }
    }
}

interface TsNodeService {
    compile(code: string, fileName: string, lineOffset?: number): string;
}

const compiled = new Map<string, string>();
let memoized = false;

/**
 * Re-running a program re-requires its modules; when ts-node compiles them, remember its output per
 * file and source text so an unchanged module is not transpiled again.
 */
function memoizeTypeScriptCompile(): void {
    const service = (process as unknown as Record<symbol, TsNodeService | undefined>)[Symbol.for("ts-node.register.instance")];
    if (memoized || !service) {
        return;
    }
    const compile = service.compile.bind(service);
    service.compile = (code, fileName, lineOffset) => {
        const key = `${fileName}\0${code}`;
        let js = compiled.get(key);
        if (js === undefined) {
            js = compile(code, fileName, lineOffset);
            compiled.set(key, js);
        }
        return js;
    };
    memoized = true;
}

/** True when the program's entry is TypeScript (a `.ts` file, or a directory with an `index.ts`). */
function isTypeScriptProgram(main: string): boolean {
    if (main.endsWith(".ts")) {
        return true;
    }
    return fs.existsSync(main) && fs.statSync(main).isDirectory() && fs.existsSync(path.join(main, "index.ts")) && !fs.existsSync(path.join(main, "index.js"));
}

/**
 * Lets `require` load a TypeScript program the way the Pulumi language host does: with the
 * project's own typescript and ts-node, else the ones the Pulumi SDK vendors, transpile-only (the
 * type check is apart). With a ts-node that has `create` (8 and later), its output is cached by
 * content (./transpile.ts), so an unchanged program is not transpiled again. Nothing to do when
 * TypeScript is already loadable (the preview itself running under ts-node or that loader).
 */
function registerTypeScript(project: ProjectInfo, sdk: Sdk): void {
    const proc = process as unknown as Record<symbol, unknown>;
    if (proc[Symbol.for("ts-node.register.instance")] || proc[TRANSPILER_INSTANCE] || !isTypeScriptProgram(project.main)) {
        return;
    }
    const fromProject = (id: string) => {
        try {
            return require.resolve(id, { paths: [project.dir] });
        } catch {
            return undefined;
        }
    };
    const tsNode = fromProject("ts-node") ?? path.join(sdk.root, "vendor", "ts-node@7.0.1");
    const typescript = fromProject("typescript") ?? path.join(sdk.root, "vendor", "typescript@3.8.3", "typescript.js");
    const tsconfig = path.join(project.dir, "tsconfig.json");
    const options = {
        compiler: typescript,
        transpileOnly: true,
        project: tsconfig,
        skipProject: !fs.existsSync(tsconfig),
        compilerOptions: { module: "commonjs", moduleResolution: "node", target: "ES2020" },
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded from the project, as the language host does
    const hasCreate = typeof (require(tsNode) as { create?: unknown }).create === "function";
    if (hasCreate) {
        registerTranspiler({ tsNode, options });
    } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- ts-node 7 (the SDK's vendored one) has no service API
        require(tsNode).register(options);
    }
}

/** The version of `@pulumi/aws` a program in `dir` imports, if it has one. */
function awsProviderVersion(dir: string): string | undefined {
    try {
        return (JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json", { paths: [dir] }), "utf8")) as { version?: string }).version;
    } catch {
        return undefined;
    }
}

export interface PreviewOptions {
    policyConfig?: Record<string, unknown>;
    stackTraces?: boolean;
    /** The environment the language host's switches are read from (`PULUMI_NODEJS_TRANSPILE_ONLY`...). @default process.env */
    env?: NodeJS.ProcessEnv;
    /** The day the price snapshot's age is measured against. @default now */
    now?: Date;
    /** More offline answers to provider look-ups (`--lookups`), by token. */
    lookups?: Record<string, LookupHandler>;
}

/** Runs the stack program of the project in `dir` offline and builds its plan. */
export async function previewStack(dir: string, stack: string, options: PreviewOptions = {}): Promise<PreviewRun> {
    const project = loadProject(dir);
    const settings = loadStackSettings(project, stack);
    // The SDK copy the program itself imports: it must be the one the recorder drives.
    const sdk = loadSdk(programDir(project.main));
    // As `pulumi preview`: a TypeScript program that does not type-check does not run.
    const typeCheck = typeCheckProgram(project, { env: options.env, resolveFrom: sdk.root });
    if (typeCheck.diagnostics.length > 0) {
        throw new TypeCheckError(typeCheck.diagnostics);
    }
    registerTypeScript(project, sdk);
    memoizeTypeScriptCompile();
    const { graph, lookups, result } = await record(
        () => sdk.pulumi.runtime.runInPulumiStack(async () => {
            forgetProgramModules(programDir(project.main));
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- run the program as the Pulumi language host does
            return require(project.main);
        }),
        { project: project.name, stack, config: settings.config, secretKeys: settings.secretKeys, sdk, stackTraces: options.stackTraces ?? false, lookups: options.lookups },
    );
    const stackResource = graph.resources.find((r) => r.type === ROOT_STACK_TYPE);
    const region = settings.config["aws:region"];
    const deployChecks = runDeployChecks(graph.resources, { region: typeof region === "string" ? region : undefined, providerVersion: awsProviderVersion(programDir(project.main)) });
    const policies = evaluatePlanPolicies(graph.resources, options.policyConfig);
    const plan = buildPlan(project.name, stack, graph.resources, lookups, stackResource?.outputs ?? (result as Record<string, unknown>) ?? {}, policies, deployChecks, settings.config);
    plan.cost = estimateFromConfig(plan, settings.config, options.now);
    return { project, plan, graph };
}

/** Orders resources by URN and strips providers: the plan is the same for the same code. */
export function buildPlan(project: string, stack: string, resources: RecordedResource[], lookups: RecordedLookup[],
    outputs: Record<string, unknown>, policies: PolicySection, deployChecks: DeployCheckSection = runDeployChecks(resources), config: Record<string, unknown> = {}): Plan {
    const kept = resources
        .filter((r) => !r.type.startsWith("pulumi:providers:"))
        .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    const byType: Record<string, number> = {};
    for (const r of kept) {
        byType[r.type] = (byType[r.type] ?? 0) + 1;
    }
    const seenLookups = new Map<string, { token: string; result: Record<string, unknown> }>();
    for (const l of lookups) {
        seenLookups.set(`${l.token} ${JSON.stringify(l.inputs)}`, { token: l.token, result: l.result });
    }
    const plan: Plan = {
        version: PLAN_VERSION,
        project,
        stack,
        providers: describeProviders(resources, config, lookups),
        resources: kept.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            ...(r.parent ? { parent: r.parent } : {}),
            custom: r.custom,
            inputs: r.inputs,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            ...(r.protect ? { protect: true } : {}),
            ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
            ...(r.ignoreChanges.length ? { ignoreChanges: r.ignoreChanges } : {}),
            ...(r.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
            ...(r.replaceOnChanges?.length ? { replaceOnChanges: r.replaceOnChanges } : {}),
            ...(r.provider ? { provider: providerName(r.provider) } : {}),
            ...(!r.custom && r.type !== "pulumi:pulumi:Stack" && r.outputs && Object.keys(r.outputs).length ? { outputs: r.outputs } : {}),
        })),
        outputs,
        lookups: [...seenLookups.values()].sort((a, b) => a.token.localeCompare(b.token)),
        deployChecks,
        policies,
        summary: { total: kept.length, byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => a.localeCompare(b))) },
    };
    // Through JSON: secrets become "[secret]", unknowns "(known after apply)"; key order is fixed.
    return JSON.parse(JSON.stringify(plan, sortedKeys)) as Plan;
}

/** JSON replacer giving objects a stable key order. */
function sortedKeys(_key: string, value: unknown): unknown {
    if (value !== null && typeof value === "object" && !Array.isArray(value) && (value as object).constructor === Object) {
        return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
}

/** Serialises a plan as written by `--json`. */
export function planToJson(plan: Plan): string {
    return `${JSON.stringify(plan, null, 2)}\n`;
}

// The diff against a base plan lives in preview/diff/; these names stay importable from here. It is
// loaded when a diff is asked for: a preview without --diff does not pay for loading it.
type DiffModule = typeof import("./diff");
export function diffPlans(...args: Parameters<DiffModule["diffPlans"]>): ReturnType<DiffModule["diffPlans"]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
    return (require("./diff") as DiffModule).diffPlans(...args);
}
export type { DiffOptions, PlanDiff, PropertyChange, ResourceChange } from "./diff";
