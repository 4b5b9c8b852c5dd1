/**
 * The npm package as another infrastructure repository gets it: `npm pack` (which builds bin/ through
 * `prepack`), the tarball installed into a fresh consumer project in a temporary folder, offline, with
 * the already installed Pulumi SDKs linked in (`file:` dependencies become symlinks, so nothing is
 * fetched), a consumer program type-checked with `tsc` (classic `node` and `node16` module
 * resolution) and run on the SDK's mock runtime.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { expect } from "chai";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const FIXTURE = path.join(__dirname, "consumer");
const TSC = require.resolve("typescript/bin/tsc");
const COMPONENT_TYPES = ["Network", "LoadBalancedService", "RedisCache", "PartitionedDatabase", "CiCdPipeline", "KubernetesService"].map((c) => `scaling-toolkit:index:${c}`);
/** Installed packages the consumer links instead of downloading. */
const LINKED = ["@pulumi/pulumi", "@pulumi/aws", "@pulumi/kubernetes", "@pulumi/random", "@types/node", "typescript"];

/** The package's own dependencies, linked too: the install must not need the network. */
function runtimeDependencies(): string[] {
    return Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies ?? {});
}

/** The environment without the outer `npm test`'s npm_* settings, so child npm runs are plain. */
function cleanEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

interface PackedFile { path: string }
interface RunResult {
    types: string[];
    resourceCount: number;
    outputs: Record<string, unknown>;
    isSecret: boolean;
    rejection: string;
    policies: string[];
    violations: string[];
    sdkEntries: string[];
    toolkitEntry: string;
    policiesEntry: string;
    sdkFromToolkit: string;
    sdkFromConsumer: string;
}

