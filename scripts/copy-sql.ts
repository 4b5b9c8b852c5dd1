/**
 * `npm run build` step: copies the partitioning SQL files (components/database/partitioning/sql/*.sql,
 * read at run time by template.ts) beside the compiled JavaScript in bin/, so the npm package has them.
 */
import { copyFileSync, mkdirSync, readdirSync } from "fs";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");
const FROM = join(ROOT, "components/database/partitioning/sql");
const TO = join(ROOT, "bin/components/database/partitioning/sql");

mkdirSync(TO, { recursive: true });
const files = readdirSync(FROM).filter((f) => f.endsWith(".sql"));
for (const f of files) {
    copyFileSync(join(FROM, f), join(TO, f));
}
// Silent: `npm pack --json` prints its JSON on the same stdout.
if (files.length === 0) {
    throw new Error(`no SQL files in ${FROM}`);
}
