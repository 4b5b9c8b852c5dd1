/**
 * Loading TypeScript the way ts-node's transpile-only `register` does, with its output cached on
 * disk by content: a module whose source, compiler and options did not change is not transpiled
 * again, and a run whose modules all hit the cache never loads TypeScript at all (loading the
 * compiler and transpiling a program cost more than running it).
 *
 * What is cached is ts-node's own output (`service.compile`: TypeScript's `transpileModule` with the
 * project's tsconfig and the given overrides, the inline source map included), so a module runs
 * exactly as under ts-node; a syntax error is ts-node's TSError, raised on every run (errors are
 * not cached). The key of a module is its path and source text, the ts-node and TypeScript versions,
 * the options, and the content of the tsconfig and every file it extends.
 *
 * As ts-node by default, files under `node_modules` are left to Node. Stack traces map to the
 * TypeScript source when `sourceMaps` is set (Node's own source-map support reads the inline maps).
 *
 * This module imports only Node's built-ins and the content cache (which does the same): the
 * launcher (preview/register.js) loads it before any TypeScript can be loaded.
 */
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import { cacheRoot, digest, fingerprints, readCacheFile, readCacheJson, unchanged, writeCacheFile } from "../components/common/contentCache";

/** The symbol a registered loader is exposed under (as ts-node exposes `ts-node.register.instance`). */
export const TRANSPILER_INSTANCE = Symbol.for("scaling-toolkit.transpile.instance");

export interface TranspileProfile {
    /** ts-node's module (a path require can load: its package folder or entry file). */
    tsNode: string;
    /** The options for ts-node's `create` (`compiler`, `project`, `skipProject`, `compilerOptions`...); `transpileOnly` is always on. */
    options: Record<string, unknown>;
    /** Map stack traces to the TypeScript source (Node's source-map support). @default false */
    sourceMaps?: boolean;
}

interface TsNodeService {
    ts: typeof TS;
    compile(code: string, fileName: string, lineOffset?: number): string;
}

/** A registered loader: how many modules it transpiled and how many came from the cache. */
export interface Transpiler {
    profile: TranspileProfile;
    /** Transpiles (or takes from the cache) one module's source. */
    transpile(code: string, fileName: string): string;
    stats: { cached: number; transpiled: number };
}

/** The version of the package a module path belongs to (the nearest package.json naming a version). */
function packageVersion(modulePath: string): string {
    for (let dir = path.resolve(modulePath); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
        const pkg = readCacheJson<{ name?: string; version?: string }>(path.join(dir, "package.json"));
        if (pkg?.version && pkg.name) {
            return `${pkg.name}@${pkg.version}`;
        }
    }
    return "unknown";
}

/**
 * The tsconfig and every file it extends (the files whose content decides the compiler options),
 * read with TypeScript's own parser.
 */
export function configChain(ts: typeof TS, tsconfig: string): string[] {
    const chain: string[] = [];
    const visit = (file: string) => {
        if (chain.includes(file) || !fs.existsSync(file)) {
            return;
        }
        chain.push(file);
        const parsed = ts.readConfigFile(file, ts.sys.readFile).config as { extends?: string | string[] } | undefined;
        const bases = parsed?.extends === undefined ? [] : Array.isArray(parsed.extends) ? parsed.extends : [parsed.extends];
        for (const base of bases) {
            const dir = path.dirname(file);
            if (base.startsWith(".") || path.isAbsolute(base)) {
                const resolved = path.resolve(dir, base);
                visit(fs.existsSync(resolved) ? resolved : `${resolved}.json`);
            } else {
                try {
                    visit(require.resolve(base, { paths: [dir] }));
                } catch {
                    // An unresolvable base fails in ts-node itself, on the first module transpiled.
                }
            }
        }
    };
    visit(path.resolve(tsconfig));
    return chain;
}

interface ConfigManifest {
    files: [string, string][];
}

/** Creates the loader for a profile (without installing it). */
export function createTranspiler(profile: TranspileProfile): Transpiler {
    const options: Record<string, unknown> = { ...profile.options, transpileOnly: true };
    const compiler = typeof options.compiler === "string" ? options.compiler : require.resolve("typescript", { paths: [path.dirname(profile.tsNode)] });
    const versions = [packageVersion(profile.tsNode), packageVersion(compiler)];
    const root = path.join(cacheRoot(profile.tsNode), "transpile");
    const profileKey = digest(JSON.stringify([versions, options])).slice(0, 32);
    const manifestFile = path.join(root, `config-${profileKey}.json`);
    let service: TsNodeService | undefined;
    const getService = (): TsNodeService => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own ts-node, loaded only when a module must be transpiled
        service ??= (require(profile.tsNode) as { create(o: Record<string, unknown>): TsNodeService }).create(options);
        return service;
    };
    // The options' files (the tsconfig and its bases) by content; checking them needs no compiler.
    let manifest = readCacheJson<ConfigManifest>(manifestFile);
    if (!manifest || !unchanged(manifest.files)) {
        const project = typeof options.project === "string" && !options.skipProject ? options.project : undefined;
        const files = project ? fingerprints(configChain(getService().ts, project)) : [];
        manifest = { files: files ?? [] };
        if (files) {
            writeCacheFile(manifestFile, JSON.stringify(manifest));
        }
    }
    const seed = digest(profileKey, JSON.stringify(manifest.files));
    const memory = new Map<string, string>();
    const stats = { cached: 0, transpiled: 0 };
    const transpile = (code: string, fileName: string): string => {
        const key = digest(seed, fileName, code);
        const file = path.join(root, key.slice(0, 2), `${key}.js`);
        let js = memory.get(key) ?? readCacheFile(file);
        if (js !== undefined) {
            stats.cached++;
        } else {
            js = getService().compile(code, fileName);
            stats.transpiled++;
            writeCacheFile(file, js);
        }
        memory.set(key, js);
        return js;
    };
    return { profile, transpile, stats };
}

const ignored = (file: string) => file.split(/[\\/]/).includes("node_modules");

type Handler = (m: NodeJS.Module & { _compile(code: string, file: string): unknown }, filename: string) => void;

/**
 * Installs the loader for `.ts` and `.tsx` modules (the extensions ts-node compiles by default),
 * unless a loader (this one or ts-node's) is installed already; returns the one in place.
 */
export function registerTranspiler(profile: TranspileProfile): Transpiler | undefined {
    const proc = process as unknown as Record<symbol, unknown>;
    if (proc[TRANSPILER_INSTANCE] || proc[Symbol.for("ts-node.register.instance")]) {
        return proc[TRANSPILER_INSTANCE] as Transpiler | undefined;
    }
    const transpiler = createTranspiler(profile);
    const extensions = require.extensions as unknown as Record<string, Handler>;
    for (const ext of [".ts", ".tsx"]) {
        const previous = extensions[ext] ?? extensions[".js"];
        extensions[ext] = (m, filename) => {
            if (ignored(filename)) {
                return previous(m, filename);
            }
            const compile = m._compile;
            m._compile = function (code: string, file: string) {
                return compile.call(this, transpiler.transpile(code, file), file);
            };
            return previous(m, filename);
        };
    }
    if (profile.sourceMaps) {
        process.setSourceMapsEnabled(true);
    }
    proc[TRANSPILER_INSTANCE] = transpiler;
    return transpiler;
}

/** The installed loader, if any. */
export function registeredTranspiler(): Transpiler | undefined {
    return (process as unknown as Record<symbol, Transpiler | undefined>)[TRANSPILER_INSTANCE];
}
