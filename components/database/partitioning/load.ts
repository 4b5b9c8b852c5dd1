/** Loads a partitioning spec from a JSON or YAML file. */
import { readFileSync } from "fs";
import { extname } from "path";
import { parse as parseYaml } from "yaml";
import { ValidationError } from "../../common/errors";
import { PartitioningSpec } from "./spec";
import { SPEC_COMPONENT } from "./sql";

/**
 * Reads `path` (`.json`, `.yaml` or `.yml`) as a PartitioningSpec. The contents are validated when
 * SQL is generated; here only the file's syntax and top-level shape are checked.
 */
export function loadPartitioningSpec(path: string): PartitioningSpec {
    const text = readFileSync(path, "utf8");
    const ext = extname(path).toLowerCase();
    let data: unknown;
    try {
        data = ext === ".json" ? JSON.parse(text) : parseYaml(text);
    } catch (err) {
        throw new ValidationError(SPEC_COMPONENT, path, [{ argument: "partitionSpecFile", given: `a file that does not parse (${(err as Error).message.split("\n")[0]})`, allowed: "a JSON or YAML document" }]);
    }
    if (![".json", ".yaml", ".yml"].includes(ext) || data === null || typeof data !== "object" || !Array.isArray((data as PartitioningSpec).tables)) {
        throw new ValidationError(SPEC_COMPONENT, path, [{ argument: "partitionSpecFile", given: JSON.stringify(path), allowed: "a .json, .yaml or .yml file holding { tables: [...], maintenanceSchedule? }" }]);
    }
    return data as PartitioningSpec;
}
