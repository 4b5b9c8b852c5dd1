"use strict";
/**
 * `node -r ./preview/register.js file.ts`: runs this repository's TypeScript as
 * `ts-node --transpile-only` does (ts-node's output, same tsconfig), with the output cached by
 * content (preview/transpile.ts), so a run whose sources did not change never loads TypeScript.
 * `npm run preview:offline`, the benchmarks and mocha (.mocharc.json) load it.
 *
 * It is JavaScript because it must run before any TypeScript can: it transpiles the loader's own
 * two modules (preview/transpile.ts and components/common/contentCache.ts, which import only Node's
 * built-ins) with TypeScript's transpileModule, cached by content as well, then hands over.
 * Set SCALING_TOOLKIT_SOURCE_MAPS=1 to map stack traces to the TypeScript lines (Node reads every
 * loaded file's source map then, which costs a second on a preview).
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const REPO = path.resolve(__dirname, "..");
const CACHE = process.env.SCALING_TOOLKIT_CACHE_DIR
    ? path.resolve(process.env.SCALING_TOOLKIT_CACHE_DIR)
    : path.join(REPO, "node_modules", ".cache", "scaling-toolkit-preview");
const TYPESCRIPT = require.resolve("typescript", { paths: [REPO] });

/** The loader's own module, transpiled (or taken from the cache). */
function loaderSource(file, source) {
    const version = JSON.parse(fs.readFileSync(path.join(path.dirname(TYPESCRIPT), "..", "package.json"), "utf8")).version;
    const key = crypto.createHash("sha256").update(`loader\0${version}\0${file}\0${source}`).digest("hex");
    const cached = path.join(CACHE, "transpile", "loader", `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        const ts = require(TYPESCRIPT);
        const js = ts.transpileModule(source, {
            fileName: file,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        try {
            fs.mkdirSync(path.dirname(cached), { recursive: true });
            fs.writeFileSync(`${cached}.${process.pid}.tmp`, js);
            fs.renameSync(`${cached}.${process.pid}.tmp`, cached);
        } catch {
            // Not cached: the next run transpiles it again.
        }
        return js;
    }
}

function loadTranspileModule() {
    const had = Object.prototype.hasOwnProperty.call(require.extensions, ".ts");
    const previous = require.extensions[".ts"];
    require.extensions[".ts"] = (m, filename) => m._compile(loaderSource(filename, fs.readFileSync(filename, "utf8")), filename);
    try {
        return require("./transpile.ts");
    } finally {
        if (had) {
            require.extensions[".ts"] = previous;
        } else {
            delete require.extensions[".ts"];
        }
    }
}

const { registerTranspiler } = loadTranspileModule();

/** The profile of `ts-node --transpile-only` run in this repository. */
registerTranspiler({
    tsNode: require.resolve("ts-node", { paths: [REPO] }),
    options: { project: path.join(REPO, "tsconfig.json"), compiler: TYPESCRIPT, cwd: REPO },
    sourceMaps: process.env.SCALING_TOOLKIT_SOURCE_MAPS === "1",
});
