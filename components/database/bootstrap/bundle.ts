/**
 * Builds the bootstrap Lambda's code: one CommonJS file holding the handler, the pg client, the
 * Secrets Manager client and the SQL, so the asset needs nothing from the runtime but Node.js and the
 * CA bundle. esbuild's output is deterministic, so the same SQL gives the same code hash.
 */
import { buildSync } from "esbuild";
import * as path from "path";

const cache = new Map<string, string>();

/** The bundled `index.js` for `sql` (exports `handler`). */
export function bootstrapBundle(sql: string): string {
    const cached = cache.get(sql);
    if (cached !== undefined) {
        return cached;
    }
    const result = buildSync({
        stdin: {
            contents: `module.exports.handler = require("./handler").createHandler(${JSON.stringify(sql)});\n`,
            resolveDir: __dirname,
            sourcefile: "index.js",
            loader: "js",
        },
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
    cache.set(sql, code);
    return code;
}
