/**
 * The migration gate's script run for real (bash and jq, as in CodeBuild's curated images) against a
 * stand-in `aws` command that answers as the ECS API does and records every call: the task runs the
 * new image in the service's network configuration, and only a container exit code of 0 passes.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MIGRATION_STARTED_BY, migrationBuildspec } from "../../components/pipeline/migration";

/** The build phase's one command, exactly as the project's buildspec gives it to CodeBuild. */
const COMMAND: string = JSON.parse(migrationBuildspec()).phases.build.commands[0];

const CLUSTER_ARN = "arn:aws:ecs:eu-west-1:123456789012:cluster/shop-cluster";
const NEW_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:abc123";
const REVISION = "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-api:8";
const TASK = "arn:aws:ecs:eu-west-1:123456789012:task/shop-cluster/0f1e2d";

/** `aws ecs describe-services ... --query services[0]` of a Fargate service in private subnets. */
const SERVICE = {
    serviceName: "shop-api", clusterArn: CLUSTER_ARN, status: "ACTIVE", launchType: "FARGATE", platformVersion: "LATEST",
    taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-api:7",
    networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-b", "subnet-c"], securityGroups: ["sg-service"], assignPublicIp: "DISABLED" } },
};
/** `aws ecs describe-task-definition ... --query taskDefinition`, with the read-only fields it returns. */
const TASK_DEFINITION = {
    taskDefinitionArn: SERVICE.taskDefinition, family: "shop-api", revision: 7, status: "ACTIVE",
    taskRoleArn: "arn:aws:iam::123456789012:role/shop-api-task", executionRoleArn: "arn:aws:iam::123456789012:role/shop-api-execution",
    networkMode: "awsvpc", cpu: "256", memory: "512", requiresCompatibilities: ["FARGATE"], compatibilities: ["EC2", "FARGATE"],
    requiresAttributes: [{ name: "com.amazonaws.ecs.capability.docker-remote-api.1.18" }], registeredAt: "2026-12-01T10:00:00Z", registeredBy: "arn:aws:iam::123456789012:role/deployer",
    containerDefinitions: [
        { name: "app", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:old", essential: true, command: ["node", "server.js"] },
        { name: "log-router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable", essential: true },
    ],
};

/** The stand-in: one answer per ECS operation from files in $STUB, every call appended to calls.log. */
const STUB_AWS = `#!/usr/bin/env bash
echo "$*" >> "$STUB/calls.log"
case "$1 $2" in
  "ecs describe-services") cat "$STUB/service.json" ;;
  "ecs describe-task-definition") cat "$STUB/task-definition.json" ;;
  "ecs register-task-definition") echo "${REVISION}" ;;
  "ecs run-task") cat "$STUB/run-task-result.json" ;;
  "ecs describe-tasks")
    if [[ "$*" == *lastStatus* ]]; then cat "$STUB/last-status"; else cat "$STUB/stopped-task.json"; fi ;;
  "ecs stop-task") echo '{}' ;;
  *) echo "unexpected call: $*" >&2; exit 2 ;;
esac
`;

const tempDirs: string[] = [];

interface Run { status: number; output: string; dir: string; calls: string[] }

function runScript(overrides: { service?: object; taskDefinition?: object; runTask?: object; lastStatus?: string; exitCode?: number | null; env?: Record<string, string>; then?: string } = {}): Run {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-"));
    tempDirs.push(dir);
    const stub = path.join(dir, "stub");
    fs.mkdirSync(path.join(stub, "bin"), { recursive: true });
    fs.writeFileSync(path.join(stub, "bin", "aws"), STUB_AWS, { mode: 0o755 });
    fs.writeFileSync(path.join(stub, "service.json"), JSON.stringify(overrides.service ?? SERVICE));
    fs.writeFileSync(path.join(stub, "task-definition.json"), JSON.stringify(overrides.taskDefinition ?? TASK_DEFINITION));
    fs.writeFileSync(path.join(stub, "run-task-result.json"), JSON.stringify(overrides.runTask ?? { tasks: [{ taskArn: TASK }], failures: [] }));
    fs.writeFileSync(path.join(stub, "last-status"), `${overrides.lastStatus ?? "STOPPED"}\n`);
    const exitCode = overrides.exitCode === undefined ? 0 : overrides.exitCode;
    fs.writeFileSync(path.join(stub, "stopped-task.json"), JSON.stringify({
        taskArn: TASK, lastStatus: "STOPPED", stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited",
        containers: [{ name: "log-router", exitCode: 0 }, { name: "app", ...(exitCode === null ? {} : { exitCode }) }],
    }));
    // The build's input artifact, as the image build writes it.
    fs.writeFileSync(path.join(dir, "imagedefinitions.json"), JSON.stringify([{ name: "app", imageUri: NEW_IMAGE }]));
    const env = {
        PATH: `${path.join(stub, "bin")}:${process.env.PATH}`, STUB: stub,
        CLUSTER_NAME: "shop-cluster", SERVICE_NAME: "shop-api", TASK_DEFINITION_FAMILY: "shop-api", CONTAINER_NAME: "app",
        MIGRATION_COMMAND: JSON.stringify(["npm", "run", "migrate"]), MIGRATION_TIMEOUT_MINUTES: "30", MIGRATION_POLL_SECONDS: "0",
        ...overrides.env,
    };
    let status = 0;
    let output: string;
    try {
        output = execFileSync("bash", ["-c", overrides.then ? `${COMMAND}\n${overrides.then}` : COMMAND], { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (err) {
        const e = err as { status: number; stdout: string; stderr: string };
        status = e.status;
        output = `${e.stdout}${e.stderr}`;
    }
    const log = path.join(stub, "calls.log");
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    return { status, output, dir, calls };
}

const readJson = (run: Run, file: string) => JSON.parse(fs.readFileSync(path.join(run.dir, file), "utf8"));

describe("CiCdPipeline migration script", () => {
    after(() => tempDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("runs in a subshell: its shell options stay out of the shell CodeBuild runs its own steps in", () => {
        expect(COMMAND.startsWith("(\nset -euo pipefail\n")).to.equal(true);
        expect(COMMAND.endsWith("\n)")).to.equal(true);
        const run = runScript({ then: "echo \"shell options after: $- $(set -o | grep pipefail)\"" });
        expect(run.status, run.output).to.equal(0);
        const line = run.output.split("\n").find((l) => l.startsWith("shell options after:"))!;
        expect(line).to.match(/pipefail\s+off$/);
        expect(line.split(" ")[3]).to.not.match(/[eu]/);
    });

    it("runs the new image with the migration command in the service's subnets and security groups, and passes on exit code 0", () => {
        const run = runScript();
        expect(run.status, run.output).to.equal(0);
        const input = readJson(run, "run-task.json");
        expect(input).to.deep.equal({
            cluster: CLUSTER_ARN,
            taskDefinition: REVISION,
            count: 1,
            startedBy: MIGRATION_STARTED_BY,
            networkConfiguration: SERVICE.networkConfiguration,
            overrides: { containerOverrides: [{ name: "app", command: ["npm", "run", "migrate"] }] },
            launchType: "FARGATE",
            platformVersion: "LATEST",
        });
        expect(run.output).to.contain("container app exit code 0");
    });

    it("registers the service's current task definition with only the container's image replaced, without the read-only fields", () => {
        const run = runScript();
        const registered = readJson(run, "migration-task-definition.json");
        const { taskDefinitionArn, revision, status, compatibilities, requiresAttributes, registeredAt, registeredBy, ...kept } = TASK_DEFINITION;
        void [taskDefinitionArn, revision, status, compatibilities, requiresAttributes, registeredAt, registeredBy];
        expect(registered).to.deep.equal({
            ...kept,
            containerDefinitions: [{ ...TASK_DEFINITION.containerDefinitions[0], image: NEW_IMAGE }, TASK_DEFINITION.containerDefinitions[1]],
        });
        expect(run.calls.filter((c) => c.startsWith("ecs register-task-definition"))).to.deep.equal(["ecs register-task-definition --cli-input-json file://migration-task-definition.json --query taskDefinition.taskDefinitionArn --output text"]);
        expect(run.calls[1]).to.equal(`ecs describe-task-definition --task-definition ${SERVICE.taskDefinition} --query taskDefinition --output json`);
    });

    it("uses the service's capacity provider strategy instead of a launch type when it has one", () => {
        const strategy = [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }];
        const run = runScript({ service: { ...SERVICE, launchType: undefined, capacityProviderStrategy: strategy } });
        expect(run.status, run.output).to.equal(0);
        const input = readJson(run, "run-task.json");
        expect(input.capacityProviderStrategy).to.deep.equal(strategy);
        expect(input).to.not.have.property("launchType");
    });

    it("fails when the migration exits non-zero, so the deploy does not run", () => {
        const run = runScript({ exitCode: 3 });
        expect(run.status).to.not.equal(0);
        expect(run.output).to.contain("container app exit code 3").and.to.contain("the migration failed: nothing deployed");
    });

    it("fails when the container never ran (no exit code: the image did not pull, the task did not start)", () => {
        const run = runScript({ exitCode: null });
        expect(run.status).to.not.equal(0);
        expect(run.output).to.contain("exit code none");
    });

    it("fails when ECS cannot place the task, showing why", () => {
        const run = runScript({ runTask: { tasks: [], failures: [{ reason: "RESOURCE:ENI", arn: CLUSTER_ARN }] } });
        expect(run.status).to.not.equal(0);
        expect(run.output).to.contain("the migration task did not start").and.to.contain("RESOURCE:ENI");
    });

    it("stops the task and fails when the migration outlives its timeout", () => {
        const run = runScript({ lastStatus: "RUNNING", env: { MIGRATION_TIMEOUT_MINUTES: "0" } });
        expect(run.status).to.not.equal(0);
        expect(run.calls.some((c) => c.startsWith(`ecs stop-task --cluster shop-cluster --task ${TASK}`)), run.calls.join("\n")).to.equal(true);
        expect(run.output).to.contain("did not finish in 0 minutes");
    });

    it("refuses a service whose task definition is of another family, or which is not active, before running anything", () => {
        const other = runScript({ taskDefinition: { ...TASK_DEFINITION, family: "other" } });
        expect(other.status).to.not.equal(0);
        expect(other.output).to.contain("is not of family shop-api");
        const inactive = runScript({ service: { ...SERVICE, status: "DRAINING" } });
        expect(inactive.status).to.not.equal(0);
        expect(inactive.output).to.contain("is not ACTIVE");
        for (const run of [other, inactive]) {
            expect(run.calls.filter((c) => c.startsWith("ecs run-task") || c.startsWith("ecs register-task-definition"))).to.deep.equal([]);
        }
    });

    it("fails when the image definitions name no image for the container", () => {
        const run = runScript({ env: { CONTAINER_NAME: "web" } });
        expect(run.status).to.not.equal(0);
        expect(run.output).to.contain("names no image for container web");
        expect(run.calls).to.deep.equal([]);
    });
});
