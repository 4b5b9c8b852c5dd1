/**
 * The type check `pulumi preview` runs on a TypeScript program, done the way the Pulumi Node.js
 * language host does it (`@pulumi/pulumi/cmd/run/run.js`):
 *
 * - It applies when the project's runtime option `typescript` is not `false` and the entry is
 *   TypeScript. It is off when `PULUMI_NODEJS_TRANSPILE_ONLY` is set (to `true`), or, when that is
 *   unset, when the tsconfig's own `compilerOptions.noCheck` is true. The tsconfig is
 *   `PULUMI_NODEJS_TSCONFIG_PATH` (default `tsconfig.json`) in the project directory.
 * - The compiler options are the ones ts-node gets there: `target ES2020`, `module`/`moduleResolution`
 *   `nodenext` (TypeScript 4.7+, else `commonjs`/`node`), `sourceMap`, then the tsconfig's own
 *   `compilerOptions`; ts-node then adds its own (it reads the whole tsconfig, `extends` included,
 *   and forces `declaration: false`...). With the project's ts-node, it computes them itself.
 * - The files checked are the program's TypeScript files ts-node would compile (not declaration
 *   files, not `node_modules`); ts-node's ignored diagnostics (6059, 18002, 18003 and the
 *   tsconfig's `ts-node.ignoreDiagnostics`) are left out. Errors are formatted as ts-node's TSError:
 *   `file(line,col): error TS<code>: message`, file names relative to the project directory.
 *
 * The CLI stops at the first file with errors (ts-node compiles file by file as they are required);
 * this check reports every file's errors at once.
 *
 * A check is expensive (the provider SDKs' declarations are thousands of files), so its result is
 * cached by content: the compiler version and options, and every file the check read (the program's
 * own files by content hash, files under `node_modules` by size and modification time). An
 * unchanged program is not checked again.
 */
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import { sharingCompilerHost } from "./declarationSharing";
import { cacheRoot, digest, fingerprints, readCacheFile, readCacheJson, unchanged, writeCacheFile } from "../components/common/contentCache";
import { ProjectInfo, UsageError } from "./project";
import { configChain } from "./transpile";

/** The program does not type-check: `pulumi preview` would fail the same way. Exit code 2. */
export class TypeCheckError extends Error {
    constructor(public readonly diagnostics: string[]) {
        super(`the program does not type-check, so \`pulumi preview\` would fail (TSError: ⨯ Unable to compile TypeScript):\n${diagnostics.join("\n")}\n` +
            "(the Pulumi CLI skips this check with PULUMI_NODEJS_TRANSPILE_ONLY=true or tsconfig compilerOptions.noCheck; so does the offline preview)");
        this.name = "TypeCheckError";
    }
}

export interface TypeCheckResult {
    /** Whether the program was checked (false: the switches turned the check off, or it is not TypeScript). */
    checked: boolean;
    /** Why not, when not checked. */
    skipped?: string;
    /** Whether the result came from the cache. */
    cached: boolean;
    /** The formatted errors (empty: the program type-checks). */
    diagnostics: string[];
}

export interface TypeCheckOptions {
    /** The environment the switches are read from. @default process.env */
    env?: NodeJS.ProcessEnv;
    /** Read and write the result cache. @default true */
    cache?: boolean;
    /** The directory `ts-node` and `typescript` are resolved from (the Pulumi SDK's, as the language host does). */
    resolveFrom: string;
}

/** ts-node's own diagnostics ignored by default (`ts-node/dist/index.js`). */
const TS_NODE_IGNORED = [6059, 18002, 18003];

interface TsNodeService {
    config: TS.ParsedCommandLine;
    options: { ignoreDiagnostics?: (string | number)[] };
    ignored(fileName: string): boolean;
}

function resolveFrom(id: string, dir: string): string | undefined {
    try {
        return require.resolve(id, { paths: [dir] });
    } catch {
        return undefined;
    }
}

/** The program's entry file: a directory's `index.js` when it has one (Node loads it first), else its `index.ts`. */
function entryFile(main: string): string {
    if (!fs.existsSync(main) || !fs.statSync(main).isDirectory()) {
        return main;
    }
    return fs.existsSync(path.join(main, "index.js")) ? path.join(main, "index.js") : path.join(main, "index.ts");
}

/** The tsconfig's own `compilerOptions`, read as the language host reads them (no `extends`). */
function ownCompilerOptions(ts: typeof TS, file: string): Record<string, unknown> {
    try {
        const parsed = ts.parseConfigFileTextToJson(file, fs.readFileSync(file, "utf8"));
        return (parsed.config?.compilerOptions as Record<string, unknown> | undefined) ?? {};
    } catch {
        return {};
    }
}

