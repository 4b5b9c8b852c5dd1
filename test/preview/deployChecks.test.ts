/**
 * The preview's deploy checks: every rule class with a passing and a failing case built from real
 * provider SDK resources recorded by the harness; the three stacks and a foreign project pass; the
 * CLI lists findings apart from policy violations and exits 1; the extract is the one the sources
 * give (the installed provider, a real PostgreSQL server).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DeployFinding, RULE_CLASSES, runDeployChecks } from "../../preview/deployChecks";
import { FACTS } from "../../preview/deployChecks/knownFacts";
import { previewStack } from "../../preview/plan";
import { record } from "../support/harness";
import { startPostgres } from "../support/postgres";
import { projectWithConfig, REPO, runCli, tempDir } from "../support/preview";

const doc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const trust = doc([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]);

async function findingsOf(program: () => void, region?: string): Promise<DeployFinding[]> {
    const { graph } = await record(program);
    return runDeployChecks(graph.resources, { region }).findings;
}

interface Case {
    rule: string;
    what: string;
    passing: () => void;
    failing: () => void;
    /** A fragment of the finding's message, and the property it names. */
    says: string;
    property: string;
    region?: string;
}

const cache = (args: Partial<aws.elasticache.ReplicationGroupArgs>) => new aws.elasticache.ReplicationGroup("cache", {
    description: "cache", engine: "redis", nodeType: "cache.t4g.micro", numCacheClusters: 2, automaticFailoverEnabled: true, multiAzEnabled: true,
    transitEncryptionEnabled: true, authToken: pulumi.secret("a-long-auth-token-0123456789"), ...args,
});

const db = (args: Partial<aws.rds.InstanceArgs>) => new aws.rds.Instance("db", {
    instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20, username: "app", manageMasterUserPassword: true,
    backupWindow: "03:00-04:00", maintenanceWindow: "sun:04:30-sun:05:30", ...args,
});

const taskDefinition = (cpu: string, memory: string) => new aws.ecs.TaskDefinition("task", {
    family: "api", requiresCompatibilities: ["FARGATE"], networkMode: "awsvpc", cpu, memory,
    containerDefinitions: JSON.stringify([{ name: "app", image: "nginx", essential: true }]),
});

/** A service behind a target group, with the listener forwarding to it, waited for or not. */
function serviceBehindListener(waitForListener: boolean): void {
    const tg = new aws.lb.TargetGroup("tg", { port: 8080, protocol: "HTTP", targetType: "ip", vpcId: "vpc-1" });
    const listener = new aws.lb.Listener("https", {
        loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1", port: 443, protocol: "HTTPS",
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1", defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
    });
    new aws.ecs.Service("svc", {
        cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/main", taskDefinition: "api:1", desiredCount: 1, launchType: "FARGATE",
        loadBalancers: [{ targetGroupArn: tg.arn, containerName: "app", containerPort: 8080 }],
    }, waitForListener ? { dependsOn: [listener] } : {});
}

const rolePolicy = (statement: object) => {
    const role = new aws.iam.Role("app", { assumeRolePolicy: trust });
    new aws.iam.RolePolicy("app", { role: role.id, policy: doc([statement]) });
};

/** A resource registered under a type token as it is, without an SDK class in between. */
class RawResource extends pulumi.CustomResource {
    constructor(type: string, name: string, props: pulumi.Inputs) {
        super(type, name, props);
    }
}

