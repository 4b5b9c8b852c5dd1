/**
 * PostgreSQL parameters that only take effect after a restart (`pg_settings.context = 'postmaster'`,
 * extracted by `npm run facts:deploy` from a real server into facts.json). Read from the file, not
 * imported: components use this, and a program that type-checks the toolkit's sources must not
 * need `resolveJsonModule` for it.
 */
import { readFileSync } from "fs";
import { join } from "path";

let parameters: ReadonlySet<string> | undefined;

export function postgresStaticParameters(): ReadonlySet<string> {
    if (!parameters) {
        const facts = JSON.parse(readFileSync(join(__dirname, "facts.json"), "utf8")) as { postgresStaticParameters: { parameters: string[] } };
        parameters = new Set(facts.postgresStaticParameters.parameters);
    }
    return parameters;
}