describe("npm package: packed, installed offline into a consumer project, type-checked and run", function () {
    this.timeout(600_000);   // three cold TypeScript programs and an npm install: minutes on a loaded 2-core machine
    let tmp: string;
    let consumer: string;
    let packed: string[];
    let result: RunResult;
    let installed: Record<string, any>;

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scaling-toolkit-package-"));
        const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", tmp], { cwd: ROOT, env: cleanEnv(), maxBuffer: 16 << 20 });
        const [info] = JSON.parse(stdout) as { filename: string; files: PackedFile[] }[];
        packed = info.files.map((f) => f.path);

        consumer = path.join(tmp, "consumer");
        fs.mkdirSync(consumer);
        // The linked SDKs come first: npm places dependencies in this order, and placing the toolkit
        // before the links that satisfy its peer dependencies trips npm's tree builder.
        const dependencies: Record<string, string> = {};
        for (const name of [...LINKED, ...runtimeDependencies()]) {
            dependencies[name] = `file:${fs.realpathSync(path.join(ROOT, "node_modules", name))}`;
        }
        dependencies["scaling-toolkit"] = `file:${path.join(tmp, info.filename)}`;
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, dependencies }, null, 2));
        for (const file of fs.readdirSync(FIXTURE)) {
            fs.copyFileSync(path.join(FIXTURE, file), path.join(consumer, file.replace(/\.ts\.txt$/, ".ts")));
        }
        await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--install-links=false", "--no-package-lock"],
            { cwd: consumer, env: cleanEnv() });
        installed = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules/scaling-toolkit/package.json"), "utf8"));

        // Both type checks at once (they are independent); the first one also emits bin/.
        await Promise.all([
            run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: consumer }),
            run(process.execPath, [TSC, "-p", "tsconfig.node16.json"], { cwd: consumer }),
        ].map((p) => p.catch((e) => {
            throw new Error(`consumer type check failed:\n${e.stdout}${e.stderr}`);
        })));
        const out = await run(process.execPath, ["bin/main.js"], { cwd: consumer, maxBuffer: 16 << 20 }).catch((e) => {
            throw new Error(`consumer program failed:\n${e.stderr}`);
        });
        result = JSON.parse(out.stdout);
    });

    after(() => {
        if (tmp) {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("ships compiled JavaScript, declarations, the preview CLI and the reference docs, and nothing else", () => {
        for (const file of ["bin/components/index.js", "bin/components/index.d.ts", "bin/policies/api.js", "bin/policies/api.d.ts",
            "bin/preview/cli.js", "CHANGELOG.md", "README.md", "package.json", "docs/reference/LoadBalancedService.md"]) {
            expect(packed, file).to.include(file);
        }
        // The partitioning SQL files, read at run time beside the compiled generator.
        const sqlFiles = fs.readdirSync(path.join(ROOT, "components/database/partitioning/sql")).filter((f) => f.endsWith(".sql"));
        expect(sqlFiles.length).to.be.greaterThan(10);
        for (const f of sqlFiles) {
            expect(packed).to.include(`bin/components/database/partitioning/sql/${f}`);
        }
        const unexpected = packed.filter((f) => /^(test|stacks|bench|scripts|node_modules)\//.test(f)
            || f === "bin/policies/index.js" || f === "bin/policies/cli.js"
            || (f.endsWith(".ts") && !f.endsWith(".d.ts") && f !== installed.main));
        expect(unexpected).to.deep.equal([]);
        expect(fs.readFileSync(path.join(consumer, "node_modules/scaling-toolkit/bin/preview/cli.js"), "utf8")).to.match(/^#!\/usr\/bin\/env node\n/);
    });

    it("ships every file package.json names: main, types, exports, typesVersions and bin", () => {
        const named = (value: unknown): string[] => typeof value === "string" ? [value]
            : Array.isArray(value) ? value.flatMap(named)
                : value !== null && typeof value === "object" ? Object.values(value).flatMap(named) : [];
        const files = [installed.main, installed.types, ...named(installed.exports), ...named(installed.typesVersions), ...named(installed.bin)]
            .map((f: string) => path.posix.normalize(f));
        expect(installed.main).to.equal("bin/components/index.js");
        expect(files).to.include.members(["bin/components/index.js", "bin/components/index.d.ts", "bin/policies/api.js", "bin/preview/cli.js"]);
        expect(files.filter((f) => !packed.includes(f))).to.deep.equal([]);
        expect(packed).to.include("LICENSE");
        // The repository's own manifest is back as it was: its `main` is the TypeScript entry Pulumi hosts.
        expect(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).main).to.equal("components/index.ts");
        expect(fs.existsSync(path.join(ROOT, ".package.json.before-pack"))).to.equal(false);
        expect(installed.license).to.equal("Apache-2.0");
    });

    it("takes the Pulumi SDKs as peer dependencies, so the consumer's single copy is used", () => {
        expect(Object.keys(installed.peerDependencies).sort()).to.deep.equal(["@pulumi/aws", "@pulumi/kubernetes", "@pulumi/pulumi", "@pulumi/random"]);
        expect(Object.keys(installed.dependencies ?? {})).to.not.include.members(Object.keys(installed.peerDependencies));
        expect(fs.existsSync(path.join(consumer, "node_modules/scaling-toolkit/node_modules/@pulumi"))).to.equal(false);
    });

    it("resolves both entry points to the compiled JavaScript through `exports`", () => {
        expect(result.toolkitEntry).to.equal(path.join(fs.realpathSync(consumer), "node_modules/scaling-toolkit/bin/components/index.js"));
        expect(result.policiesEntry).to.equal(path.join(fs.realpathSync(consumer), "node_modules/scaling-toolkit/bin/policies/api.js"));
    });

    it("loads exactly one copy of @pulumi/pulumi: the one the toolkit resolves is the consumer's", () => {
        expect(result.sdkEntries).to.have.length(1);
        expect(result.sdkFromToolkit).to.equal(result.sdkFromConsumer);
    });

    it("runs every component on the mock runtime, with its outputs and secrets", () => {
        expect(result.types).to.include.members(COMPONENT_TYPES);
        expect(result.types).to.include.members(["aws:ec2/vpc:Vpc", "aws:lb/loadBalancer:LoadBalancer", "aws:elasticache/replicationGroup:ReplicationGroup",
            "aws:codepipeline/pipeline:Pipeline", "kubernetes:apps/v1:Deployment", "aws:rds/instance:Instance", "aws:lambda/function:Function"]);
        expect(result.resourceCount).to.be.greaterThan(50);
        expect(result.outputs).to.include({ vpcId: "shop-vpc-id", url: "https://api.shop.example.com", webUrl: "https://www.shop.example.com" });
        expect(result.isSecret).to.equal(true);
        expect(result.rejection).to.equal("memory");
    });

    it("previews the consumer's own TypeScript Pulumi project with the installed scaling-toolkit-preview binary", async function () {
        // The preview type-checks the project first, as `pulumi preview` does: from scratch here.
        this.timeout(600_000);
        // A Pulumi project of the consumer's: TypeScript, no ts-node installed (the SDK's vendored one
        // is used, as the Pulumi language host does), the project's own typescript.
        fs.writeFileSync(path.join(consumer, "Pulumi.yaml"), "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n");
        fs.writeFileSync(path.join(consumer, "Pulumi.test.yaml"), "config:\n  aws:region: eu-west-1\n");
        const bin = path.join(consumer, "node_modules", ".bin", "scaling-toolkit-preview");
        const out = await run(bin, ["--stack", "test", "--json", "plan.json", "--quiet"], { cwd: consumer, env: cleanEnv(), maxBuffer: 16 << 20 })
            .catch((e) => ({ stdout: e.stdout, stderr: `exit ${e.code}: ${e.stderr}` }));
        expect(out.stderr).to.equal("");
        const plan = JSON.parse(fs.readFileSync(path.join(consumer, "plan.json"), "utf8"));
        expect(plan.project).to.equal("consumer");
        expect(plan.resources.map((r: { type: string }) => r.type)).to.include.members(COMPONENT_TYPES);
        expect(plan.policies.pack).to.match(/^scaling-toolkit@/);
    });

    it("runs the packaged policy rules over the consumer's resources", () => {
        expect(result.policies).to.include.members(["iam-no-wildcard-actions", "security-group-open-ingress", "k8s-pod-security-restricted"]);
        expect(result.violations.filter((v) => /^(iam-no-wildcard-actions|iam-no-admin-policies|k8s-pod-security-restricted|elasticache-at-rest-encryption) /.test(v)))
            .to.deep.equal([]);
    });
});
