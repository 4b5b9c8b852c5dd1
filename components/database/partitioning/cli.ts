/**
 * `npm run --silent partitions:sql -- <spec file> [--out <file>] [--no-cron]`: writes the SQL a spec
 * generates as a psql script (`\set ON_ERROR_STOP on`, then one transaction), for review or for teams
 * that apply migrations with their own tool. With `--out` the file is written only when the whole
 * SQL was generated; without it the script goes to stdout (use npm's `--silent`, or npm's banner
 * lands in the file, and psql then stops at its first line).
 */
import { writeFileSync } from "fs";
import { ValidationError } from "../../common/errors";
import { loadPartitioningSpec } from "./load";
import { generatePartitioningSql, psqlScript } from "./sql";

const USAGE = "usage: npm run --silent partitions:sql -- <spec.yaml|spec.json> [--out <file.sql>] [--no-cron]";

function main(argv: string[]): number {
    const args = [...argv];
    let out: string | undefined;
    const at = args.indexOf("--out");
    if (at >= 0) {
        out = args[at + 1];
        args.splice(at, 2);
        if (out === undefined || out.startsWith("--")) {
            console.error(USAGE);
            return 2;
        }
    }
    const files = args.filter((a) => !a.startsWith("--"));
    const unknown = args.filter((a) => a.startsWith("--") && a !== "--no-cron");
    if (files.length !== 1 || unknown.length > 0) {
        console.error(USAGE);
        return 2;
    }
    try {
        const spec = loadPartitioningSpec(files[0]);
        const script = psqlScript(generatePartitioningSql(spec.tables, {
            maintenanceSchedule: spec.maintenanceSchedule,
            scheduleMaintenance: !args.includes("--no-cron"),
        }, files[0]));
        if (out !== undefined) {
            writeFileSync(out, script);
            console.error(`wrote ${out}: apply it with psql -f ${out}`);
        } else {
            process.stdout.write(script);
        }
        return 0;
    } catch (err) {
        if (err instanceof ValidationError || (err as NodeJS.ErrnoException).code === "ENOENT") {
            console.error((err as Error).message);
            return 1;
        }
        throw err;
    }
}

process.exitCode = main(process.argv.slice(2));
