/**
 * The package.json the npm package ships. In the repository `main` names the TypeScript entry
 * (`components/index.ts`): Pulumi's Node.js language host requires the plugin directory when it hosts
 * the components for other languages (PulumiPlugin.yaml), from a checkout that has no `bin/`. The
 * tarball ships compiled JavaScript only, so there `main` names the compiled entry.
 *
 *   set      (prepack, after the build)  keep a copy of package.json, write `main` = PACKED_MAIN
 *   restore  (postpack)                  put the copy back
 *
 * A copy left by a pack that failed half-way is restored by the next `set`.
 */
import * as fs from "fs";
import * as path from "path";

export const PACKED_MAIN = "bin/components/index.js";
const ROOT = path.resolve(__dirname, "..");
const MANIFEST = path.join(ROOT, "package.json");
const BACKUP = path.join(ROOT, ".package.json.before-pack");

function restore(): void {
    if (fs.existsSync(BACKUP)) {
        fs.renameSync(BACKUP, MANIFEST);
    }
}

function set(): void {
    restore();
    const text = fs.readFileSync(MANIFEST, "utf8");
    if (!fs.existsSync(path.join(ROOT, PACKED_MAIN))) {
        throw new Error(`pack-manifest: ${PACKED_MAIN} is missing: run the build first`);
    }
    fs.writeFileSync(BACKUP, text);
    fs.writeFileSync(MANIFEST, `${JSON.stringify({ ...JSON.parse(text), main: PACKED_MAIN }, null, 2)}\n`);
}

if (require.main === module) {
    const command = process.argv[2];
    if (command === "set") {
        set();
    } else if (command === "restore") {
        restore();
    } else {
        console.error("usage: pack-manifest set|restore");
        process.exitCode = 2;
    }
}
