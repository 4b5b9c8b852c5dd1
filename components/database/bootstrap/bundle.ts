/**
 * Builds the code of the database's Lambda functions: one CommonJS file holding the handler and what
 * it needs (the pg client, the Secrets Manager client and, for the schema bootstrap, the SQL), so the
 * asset needs nothing from the runtime but Node.js and the CA bundle. esbuild's output is
 * deterministic, so the same input gives the same code hash.
 */
import type * as Esbuild from "esbuild";
import * as path from "path";
import { cacheRoot, digest, fingerprints, readCacheFile, readCacheJson, unchanged, writeCacheFile } from "../../common/contentCache";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const OPTIONS = {
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    // pg's optional native binding is never used; the runtime has no such module.
    external: ["pg-native"],
} as const;

/** A bundle on disk: the code and the fingerprint of every file esbuild read to build it. */
interface BundleEntry {
    inputs: [string, string][];
    code: string;
}

const memory = new Map<string, string>();

/**
 * Bundles `index.js` (the given contents, resolved from this folder's parent). A bundle is built
 * once: it is kept in memory and on disk (the content cache), keyed by the contents, esbuild's
 * version and the options, and valid while every input file (the handler, pg, the AWS SDK...) is
 * unchanged, so a preview that changes none of them builds nothing.
 */
function bundle(contents: string): string {
    const esbuildPackage = require.resolve("esbuild/package.json");
    const key = digest(readCacheFile(esbuildPackage) ?? "", JSON.stringify(OPTIONS), ROOT, contents);
    const known = memory.get(key);
    if (known !== undefined) {
        return known;
    }
    const file = path.join(cacheRoot(esbuildPackage), "bundle", `${key.slice(0, 32)}.json`);
    const cached = readCacheJson<BundleEntry>(file);
    if (cached && typeof cached.code === "string" && Array.isArray(cached.inputs) && unchanged(cached.inputs)) {
        memory.set(key, cached.code);
        return cached.code;
    }
    // Loaded only to build: a preview that builds nothing does not load esbuild.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy
    const { buildSync } = require("esbuild") as typeof Esbuild;
    const result = buildSync({
        ...OPTIONS,
        external: [...OPTIONS.external],
        stdin: { contents, resolveDir: path.resolve(__dirname, ".."), sourcefile: "index.js", loader: "js" },
        absWorkingDir: ROOT,
        write: false,
        metafile: true,
        logLevel: "silent",
    });
    const code = result.outputFiles[0].text;
    // The stdin module is named after its `sourcefile` in its `resolveDir`: it is the contents, not a file.
    const stdin = path.join(path.resolve(__dirname, ".."), "index.js");
    const inputs = fingerprints(Object.keys(result.metafile.inputs).map((f) => path.resolve(ROOT, f)).filter((f) => f !== stdin));
    if (inputs) {
        writeCacheFile(file, JSON.stringify({ inputs, code }));
    }
    memory.set(key, code);
    return code;
}

/** The schema bootstrap's bundled `index.js` for `sql` (exports `handler`). */
export function bootstrapBundle(sql: string): string {
    return bundle(`module.exports.handler = require("./bootstrap/handler").createHandler(${JSON.stringify(sql)});\n`);
}

/** The partition watch's bundled `index.js` (exports `handler`). */
export function watchBundle(): string {
    return bundle("module.exports.handler = require(\"./watch/handler\").createWatchHandler();\n");
}