const TARGET = { minCapacity: 1, maxCapacity: 3, resourceId: "service/c/s", scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs" };

/** A value of the wrong type, as a JavaScript program or a cast passes it. */
const untyped = <T>(args: T) => args as unknown as T;

const CASES: Case[] = [
    // --- schema
    {
        // The SDK's classes drop names they do not know; what a program registers under the type token
        // itself (another SDK version, a raw CustomResource) reaches the provider as it is.
        rule: "schema", what: "input names", property: "suspendedStat", says: "has no input \"suspendedStat\" (did you mean \"suspendedState\"?)",
        passing: () => new RawResource("aws:appautoscaling/target:Target", "t", { ...TARGET, suspendedState: { dynamicScalingInSuspended: true } }),
        failing: () => new RawResource("aws:appautoscaling/target:Target", "t", { ...TARGET, suspendedStat: { dynamicScalingInSuspended: true } }),
    },
    {
        rule: "schema", what: "input kinds", property: "desiredCount", says: "must be a number",
        passing: () => new aws.ecs.Service("svc", { cluster: "c", taskDefinition: "api:1", desiredCount: 2 }),
        failing: () => new aws.ecs.Service("svc", { cluster: "c", taskDefinition: "api:1", desiredCount: untyped<number>("two" as unknown as number) }),
    },
    {
        // The SDK rejects a required input left out; one that resolves to nothing reaches the provider.
        rule: "schema", what: "required inputs", property: "assumeRolePolicy", says: "is required",
        passing: () => new aws.iam.Role("r", { assumeRolePolicy: pulumi.output(trust) }),
        failing: () => new aws.iam.Role("r", { assumeRolePolicy: pulumi.output(undefined as unknown as string) }),
    },
    // --- values: enums, ranges, lengths, patterns (API models, Terraform validators)
    {
        rule: "value", what: "enum values (API model)", property: "networkMode", says: "is not one of bridge, host, awsvpc, none",
        passing: () => new aws.ecs.TaskDefinition("task", { family: "api", networkMode: "awsvpc", containerDefinitions: "[]" }),
        failing: () => new aws.ecs.TaskDefinition("task", { family: "api", networkMode: "vpc", containerDefinitions: "[]" }),
    },
    {
        rule: "value", what: "enum values (provider enum)", property: "runtime", says: "\"nodejs8.10\" is not one of",
        passing: () => new aws.lambda.Function("fn", { role: "arn:aws:iam::123456789012:role/r", runtime: "nodejs20.x", handler: "index.handler", code: new pulumi.asset.AssetArchive({}) }),
        failing: () => new aws.lambda.Function("fn", { role: "arn:aws:iam::123456789012:role/r", runtime: "nodejs8.10", handler: "index.handler", code: new pulumi.asset.AssetArchive({}) }),
    },
    {
        rule: "value", what: "documented numeric ranges", property: "maxSessionDuration", says: "above the maximum 43200",
        passing: () => new aws.iam.Role("r", { assumeRolePolicy: trust, maxSessionDuration: 3600 }),
        failing: () => new aws.iam.Role("r", { assumeRolePolicy: trust, maxSessionDuration: 86400 }),
    },
    // --- physical names, given or predicted
    {
        rule: "physical-name", what: "given names: the Terraform validator's characters", property: "name", says: "only alphanumeric characters and hyphens",
        passing: () => new aws.lb.TargetGroup("tg", { name: "api-tg", port: 80, protocol: "HTTP", vpcId: "vpc-1" }),
        failing: () => new aws.lb.TargetGroup("tg", { name: "api_tg", port: 80, protocol: "HTTP", vpcId: "vpc-1" }),
    },
    {
        rule: "physical-name", what: "auto-names: <name>-<7 hex> longer than the maximum", property: "name", says: "pulumi-aws allows 32",
        passing: () => new aws.lb.TargetGroup("production-api-tg", { port: 80, protocol: "HTTP", vpcId: "vpc-1" }),
        failing: () => new aws.lb.TargetGroup("production-payments-api-blue-tg", { port: 80, protocol: "HTTP", vpcId: "vpc-1" }),
    },
    {
        rule: "physical-name", what: "auto-names against the API's length (IAM role names: 64)", property: "name", says: "at most 64 allowed",
        passing: () => new aws.iam.Role("production-payments-api-task", { assumeRolePolicy: trust }),
        failing: () => new aws.iam.Role(`production-payments-api-${"x".repeat(40)}`, { assumeRolePolicy: trust }),
    },
    // --- tags
    {
        rule: "tags", what: "IAM's tag characters", property: "tags.Waiver", says: "characters ( ) ;",
        passing: () => new aws.iam.Policy("p", { policy: doc([{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }]), tags: { Waiver: "scoped: see README / IAM" } }),
        failing: () => new aws.iam.Policy("p", { policy: doc([{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }]), tags: { Waiver: "no resource type (see docs); ok" } }),
    },
    {
        rule: "tags", what: "the reserved aws: prefix", property: "tags.aws:team", says: "reserved for AWS",
        passing: () => new aws.sns.Topic("t", { tags: { team: "payments" } }),
        failing: () => new aws.sns.Topic("t", { tags: { "aws:team": "payments" } }),
    },
    {
        rule: "tags", what: "at most 50 tags", property: "tags", says: "at most 50 allowed",
        passing: () => new aws.sns.Topic("t", { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"])) }),
        failing: () => new aws.sns.Topic("t", { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) }),
    },
    {
        rule: "tags", what: "value length", property: "tags.note", says: "at most 256 allowed",
        passing: () => new aws.ecs.Cluster("c", { tags: { note: "x".repeat(256) } }),
        failing: () => new aws.ecs.Cluster("c", { tags: { note: "x".repeat(257) } }),
    },
    // --- cross-field rules
    {
        rule: "cross-field", what: "ElastiCache Multi-AZ needs automatic failover", property: "automaticFailoverEnabled", says: "multiAzEnabled needs automaticFailoverEnabled",
        passing: () => cache({}), failing: () => cache({ automaticFailoverEnabled: false }),
    },
    {
        rule: "cross-field", what: "automatic failover needs two or more nodes", property: "numCacheClusters", says: "at least 2",
        passing: () => cache({}), failing: () => cache({ numCacheClusters: 1 }),
    },
    {
        rule: "cross-field", what: "an auth token needs TLS", property: "transitEncryptionEnabled", says: "authToken needs transitEncryptionEnabled",
        passing: () => cache({}), failing: () => cache({ transitEncryptionEnabled: false }),
    },
    {
        rule: "cross-field", what: "RDS backup and maintenance windows must not overlap", property: "backupWindow", says: "overlaps the maintenance window",
        passing: () => db({}), failing: () => db({ backupWindow: "04:00-05:00" }),
    },
    {
        rule: "cross-field", what: "static PostgreSQL parameters need pending-reboot", property: "parameters[0].applyMethod", says: "\"max_connections\" is a static PostgreSQL parameter",
        passing: () => new aws.rds.ParameterGroup("pg", { family: "postgres16", parameters: [{ name: "max_connections", value: "200", applyMethod: "pending-reboot" }, { name: "work_mem", value: "8192" }] }),
        failing: () => new aws.rds.ParameterGroup("pg", { family: "postgres16", parameters: [{ name: "max_connections", value: "200", applyMethod: "immediate" }, { name: "work_mem", value: "8192" }] }),
    },
    {
        rule: "cross-field", what: "Fargate CPU/memory pairs", property: "memory", says: "Fargate with 256 CPU units takes memory 512, 1024, 2048",
        passing: () => taskDefinition("256", "512"), failing: () => taskDefinition("256", "4096"),
    },
    {
        rule: "cross-field", what: "an ECS service depends on the listener attaching its target group", property: "dependsOn", says: "does not depend on the listener",
        passing: () => serviceBehindListener(true), failing: () => serviceBehindListener(false),
    },
    // --- IAM documents
    {
        rule: "iam", what: "actions exist", property: "policy statement 1", says: "\"s3:GetObjects\" does not exist",
        passing: () => rolePolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" }),
        failing: () => rolePolicy({ Effect: "Allow", Action: "s3:GetObjects", Resource: "arn:aws:s3:::data/*" }),
    },
    {
        rule: "iam", what: "resource ARNs match a resource type of the action", property: "policy statement 1", says: "no resource names a",
        passing: () => rolePolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::data/*" }),
        failing: () => rolePolicy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:sqs:eu-west-1:123456789012:jobs" }),
    },
    {
        rule: "iam", what: "actions without resource types take only \"*\"", property: "policy statement 1", says: "supports no resource-level permissions",
        passing: () => rolePolicy({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" }),
        failing: () => rolePolicy({ Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "arn:aws:ecr:eu-west-1:123456789012:repository/api" }),
    },
    {
        rule: "iam", what: "condition keys exist", property: "policy statement 1 Condition.StringEquals", says: "\"iam:PassedToServices\" does not exist",
        passing: () => rolePolicy({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/task", Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } }),
        failing: () => rolePolicy({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/task", Condition: { StringEquals: { "iam:PassedToServices": "ecs-tasks.amazonaws.com" } } }),
    },
    // --- region
    {
        rule: "region", what: "the stack's region is an AWS region", property: "config aws:region", says: "\"mars-north-1\" is not an AWS region", region: "mars-north-1",
        passing: () => new aws.sns.Topic("t", {}), failing: () => new aws.sns.Topic("t", {}),
    },
    {
        rule: "region", what: "a resource's own region is an AWS region", property: "region", says: "\"eu-westt-1\" is not an AWS region",
        passing: () => new aws.sns.Topic("t", { region: "eu-west-1" }), failing: () => new aws.sns.Topic("t", { region: "eu-westt-1" }),
    },
];

describe("deploy checks: each rule class passes a valid resource and fails a broken one", () => {
    for (const c of CASES) {
        it(`${c.rule}: ${c.what}`, async () => {
            const passing = await findingsOf(c.passing, c.region === undefined ? undefined : "eu-west-1");
            expect(passing.map((f) => f.message), "the passing case").to.deep.equal([]);
            const failing = (await findingsOf(c.failing, c.region)).filter((f) => f.rule === c.rule);
            const found = failing.find((f) => f.message.includes(c.says));
            expect(found, `a ${c.rule} finding saying ${c.says}; got ${JSON.stringify(failing.map((f) => f.message))}`).to.not.equal(undefined);
            expect(found!.property).to.equal(c.property);
            expect(found!.urn).to.match(c.property === "config aws:region" ? /^\(stack config\)$/ : /^urn:pulumi:/);
            expect(found!.source, "every finding names where its rule comes from").to.match(/\d/);
        });
    }

    it("covers every rule class", () => {
        const classes = new Set(CASES.map((c) => (c.rule === "physical-name" ? "value" : c.rule)));
        expect([...classes].sort()).to.deep.equal(Object.keys(RULE_CLASSES).sort());
    });

    it("checks the schema only of the provider version the facts were extracted from, and says so", async () => {
        const { graph } = await record(() => new RawResource("aws:appautoscaling/target:Target", "t", { ...TARGET, futureInput: true }));
        expect(runDeployChecks(graph.resources, { providerVersion: FACTS.sources.provider.split("@").pop() }).findings.map((f) => f.property)).to.deep.equal(["futureInput"]);
        const other = runDeployChecks(graph.resources, { providerVersion: "99.0.0" });
        expect(other.findings).to.deep.equal([]);
        expect(other.notes).to.deep.equal([`schema not checked: the program uses @pulumi/aws@99.0.0, the facts hold the schema of ${FACTS.sources.provider}`]);
    });

    it("never shows a secret: a finding on a secret input is redacted", async () => {
        const findings = await findingsOf(() => new aws.ecs.Cluster("c", { tags: { note: pulumi.secret("x".repeat(300)) } }));
        expect(findings).to.have.length(1);
        expect(findings[0].value).to.equal("[secret]");
    });

    it("treats what the cloud computes as unknown: an ARN with a computed bucket is a wildcard, not a mismatch", async () => {
        const findings = await findingsOf(() => {
            const bucket = new aws.s3.Bucket("data", {});
            const role = new aws.iam.Role("app", { assumeRolePolicy: trust });
            new aws.iam.RolePolicy("read", { role: role.id, policy: bucket.arn.apply((arn) => doc([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: `${arn}/*` }])) });
        });
        expect(findings).to.deep.equal([]);
    });
});

describe("deploy checks on whole projects", function () {
    // The first preview of a stack type-checks its program (as pulumi preview does): slow on a busy machine.
    this.timeout(300_000);
    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: every AWS resource passes the deploy checks`, async () => {
            const { plan } = await previewStack(REPO, stack);
            expect(plan.deployChecks.checked).to.be.greaterThan(100);
            expect(plan.deployChecks.findings.map((f) => `${f.rule} ${f.urn} ${f.property}: ${f.message}`)).to.deep.equal([]);
        });
    }

    it("a foreign project (--cwd) is checked as far as the facts cover its types, and passes", async () => {
        const { plan } = await previewStack(path.join(REPO, "test", "fixtures", "consumer"), "test");
        expect(plan.deployChecks.checked).to.be.greaterThan(10);
        expect(plan.deployChecks.findings).to.deep.equal([]);
    });

    it("the CLI lists findings in a Deploy checks section apart from policies, in text, Markdown and JSON, and exits 1", async () => {
        const tmp = tempDir("deploy-checks");
        try {
            projectWithConfig(tmp.dir, "dev", (config) => {
                config["aws:region"] = "mars-north-1";
            });
            const json = path.join(tmp.dir, "plan.json");
            const md = path.join(tmp.dir, "comment.md");
            const { code, stdout } = await runCli(["--stack", "dev", "--cwd", tmp.dir, "--json", json, "--markdown", md]);
            expect(code).to.equal(1);
            const section = stdout.slice(stdout.indexOf("Deploy checks"), stdout.indexOf("Policies ("));
            expect(section).to.contain("[region]").and.to.contain("mars-north-1").and.to.contain("rule from: @pulumi/aws@");
            const plan = JSON.parse(fs.readFileSync(json, "utf8"));
            expect(plan.deployChecks.findings.map((f: DeployFinding) => [f.rule, f.property, f.value])).to.deep.include(["region", "config aws:region", "mars-north-1"]);
            expect(plan.deployChecks.sources.provider).to.equal(FACTS.sources.provider);
            expect(plan.policies.violations.map((v: { message: string }) => v.message).join(" ")).to.not.contain("mars-north-1");
            const markdown = fs.readFileSync(md, "utf8");
            expect(markdown).to.contain("#### Deploy checks").and.to.contain("deploy-check finding(s)").and.to.contain("| region |");
            expect(markdown.indexOf("#### Deploy checks")).to.be.lessThan(markdown.indexOf("#### Policy results"));
        } finally {
            tmp.cleanup();
        }
    });
});

describe("deploy-check facts: the extract is the one its sources give", function () {
    this.timeout(300_000);
    it("was extracted from the installed provider: its version, its types and its regions", () => {
        const installed = JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")).version;
        expect(FACTS.sources.provider).to.equal(`@pulumi/aws@${installed}`);
        expect(FACTS.regions.values).to.include.members(Object.values(aws.Region));
        expect(FACTS.regions.values).to.have.length(new Set(Object.values(aws.Region)).size);
        expect(FACTS.schema.types["aws:ecs/service:Service"].p.loadBalancers).to.equal("a");
        expect(FACTS.schema.types["aws:iam/role:Role"].r).to.deep.equal(["assumeRolePolicy"]);
    });

    it("covers every AWS type the stacks create, and stays small", async () => {
        const { plan } = await previewStack(REPO, "prod");
        const types = [...new Set(plan.resources.filter((r) => r.custom && r.type.startsWith("aws:")).map((r) => r.type))];
        expect(types.filter((t) => !FACTS.schema.types[t])).to.deep.equal([]);
        expect(fs.statSync(path.join(REPO, "preview", "deployChecks", "facts.json")).size).to.be.lessThan(1.5 * 1024 * 1024);
    });

    it("names as static exactly the parameters a real PostgreSQL server of the recorded version restarts for", async function () {
        this.timeout(120_000);
        const pg = await startPostgres();
        try {
            const client = await pg.connect("postgres");
            const version = (await client.query("SHOW server_version")).rows[0].server_version as string;
            const rows = (await client.query("SELECT name FROM pg_settings WHERE context = 'postmaster' ORDER BY name")).rows as { name: string }[];
            expect(FACTS.sources.postgres).to.contain(`PostgreSQL ${version.split(".")[0]}.`);
            expect(FACTS.postgresStaticParameters.parameters).to.deep.equal(rows.map((r) => r.name));
        } finally {
            await pg.stop();
        }
    });
});
