/**
 * `npm run partitions:sql -- <spec file> [--no-cron]`: prints the SQL a spec generates, for review
 * or for teams that apply migrations with their own tool.
 */
import { ValidationError } from "../../common/errors";
import { loadPartitioningSpec } from "./load";
import { generatePartitioningSql } from "./sql";

function main(argv: string[]): number {
    const files = argv.filter((a) => !a.startsWith("--"));
    if (files.length !== 1) {
        console.error("usage: npm run partitions:sql -- <spec.yaml|spec.json> [--no-cron]");
        return 2;
    }
    try {
        const spec = loadPartitioningSpec(files[0]);
        process.stdout.write(generatePartitioningSql(spec.tables, {
            maintenanceSchedule: spec.maintenanceSchedule,
            scheduleMaintenance: !argv.includes("--no-cron"),
        }, files[0]));
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
