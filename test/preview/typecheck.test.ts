/**
 * The type check `pulumi preview` runs through the Node.js language host (ts-node, type-checking
 * unless PULUMI_NODEJS_TRANSPILE_ONLY=true or tsconfig noCheck), done by the offline preview too.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { loadProject } from "../../preview/project";
import { loadSdk } from "../../preview/runtime";
import { typeCheckProgram } from "../../preview/typecheck";
import { REPO, runCli, tempDir } from "../support/preview";

const FIXTURE = path.join(REPO, "test", "fixtures", "typecheck");

/** Runs `fn` with environment variables set, restoring them afterwards. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const apply = (values: Record<string, string | undefined>) => {
        for (const [k, v] of Object.entries(values)) {
            if (v === undefined) {
                delete process.env[k];
            } else {
                process.env[k] = v;
            }
        }
    };
    apply(vars);
    try {
        return await fn();
    } finally {
        apply(saved);
    }
}

function writeProject(dir: string, main: string, tsconfig?: unknown): void {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify({ name: "checked", runtime: { name: "nodejs", options: { typescript: true } }, main }));
    fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), stringify({ config: { "aws:region": "eu-west-1" } }));
    if (tsconfig !== undefined) {
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    }
}

describe("offline preview type check (as pulumi preview's language host)", function () {
    // The first check of a program reads the provider SDKs' declarations (thousands of files); later ones hit the cache.
    this.timeout(600_000);
    let tmp: { dir: string; cleanup: () => void };
    beforeEach(() => {
        tmp = tempDir("typecheck");
    });
    afterEach(() => tmp.cleanup());

    it("stops a foreign project with a typo before running it: ts-node's file(line,col) and TS code, exit 2", async () => {
        const { code, stdout, stderr } = await withEnv({ PULUMI_NODEJS_TRANSPILE_ONLY: undefined }, () => runCli(["--stack", "test", "--cwd", FIXTURE]));
        expect(code).to.equal(2);
        expect(stdout).to.equal("");
        const lines = stderr.trim().split("\n");
        expect(lines[0]).to.equal("error: the program does not type-check, so `pulumi preview` would fail (TSError: ⨯ Unable to compile TypeScript):");
        expect(lines[1]).to.match(/^index\.ts\(8,5\): error TS2561: Object literal may only specify known properties, but 'minCapcity' does not exist in type 'LoadBalancedServiceArgs'\. Did you mean to write 'minCapacity'\?$/);
        expect(lines).to.have.length(3);
        expect(stderr).to.not.contain("promises");
    });

    it("runs it anyway with PULUMI_NODEJS_TRANSPILE_ONLY=true, as the language host does", async () => {
        const { code, stderr } = await withEnv({ PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, () => runCli(["--stack", "test", "--cwd", FIXTURE, "--quiet"]));
        expect(stderr).to.equal("");
        expect(code).to.equal(0);
    });

    it("runs it anyway with the project tsconfig's compilerOptions.noCheck", async () => {
        writeProject(tmp.dir, path.join(FIXTURE, "index.ts"), { compilerOptions: { noCheck: true } });
        const { code, stderr } = await withEnv({ PULUMI_NODEJS_TRANSPILE_ONLY: undefined }, () => runCli(["--stack", "test", "--cwd", tmp.dir, "--quiet"]));
        expect(stderr).to.equal("");
        expect(code).to.equal(0);
    });

    it("checks again when PULUMI_NODEJS_TRANSPILE_ONLY is anything but true", async () => {
        const { code, stderr } = await withEnv({ PULUMI_NODEJS_TRANSPILE_ONLY: "false" }, () => runCli(["--stack", "test", "--cwd", FIXTURE, "--quiet"]));
        expect(code).to.equal(2);
        expect(stderr).to.contain("error TS2561");
    });

    it("rejects a PULUMI_NODEJS_TSCONFIG_PATH that names no file, as the language host does", async () => {
        const { code, stderr } = await withEnv({ PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json" }, () => runCli(["--stack", "test", "--cwd", FIXTURE]));
        expect(code).to.equal(2);
        expect(stderr).to.contain("tsconfig path was set to tsconfig.pulumi.json but the file was not found");
    });

    it("caches a result by content: an unchanged program is not checked again, an edited one is", () => {
        const file = path.join(tmp.dir, "index.ts");
        fs.writeFileSync(file, "const replicas: number = \"two\";\nexport { replicas };\n");
        writeProject(tmp.dir, "index.ts");
        const project = loadProject(tmp.dir);
        const options = { env: {}, resolveFrom: loadSdk().root };
        const first = typeCheckProgram(project, options);
        expect(first).to.deep.include({ checked: true, cached: false });
        expect(first.diagnostics).to.deep.equal(["index.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'."]);
        expect(typeCheckProgram(project, options)).to.deep.equal({ ...first, cached: true });
        fs.writeFileSync(file, "const replicas: number = 2;\nexport { replicas };\n");
        expect(typeCheckProgram(project, options)).to.deep.equal({ checked: true, cached: false, diagnostics: [] });
        expect(typeCheckProgram(project, { ...options, env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } }))
            .to.deep.equal({ checked: false, skipped: "PULUMI_NODEJS_TRANSPILE_ONLY=true", cached: false, diagnostics: [] });
    });
});
