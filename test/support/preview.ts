/** Helpers for running the offline preview CLI in-process and for throwaway project directories. */
import * as fs from "fs";
import * as os from "os";
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

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A project directory that runs this repository's stack program with a modified copy of one of its
 * stack configs: `edit` receives the parsed `config:` map of `Pulumi.<stack>.yaml`.
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
}