/** The switches, exactly as `run.js` reads them: is the check on, and with which tsconfig. */
export function typeCheckSwitch(project: ProjectInfo, ts: typeof TS, env: NodeJS.ProcessEnv): { check: boolean; why: string; tsconfig: string; exists: boolean } {
    const tsconfig = path.resolve(project.dir, env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
    const exists = fs.existsSync(tsconfig);
    if (env.PULUMI_NODEJS_TSCONFIG_PATH !== undefined && !exists) {
        throw new UsageError(`tsconfig path was set to ${env.PULUMI_NODEJS_TSCONFIG_PATH} but the file was not found (PULUMI_NODEJS_TSCONFIG_PATH)`);
    }
    const fromEnv = env.PULUMI_NODEJS_TRANSPILE_ONLY;
    if (fromEnv) {
        return { check: fromEnv !== "true", why: `PULUMI_NODEJS_TRANSPILE_ONLY=${fromEnv}`, tsconfig, exists };
    }
    const noCheck = exists ? ownCompilerOptions(ts, tsconfig).noCheck : undefined;
    return { check: !noCheck, why: noCheck ? `compilerOptions.noCheck in ${path.relative(project.dir, tsconfig) || tsconfig}` : "", tsconfig, exists };
}

/** The compiler options the language host gives ts-node (`run.js`), before ts-node adds its own. */
function languageHostCompilerOptions(ts: typeof TS, tsconfig: string, exists: boolean): Record<string, unknown> {
    const [major, minor] = ts.version.split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    return {
        target: "ES2020",
        module: nodeNext ? "nodenext" : "commonjs",
        moduleResolution: nodeNext ? "nodenext" : "node",
        sourceMap: "true",
        ...(exists ? ownCompilerOptions(ts, tsconfig) : {}),
    };
}

/** The options and file filter ts-node would use: from the project's ts-node, else an approximation. */
function compilerSetup(ts: typeof TS, tsNodePath: string | undefined, typescriptPath: string, project: ProjectInfo, tsconfig: string, exists: boolean):
    { options: TS.CompilerOptions; ignoredCodes: number[]; ignored: (file: string) => boolean } {
    const compilerOptions = languageHostCompilerOptions(ts, tsconfig, exists);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own ts-node, as the language host loads it
    const tsNode = tsNodePath ? require(tsNodePath) as { create?: (options: Record<string, unknown>) => TsNodeService } : undefined;
    if (tsNode?.create) {
        const service = tsNode.create({
            compiler: typescriptPath, transpileOnly: false, project: tsconfig, skipProject: !exists, compilerOptions, cwd: project.dir, dir: project.dir,
        });
        return {
            options: service.config.options,
            ignoredCodes: [...TS_NODE_IGNORED, ...(service.options.ignoreDiagnostics ?? []).map(Number)],
            ignored: (file) => service.ignored(file),
        };
    }
    // No ts-node of its own: the SDK's vendored ts-node 7 has no API to ask, so parse the same inputs.
    const json = exists ? ts.parseConfigFileTextToJson(tsconfig, fs.readFileSync(tsconfig, "utf8")).config ?? {} : {};
    json.compilerOptions = { ...(json.compilerOptions ?? {}), ...compilerOptions, declaration: false, noEmit: false, sourceMap: true, inlineSourceMap: false };
    const parsed = ts.parseJsonConfigFileContent(json, ts.sys, exists ? path.dirname(tsconfig) : project.dir, undefined, exists ? tsconfig : undefined);
    return { options: parsed.options, ignoredCodes: TS_NODE_IGNORED, ignored: (file) => file.split(path.sep).includes("node_modules") };
}

interface CacheEntry {
    files: [string, string][];
    diagnostics: string[];
}

function readCache(file: string): CacheEntry | undefined {
    const entry = readCacheJson<CacheEntry>(file);
    return entry && Array.isArray(entry.files) && unchanged(entry.files) ? entry : undefined;
}

/**
 * The key of the check without the compiler: what the options are read from (the compiler and
 * ts-node, by version, the tsconfig by path, the switches) and the entry. An entry under it also
 * fingerprints the tsconfig and what it extends, so a hit needs no compiler loaded.
 */
function quickKey(typescriptPath: string, tsNodePath: string | undefined, tsconfig: string, entry: string, env: NodeJS.ProcessEnv): string {
    const version = (file: string | undefined) => file ? readCacheFile(path.join(packageDir(file), "package.json")) ?? "" : "";
    return digest(JSON.stringify([typescriptPath, tsNodePath ?? "", tsconfig, entry, env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "", env.PULUMI_NODEJS_TSCONFIG_PATH ?? ""]),
        version(typescriptPath), version(tsNodePath)).slice(0, 32);
}

/** The package folder of a resolved module file (the folder under the last `node_modules`, scope included). */
function packageDir(file: string): string {
    const parts = file.split(path.sep);
    const at = parts.lastIndexOf("node_modules");
    if (at < 0) {
        return path.dirname(file);
    }
    return parts.slice(0, at + (parts[at + 1]?.startsWith("@") ? 3 : 2)).join(path.sep);
}

/** Type-checks the project's program as `pulumi preview` would; returns the errors (none: it passes). */
export function typeCheckProgram(project: ProjectInfo, options: TypeCheckOptions): TypeCheckResult {
    const env = options.env ?? process.env;
    const entry = entryFile(project.main);
    if (project.typescript === false || !/\.[cm]?tsx?$/.test(entry) || !fs.existsSync(entry)) {
        return { checked: false, skipped: "not a TypeScript program", cached: false, diagnostics: [] };
    }
    const typescriptPath = resolveFrom("typescript", options.resolveFrom) ?? path.join(options.resolveFrom, "vendor", "typescript@3.8.3", "typescript.js");
    const tsNodePath = resolveFrom("ts-node", options.resolveFrom);
    const tsconfig = path.resolve(project.dir, env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
    // The switches that need no compiler: an unchanged program with a cached result loads none.
    if (env.PULUMI_NODEJS_TSCONFIG_PATH !== undefined && !fs.existsSync(tsconfig)) {
        throw new UsageError(`tsconfig path was set to ${env.PULUMI_NODEJS_TSCONFIG_PATH} but the file was not found (PULUMI_NODEJS_TSCONFIG_PATH)`);
    }
    if (env.PULUMI_NODEJS_TRANSPILE_ONLY === "true") {
        return { checked: false, skipped: "PULUMI_NODEJS_TRANSPILE_ONLY=true", cached: false, diagnostics: [] };
    }
    const root = cacheRoot(typescriptPath, env);
    const quickFile = path.join(root, `typecheck-quick-${quickKey(typescriptPath, tsNodePath, tsconfig, entry, env)}.json`);
    if (options.cache !== false) {
        const hit = readCache(quickFile);
        if (hit) {
            return { checked: true, cached: true, diagnostics: hit.diagnostics };
        }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiler the language host would use
    const ts = require(typescriptPath) as typeof TS;
    const { check, why, exists } = typeCheckSwitch(project, ts, env);
    if (!check) {
        return { checked: false, skipped: why, cached: false, diagnostics: [] };
    }
    const setup = compilerSetup(ts, tsNodePath, typescriptPath, project, tsconfig, exists);
    // Where a config file is and where ts-node would emit change no diagnostic: a project whose
    // tsconfig extends another's shares its cache.
    const keyOptions = Object.fromEntries(Object.entries(setup.options).filter(([k]) => k !== "configFilePath" && k !== "outDir"));
    const key = digest(JSON.stringify([ts.version, keyOptions, setup.ignoredCodes, entry])).slice(0, 32);
    const cacheFile = path.join(root, `typecheck-${key}.json`);
    // The quick entry also holds the files the options came from.
    const remember = (entry: CacheEntry) => {
        const configs = exists ? fingerprints(configChain(ts, tsconfig)) : [];
        if (configs) {
            writeCacheFile(quickFile, JSON.stringify({ files: [...configs, ...entry.files], diagnostics: entry.diagnostics }));
        }
    };
    if (options.cache !== false) {
        const hit = readCache(cacheFile);
        if (hit) {
            remember(hit);
            return { checked: true, cached: true, diagnostics: hit.diagnostics };
        }
    }
    const formatted = runCheck(ts, project, entry, setup);
    if (options.cache !== false) {
        const prints = fingerprints(formatted.files);
        if (prints) {
            writeCacheFile(cacheFile, JSON.stringify({ files: prints, diagnostics: formatted.diagnostics }));
            remember({ files: prints, diagnostics: formatted.diagnostics });
        }
    }
    return { checked: true, cached: false, diagnostics: formatted.diagnostics };
}

/** The check itself: the program from its entry, the errors of the files ts-node would compile, formatted as ts-node does. */
function runCheck(ts: typeof TS, project: ProjectInfo, entry: string, setup: ReturnType<typeof compilerSetup>): { diagnostics: string[]; files: string[] } {
    const options = { ...setup.options, noEmit: true };
    const program = ts.createProgram({ rootNames: [entry], options, host: sharingCompilerHost(ts, options) });
    const ignoredCodes = new Set(setup.ignoredCodes);
    const checked = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !setup.ignored(f.fileName));
    const diagnostics = [
        ...program.getOptionsDiagnostics(),
        ...checked.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ].filter((d) => !ignoredCodes.has(d.code));
    const host: TS.FormatDiagnosticsHost = { getCurrentDirectory: () => project.dir, getCanonicalFileName: (f) => f, getNewLine: () => "\n" };
    return {
        diagnostics: diagnostics.map((d) => ts.formatDiagnostics([d], host).trimEnd()),
        files: program.getSourceFiles().map((f) => path.resolve(f.fileName)),
    };
}
