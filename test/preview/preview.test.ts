import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { Plan } from "../../preview/plan";
import { projectWithConfig, REPO, runCli, tempDir } from "../support/preview";

const FIXTURE = path.join(REPO, "test", "fixtures", "consumer");

describe("offline preview CLI", function () {
    // The first preview of a program type-checks it (as `pulumi preview` does): slow once, then cached.
    this.timeout(600_000);
    let tmp: { dir: string; cleanup: () => void };
    beforeEach(() => {
        tmp = tempDir("preview");
    });
    afterEach(() => tmp.cleanup());

    it("previews the dev stack: a resource tree, counts per type, a total and the policy section", async () => {
        const { code, stdout, stderr } = await runCli(["--stack", "dev", "--cwd", REPO]);
        expect(stderr).to.equal("");
        expect(code).to.equal(0);
        expect(stdout).to.match(/pulumi:pulumi:Stack\s+scaling-toolkit-dev/);
        expect(stdout).to.match(/├─ scaling-toolkit:index:Network\s+dev-network/);
        expect(stdout).to.match(/│ {2}├─ aws:ec2\/vpc:Vpc\s+dev-network-vpc/);
        expect(stdout).to.match(/\d+ {2}aws:ec2\/subnet:Subnet/);
        expect(stdout).to.match(/\d+ {2}total to create/);
        expect(stdout).to.contain("Policies (");
        expect(stdout).to.contain("(known after apply");
        // No waiver at all: the pipeline's task definition revisions are scoped to the service's family.
        expect(stdout).to.not.match(/\nWaivers \(/);
        expect(stdout).to.not.contain("task-definitions");
    });

    it("writes the same JSON plan twice for the same code, in the documented shape", async () => {
        const a = path.join(tmp.dir, "a.json");
        const b = path.join(tmp.dir, "b.json");
        expect((await runCli(["--stack", "prod", "--cwd", REPO, "--json", a, "--quiet"])).code).to.equal(0);
        expect((await runCli(["--stack", "prod", "--cwd", REPO, "--json", b, "--quiet"])).code).to.equal(0);
        const text = fs.readFileSync(a, "utf8");
        expect(fs.readFileSync(b, "utf8")).to.equal(text);
        const plan = JSON.parse(text) as Plan;
        expect(plan).to.include({ project: "scaling-toolkit", stack: "prod" });
        expect(plan.policies.violations).to.be.an("array");
        const r = plan.resources.find((x) => x.type === "aws:ecs/service:Service")!;
        expect(Object.keys(r)).to.include.members(["urn", "type", "name", "parent", "custom", "inputs", "dependencies"]);
        const urns = plan.resources.map((x) => x.urn);
        expect(urns).to.deep.equal([...urns].sort());
        expect(plan.summary.total).to.equal(plan.resources.length);
    });

    it("in diff mode leads with the counts, shows only what changes, and says update or replace", async () => {
        const base = path.join(tmp.dir, "base.json");
        expect((await runCli(["--stack", "prod", "--cwd", REPO, "--json", base, "--quiet"])).code).to.equal(0);
        projectWithConfig(tmp.dir, "prod", (config) => {
            config["scaling-toolkit:services"][0].maxCapacity = 40;
        });
        const md = path.join(tmp.dir, "pr.md");
        const { code, stdout } = await runCli(["--stack", "prod", "--cwd", tmp.dir, "--diff", base, "--markdown", md]);
        expect(code).to.equal(0);
        const plan = JSON.parse(fs.readFileSync(base, "utf8")) as Plan;
        expect(stdout).to.contain(`Changes against the base plan of scaling-toolkit/prod: 0 to create, 1 to update, 0 to replace, 0 to delete, ${plan.resources.length - 1} unchanged`);
        expect(stdout).to.match(/\n ~ [ │]+└─ aws:appautoscaling\/target:Target\s+prod-api-scaling\n/);
        expect(stdout).to.match(/~ +aws:appautoscaling\/target:Target prod-api-scaling: update\n\s+maxCapacity: 30 => 40/);
        expect(stdout).to.not.contain("total to create").and.to.not.contain("aws:ec2/vpc:Vpc").and.to.not.contain("Resources by type");
        expect(stdout).to.contain("Stack outputs: unchanged").and.to.contain("Where resources go:\n  aws (default provider): account (offline: account id), region eu-west-1");
        const markdown = fs.readFileSync(md, "utf8");
        expect(markdown).to.contain("**Against the base branch:** 0 to create, 1 to update, 0 to replace, 0 to delete");
        expect(markdown).to.contain("maxCapacity: 30 => 40");
    });

    it("refuses a base plan of another stack with exit code 2 and says why", async () => {
        const base = path.join(tmp.dir, "base.json");
        fs.writeFileSync(base, JSON.stringify({ version: 2, project: "scaling-toolkit", stack: "staging", resources: [], outputs: {} }));
        const { code, stderr } = await runCli(["--stack", "dev", "--cwd", REPO, "--diff", base, "--quiet"]);
        expect(code).to.equal(2);
        expect(stderr).to.contain("the base plan is of scaling-toolkit/staging, this preview is of scaling-toolkit/dev");
        fs.writeFileSync(base, JSON.stringify({ version: 1, project: "scaling-toolkit", stack: "dev", resources: [], outputs: {} }));
        const old = await runCli(["--stack", "dev", "--cwd", REPO, "--diff", base, "--quiet"]);
        expect(old.code).to.equal(2);
        expect(old.stderr).to.contain("format version 1; this preview writes version 2");
    });

    it("writes a pull-request comment with counts, policy results and a Mermaid diagram of the components", async () => {
        const md = path.join(tmp.dir, "dev.md");
        expect((await runCli(["--stack", "dev", "--cwd", REPO, "--markdown", md, "--quiet"])).code).to.equal(0);
        const text = fs.readFileSync(md, "utf8");
        expect(text).to.contain("<!-- scaling-toolkit-offline-preview:scaling-toolkit/dev -->");
        expect(text).to.contain("#### Policy results");
        const mermaid = /```mermaid\n([\s\S]*?)```/.exec(text)![1];
        expect(mermaid).to.match(/^flowchart LR/);
        const idOf = (name: string) => new RegExp(`\\s(n[a-z0-9]+)\\["${name}<br/>`).exec(mermaid)?.[1];
        for (const name of ["dev-network", "dev-api", "dev-web", "dev-cache", "dev-db", "dev-api-cd"]) {
            expect(idOf(name), name).to.be.a("string");
        }
        const edges = mermaid.split("\n").filter((l) => l.includes("-->|")).map((l) => l.trim());
        // What runs in the VPC runs in the network; the Kubernetes service does not.
        for (const name of ["dev-api", "dev-cache", "dev-db"]) {
            expect(edges).to.include(`${idOf(name)} -->|runs in| ${idOf("dev-network")}`);
        }
        expect(edges.filter((e) => e.startsWith(`${idOf("dev-web")} `))).to.deep.equal([]);
        // The cache and the database admit the service on their ports; its pipeline deploys it.
        expect(edges).to.include.members([
            `${idOf("dev-cache")} -->|admits on 6379| ${idOf("dev-api")}`,
            `${idOf("dev-db")} -->|admits on 5432| ${idOf("dev-api")}`,
            `${idOf("dev-api-cd")} -->|deploys| ${idOf("dev-api")}`,
        ]);
        expect(edges.find((e) => e.startsWith(`${idOf("dev-api")} `) && e.endsWith(idOf("dev-cache")!))).to.contain("reads a secret");
        expect(edges.filter((e) => e.includes("|uses|"))).to.deep.equal([]);
        expect(text).to.contain("<details><summary>Stack outputs</summary>").and.to.contain("<details><summary>Where resources go</summary>");
    });

    it("rejects bad config with exit code 2 and one readable line naming the key", async () => {
        projectWithConfig(tmp.dir, "dev", (config) => {
            config["scaling-toolkit:network"].natGateways = "Sometimes";
        });
        const { code, stderr, stdout } = await runCli(["--stack", "dev", "--cwd", tmp.dir]);
        expect(code).to.equal(2);
        expect(stdout).to.equal("");
        expect(stderr.trim().split("\n")).to.have.length(1);
        expect(stderr).to.contain("scaling-toolkit:network.natGateways").and.to.contain("\"PerZone\", \"Single\"");
        expect(stderr).to.not.match(/\bat .*\.ts:\d+/);
    });

    it("rejects a misspelled config key instead of silently using a default", async () => {
        projectWithConfig(tmp.dir, "dev", (config) => {
            config["scaling-toolkit:services"][0].minCapcity = 2;
        });
        const { code, stderr } = await runCli(["--stack", "dev", "--cwd", tmp.dir]);
        expect(code).to.equal(2);
        expect(stderr).to.contain("scaling-toolkit:services[0]").and.to.contain("\"minCapcity\"");
    });

    it("previews a stack without a cache, database, pipelines or Kubernetes: each is optional", async () => {
        projectWithConfig(tmp.dir, "dev", (config) => {
            for (const key of ["cache", "database", "kubernetes", "pipelines"]) {
                delete config[`scaling-toolkit:${key}`];
            }
            for (const svc of config["scaling-toolkit:services"]) {
                delete svc.platform;
                delete svc.pipeline;
            }
        });
        const json = path.join(tmp.dir, "plan.json");
        const { code, stderr } = await runCli(["--stack", "dev", "--cwd", tmp.dir, "--json", json, "--quiet"]);
        expect(stderr).to.equal("");
        expect(code).to.equal(0);
        const plan = JSON.parse(fs.readFileSync(json, "utf8")) as Plan;
        const types = Object.keys(plan.summary.byType);
        expect(types).to.not.include.members(["scaling-toolkit:index:RedisCache"]);
        expect(types.filter((t) => /RedisCache|PartitionedDatabase|CiCdPipeline|KubernetesService/.test(t))).to.deep.equal([]);
        expect(plan.summary.byType["scaling-toolkit:index:LoadBalancedService"]).to.equal(2);
        const td = plan.resources.find((r) => r.name === "dev-api-task" && r.type === "aws:ecs/taskDefinition:TaskDefinition")!;
        expect(td.inputs.containerDefinitions).to.not.contain("REDIS_URL").and.to.not.contain("DATABASE_HOST");
    });

    it("rejects a cache when no service runs on AWS to use it", async () => {
        projectWithConfig(tmp.dir, "dev", (config) => {
            for (const svc of config["scaling-toolkit:services"]) {
                svc.platform = "kubernetes";
                delete svc.pipeline;
            }
        });
        const { code, stderr } = await runCli(["--stack", "dev", "--cwd", tmp.dir]);
        expect(code).to.equal(2);
        expect(stderr).to.contain("scaling-toolkit:cache").and.to.contain("serves the AWS services");
    });

    it("reports a component's validation error as bad config (exit 2)", async () => {
        projectWithConfig(tmp.dir, "dev", (config) => {
            config["scaling-toolkit:services"][0].memory = 4096;
        });
        const { code, stderr } = await runCli(["--stack", "dev", "--cwd", tmp.dir]);
        expect(code).to.equal(2);
        expect(stderr).to.contain("LoadBalancedService \"dev-api\": argument \"memory\" was 4096");
    });

    it("treats encrypted (secure:) config values as secrets of unknown value, not as values to reject", async () => {
        projectWithConfig(tmp.dir, "dev", (config) => {
            config["scaling-toolkit:pipelines"].connectionArn = { secure: "v1:ENCRYPTEDCONNECTIONARNAAAAAAAAAA" };
            config["scaling-toolkit:alarmTopicArn"] = { secure: "v1:ENCRYPTEDTOPICARNAAAAAAAAAAAAAAAA" };
        });
        const json = path.join(tmp.dir, "plan.json");
        const { code, stdout, stderr } = await runCli(["--stack", "dev", "--cwd", tmp.dir, "--json", json]);
        expect(stderr).to.equal("");
        expect(code).to.equal(0);
        const text = fs.readFileSync(json, "utf8");
        for (const out of [stdout, text]) {
            expect(out).to.not.contain("v1:ENCRYPTED");
        }
        const plan = JSON.parse(text) as Plan;
        const alarm = plan.resources.find((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")!;
        // The stack reads the topic with config.get, so the CLI would pass the decrypted ARN on; offline it is the marked placeholder.
        expect(alarm.inputs.alarmActions).to.deep.equal(["(offline: encrypted config value)"]);
        expect(plan.resources.filter((r) => r.type === "aws:sns/topic:Topic" && r.name.endsWith("-alarms"))).to.deep.equal([]);
    });

    it("rejects bad usage with exit code 2", async () => {
        expect((await runCli([])).code).to.equal(2);
        expect((await runCli(["--stack", "dev", "--bogus"])).code).to.equal(2);
        const missing = await runCli(["--stack", "qa", "--cwd", REPO]);
        expect(missing.code).to.equal(2);
        expect(missing.stderr).to.contain("stacks: dev, prod, staging");
    });

    describe("on another project (a consumer's own Pulumi program)", () => {
        it("previews it and never prints or writes a secret value", async () => {
            const json = path.join(tmp.dir, "plan.json");
            const md = path.join(tmp.dir, "plan.md");
            const { code, stdout } = await runCli(["--stack", "test", "--cwd", FIXTURE, "--json", json, "--markdown", md]);
            expect(code).to.equal(0);
            const outputs = [stdout, fs.readFileSync(json, "utf8"), fs.readFileSync(md, "utf8")];
            for (const text of outputs) {
                expect(text).to.not.contain("s3cr3t-literal-value-do-not-print");
                expect(text).to.not.contain("v1:AAAA");
            }
            const plan = JSON.parse(outputs[1]) as Plan;
            expect(plan.project).to.equal("consumer");
            expect(plan.outputs).to.include({ leaked: "[secret]", dbPassword: "[secret]", greeting: "hello" });
            const version = plan.resources.find((r) => r.type === "aws:secretsmanager/secretVersion:SecretVersion")!;
            // Built from a RandomPassword's result, unknown during a preview (the SDK sends an unknown, secret
            // or not, as unknown): neither the literal nor a made-up password is written.
            expect(version.inputs.secretString).to.equal("(known after apply)");
            expect(plan.lookups.map((l) => l.token)).to.include("aws:index/getAvailabilityZones:getAvailabilityZones");
            const azs = plan.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((r) => r.inputs.availabilityZone);
            expect(new Set(azs)).to.deep.equal(new Set(["eu-central-1a", "eu-central-1b"]));
        });

        it("reports a component's validation error while a deferred output is open as that one error, exit 2", async () => {
            // The README's service/cache wiring with a replica count RedisCache rejects: the service
            // still waits on the cache's secret when the cache throws.
            const { code, stdout, stderr } = await runCli(["--stack", "wired", "--cwd", FIXTURE]);
            expect(stderr).to.equal("error: RedisCache \"shop-cache\": argument \"replicasPerShard\" was 9; allowed: an integer from 0 to 5\n");
            expect(code).to.equal(2);
            expect(stdout).to.equal("");
        });

        it("names a provider look-up it cannot answer instead of crashing", async () => {
            const { code, stderr } = await runCli(["--stack", "lookup", "--cwd", FIXTURE]);
            expect(code).to.equal(2);
            expect(stderr).to.contain("aws:ec2/getVpc:getVpc").and.to.contain("cannot answer");
            expect(stderr.trim().split("\n")).to.have.length(1);
            // The section the message points to exists.
            expect(stderr).to.contain("--lookups <file.json> (README: \"Answering look-ups offline\")");
            expect(fs.readFileSync(path.join(REPO, "README.md"), "utf8")).to.match(/^### Answering look-ups offline$/m);
        });

        it("answers other look-ups from a --lookups file, by token and arguments", async () => {
            const answers = path.join(tmp.dir, "lookups.json");
            const json = path.join(tmp.dir, "plan.json");
            fs.writeFileSync(answers, JSON.stringify({
                "aws:ec2/getVpc:getVpc": [
                    { args: { default: false }, result: { id: "vpc-other", cidrBlock: "10.9.0.0/16" } },
                    { args: { default: true }, result: { id: "vpc-0123456789abcdef0", cidrBlock: "172.31.0.0/16" } },
                ],
                "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/ci", userId: "AIDAEXAMPLE", id: "123456789012" },
            }));
            const { code, stderr } = await runCli(["--stack", "lookup", "--cwd", FIXTURE, "--lookups", answers, "--json", json, "--quiet"]);
            expect(stderr).to.equal("");
            expect(code).to.equal(0);
            const plan = JSON.parse(fs.readFileSync(json, "utf8")) as Plan;
            expect(plan.outputs.defaultVpcCidr).to.equal("172.31.0.0/16");
            expect(plan.lookups.find((l) => l.token === "aws:ec2/getVpc:getVpc")?.result).to.include({ id: "vpc-0123456789abcdef0" });
            expect(plan.lookups.find((l) => l.token === "aws:index/getCallerIdentity:getCallerIdentity")?.result).to.include({ accountId: "123456789012" });
        });

        it("names the arguments no --lookups entry matches, and rejects a malformed file", async () => {
            const answers = path.join(tmp.dir, "lookups.json");
            fs.writeFileSync(answers, JSON.stringify({ "aws:ec2/getVpc:getVpc": [{ args: { default: false }, result: { id: "vpc-other" } }] }));
            const unmatched = await runCli(["--stack", "lookup", "--cwd", FIXTURE, "--lookups", answers]);
            expect(unmatched.code).to.equal(2);
            expect(unmatched.stderr).to.contain("\"aws:ec2/getVpc:getVpc\" with arguments {\"default\":true}");
            fs.writeFileSync(answers, JSON.stringify({ "aws:ec2/getVpc:getVpc": [{ arguments: { default: true }, result: {} }] }));
            const malformed = await runCli(["--stack", "lookup", "--cwd", FIXTURE, "--lookups", answers]);
            expect(malformed.code).to.equal(2);
            expect(malformed.stderr).to.contain("\"aws:ec2/getVpc:getVpc[0]\" must be { \"args\"?: {...}, \"result\": {...} }");
        });
    });
});

describe("offline preview policy results", function () {
    this.timeout(600_000);
    let tmp: { dir: string; cleanup: () => void };
    beforeEach(() => {
        tmp = tempDir("preview-policy");
    });
    afterEach(() => tmp.cleanup());

    it("evaluates the policy pack: the prod stack passes every mandatory rule; a waiver names a resource by its engine URN", async () => {
        const json = path.join(tmp.dir, "plan.json");
        const config = path.join(tmp.dir, "policy.json");
        // The README's example: a URN as `pulumi stack --show-urns` prints it (no root stack type).
        const urn = "urn:pulumi:prod::scaling-toolkit::scaling-toolkit:index:Network$aws:cloudwatch/logGroup:LogGroup::prod-network-flow-logs";
        fs.writeFileSync(config, JSON.stringify({ "pack-settings": { waivers: [{ rule: "log-group-kms", urn, reason: "Flow logs hold no customer data", owner: "team-platform", expires: "2099-12-31" }] } }));
        const { code, stdout } = await runCli(["--stack", "prod", "--cwd", REPO, "--json", json, "--quiet", "--policy-config", config]);
        expect(code).to.equal(0);
        expect(stdout).to.equal("");
        const plan = JSON.parse(fs.readFileSync(json, "utf8")) as Plan;
        expect(plan.resources.filter((r) => r.urn.includes("pulumi:pulumi:Stack$")).map((r) => r.urn)).to.deep.equal([]);
        expect(plan.policies.violations.filter((v) => v.waived).map((v) => [v.policy, v.urn])).to.deep.equal([["log-group-kms", urn]]);
        expect(plan.policies.pack).to.match(/^scaling-toolkit@\d+\.\d+\.\d+$/);
        expect(plan.policies.rules!.length).to.be.greaterThan(20);
        expect(plan.policies.violations.filter((v) => v.level === "mandatory")).to.deep.equal([]);
    });

    it("exits 1 when a rule made mandatory by policy config is violated, and says so in the comment", async () => {
        const config = path.join(tmp.dir, "policy.json");
        fs.writeFileSync(config, JSON.stringify({ "security-group-unrestricted-egress": "mandatory" }));
        const md = path.join(tmp.dir, "dev.md");
        const { code, stdout } = await runCli(["--stack", "dev", "--cwd", REPO, "--policy-config", config, "--markdown", md]);
        expect(code).to.equal(1);
        expect(stdout).to.match(/\[mandatory\/medium\] security-group-unrestricted-egress: dev-api-tasks-egress-0/);
        expect(stdout).to.match(/\n {6}fix: Restrict egress to .* \(README\.md#rule-security-group-unrestricted-egress\)\n/);
        const comment = fs.readFileSync(md, "utf8");
        expect(comment).to.contain("❌");
        expect(comment).to.contain("| mandatory | medium | [`security-group-unrestricted-egress`](README.md#rule-security-group-unrestricted-egress) |");
        expect(comment).to.contain("| Restrict egress to");
    });

    it("rejects invalid policy config with exit code 2", async () => {
        const config = path.join(tmp.dir, "policy.json");
        fs.writeFileSync(config, JSON.stringify({ "security-group-unrestricted-egress": "sometimes" }));
        const { code, stderr } = await runCli(["--stack", "dev", "--cwd", REPO, "--policy-config", config]);
        expect(code).to.equal(2);
        expect(stderr).to.contain("security-group-unrestricted-egress");
    });
});
