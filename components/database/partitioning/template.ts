/**
 * The partitioning SQL's files (sql/*.sql, one function per file, as pg_partman keeps its own) are
 * read as text and filled from a typed parameter map: a placeholder `{{name}}` is replaced by its
 * value rendered for its kind (a string literal, an integer, a JSON document), never by raw text.
 * A placeholder without a value, or a value without a placeholder, is an error.
 */
import { readFileSync } from "fs";
import { join } from "path";

/** Where the .sql files live: beside this module, in the sources and in the built package alike. */
export const SQL_DIR = join(__dirname, "sql");

/** One parameter value, tagged with how it is written into SQL. */
export type SqlParam =
    | { kind: "literal"; value: string }
    | { kind: "integer"; value: number }
    | { kind: "jsonb"; value: unknown };

/** The parameters of a file: placeholder name to value. */
export type SqlParams = Record<string, SqlParam>;

const PLACEHOLDER = /\{\{([a-z_][a-z0-9_]*)\}\}/g;
const cache = new Map<string, string>();

/** A standard-conforming string literal. */
export function literal(text: string): string {
    if (text.includes("\0")) {
        throw new RangeError("a SQL literal cannot contain NUL");
    }
    return `'${text.replace(/'/g, "''")}'`;
}

function render(name: string, param: SqlParam): string {
    switch (param.kind) {
        case "literal":
            return literal(param.value);
        case "integer":
            if (!Number.isSafeInteger(param.value)) {
                throw new RangeError(`SQL parameter ${name}: ${param.value} is not an integer`);
            }
            return String(param.value);
        case "jsonb":
            return `${literal(JSON.stringify(param.value))}::jsonb`;
    }
}

/** The text of sql/<file>. */
export function sqlFile(file: string): string {
    let text = cache.get(file);
    if (text === undefined) {
        text = readFileSync(join(SQL_DIR, file), "utf8");
        cache.set(file, text);
    }
    return text;
}

/** sql/<file> with every placeholder replaced by its parameter. */
export function fillSql(file: string, params: SqlParams = {}): string {
    const used = new Set<string>();
    const filled = sqlFile(file).replace(PLACEHOLDER, (_, name: string) => {
        const param = params[name];
        if (param === undefined) {
            throw new Error(`${file}: no value for the placeholder {{${name}}}`);
        }
        used.add(name);
        return render(name, param);
    });
    const unused = Object.keys(params).filter((n) => !used.has(n));
    if (unused.length > 0) {
        throw new Error(`${file}: parameters without a placeholder: ${unused.join(", ")}`);
    }
    return filled.trimEnd();
}
