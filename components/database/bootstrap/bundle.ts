/**
 * Builds the code of the database's Lambda functions: one CommonJS file holding the handler and what
 * it needs (the pg client, the Secrets Manager client and, for the schema bootstrap, the SQL), so the
 * asset needs nothing from the runtime but Node.js and the CA bundle. esbuild's output is
 * deterministic, so the same input gives the same code hash.
 */
import { buildSync } from "esbuild";
import * as path from "path";

const cache = new Map<string, string>();

/** Bundles `index.js` (the given contents, resolved from this folder's parent). */
function bundle(contents: string): string {
    const cached = cache.get(contents);
    if (cached !== undefined) {
        return cached;
    }
    const result = buildSync({
        stdin: { contents, resolveDir: path.resolve(__dirname, ".."), sourcefile: "index.js", loader: "js" },
        absWorkingDir: path.resolve(__dirname, "..", "..", ".."),
        bundle: true,
        platform: "node",
        target: "node20",
        format: "cjs",
        minify: true,
        legalComments: "none",
        // pg's optional native binding is never used; the runtime has no such module.
        external: ["pg-native"],
        write: false,
        logLevel: "silent",
    });
    const code = result.outputFiles[0].text;
    cache.set(contents, code);
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
