/** Helpers for running the offline preview CLI in-process and for throwaway project directories. */
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { main } from "../../preview/cli";

export const REPO = path.resolve(__dirname, "..", "..");

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Runs the CLI as `npm run preview:offline -- <args>` would, capturing its output. */
export async function runCli(args: string[]): Promise<CliResult> {
    let stdout = "";
    let stderr = "";
    const code = await main(args, (s) => (stdout += s), (s) => (stderr += s));
    return { code, stdout, stderr };
}

/**
 * A fresh temporary directory inside the repository (`tmp/`, ignored by git), removed by the returned
 * cleanup: a project there resolves the repository's node_modules as a project checked out beside it would.
 */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
    fs.mkdirSync(path.join(REPO, "tmp"), { recursive: true });
    const dir = fs.mkdtempSync(path.join(REPO, "tmp", `${prefix}-`));
    return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A project directory that runs this repository's stack program with a modified copy of one of its
 * stack configs: `edit` receives the parsed `config:` map of `Pulumi.<stack>.yaml`. Its tsconfig
 * extends the repository's, so the program type-checks as it does in the repository.
 */
export function projectWithConfig(dir: string, stack: string, edit: (config: Record<string, any>) => void): void {
    const source = fs.readFileSync(path.join(REPO, "stacks", `Pulumi.${stack}.yaml`), "utf8");
    const doc = parse(source);
    edit(doc.config);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify({
        name: "scaling-toolkit",
        runtime: { name: "nodejs", options: { typescript: true } },
        main: path.join(REPO, "stacks"),
    }));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify(doc));
    // The language host lays its defaults over the tsconfig's own compilerOptions, not over an
    // extended file's: repeat them so the program is checked exactly as in the repository.
    const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(REPO, "tsconfig.json"), "utf8"));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ extends: path.relative(dir, path.join(REPO, "tsconfig.json")), compilerOptions }));
}
