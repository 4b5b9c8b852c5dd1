/**
 * Issue 17's pipeline gates, on the recorded graph: pull requests run in a tests-only pipeline that
 * can neither push nor deploy; the main pipeline is QUEUED and started by pushes only; the migration
 * gate runs before the deploy with exactly the rights it needs. Every new resource passes the policy
 * pack and the deploy checks.
 */
import { expect } from "chai";
import { CiCdPipeline, CiCdPipelineArgs, LoadBalancedService } from "../../components";
import { runDeployChecks } from "../../preview/deployChecks";
import { expectValidationError, Graph, parseJson, record } from "../support/harness";
import { expectCompliant } from "../support/policy";
import { APPROVERS, base, build, config, EXECUTION_ROLE, PIPELINE, PROJECT, ROLE_POLICY, TASK_ROLE } from "./fixtures";

const approval = { enabled: true, notificationTopicArn: APPROVERS };

const ACCOUNT = "(offline: account id)";

function statementsOf(graph: Graph, policyName: string): Record<string, any> {
    return Object.fromEntries(parseJson(graph.inputsOf(graph.named(policyName, ROLE_POLICY)).policy).Statement.map((s: any) => [s.Sid, s]));
}

const actionsOf = (statements: Record<string, any>) => Object.values(statements).flatMap((s) => s.Action as string[]);

function expectNoDeployFindings(graph: Graph): void {
    const findings = runDeployChecks(graph.resources, { region: "eu-west-1" }).findings;
    expect(findings.map((f) => `${f.rule} ${f.urn} ${f.property}: ${f.message}`)).to.deep.equal([]);
}

describe("CiCdPipeline gates (issue 17)", () => {
    describe("pull requests", () => {
        let graph: Graph;
        before(async () => {
            ({ graph } = await build({ pullRequestBranches: ["main", "release"], manualApproval: approval }));
        });

        it("run in a separate V2 pipeline started by pull requests only, in PARALLEL mode", () => {
            const pr = graph.inputsOf(graph.named("shop-pr-pipeline", PIPELINE));
            expect(pr.pipelineType).to.equal("V2");
            expect(pr.executionMode).to.equal("PARALLEL");
            expect(pr.triggers).to.deep.equal([{
                providerType: "CodeStarSourceConnection",
                gitConfiguration: { sourceActionName: "Source", pullRequests: [{ events: ["OPEN", "UPDATED"], branches: { includes: ["main", "release"] } }] },
            }]);
            expect(pr.roleArn).to.equal("(known after apply: shop-pr-pipeline.arn)");
        });

        it("only take the source and test it: no image build, no approval, no migration, no deploy", () => {
            const stages = graph.inputsOf(graph.named("shop-pr-pipeline", PIPELINE)).stages;
            expect(stages.map((s: any) => s.name)).to.deep.equal(["Source", "Test"]);
            expect(stages.flatMap((s: any) => s.actions).map((a: any) => `${a.category}/${a.provider}`)).to.deep.equal(["Source/CodeStarSourceConnection", "Build/CodeBuild"]);
            expect(stages[1].actions[0].configuration).to.deep.equal({ ProjectName: "(known after apply: shop-pr-test.name)" });
        });

        it("test in an unprivileged build of their own, with the main test build's buildspec", () => {
            const pr = graph.inputsOf(graph.named("shop-pr-test", PROJECT));
            const main = graph.inputsOf(graph.named("shop-test", PROJECT));
            expect(pr.environment.privilegedMode).to.equal(false);
            expect(pr.environment.environmentVariables).to.deep.equal([]);
            expect(pr.source.buildspec).to.equal(main.source.buildspec);
            expect(pr.serviceRole).to.equal("(known after apply: shop-pr-test-build.arn)");
            expect(pr.logsConfig.cloudwatchLogs).to.include({ groupName: "/scaling-toolkit/shop/codebuild", streamName: "pr-test" });
        });

        it("give the pull request's code a role that reads its source and writes its own log streams, nothing else", () => {
            const s = statementsOf(graph, "shop-pr-test-build");
            expect(Object.keys(s).sort()).to.deep.equal(["DecryptArtifacts", "LocateArtifactBucket", "ReadSourceArtifact", "WriteBuildLogs"]);
            expect(s.WriteBuildLogs.Resource).to.deep.equal(["(known after apply: shop-build-logs.arn):log-stream:pr-test/*"]);
            expect(s.DecryptArtifacts.Action).to.deep.equal(["kms:Decrypt"]);
            expect(actionsOf(s).filter((a) => /^(ecr|ecs|iam|sns|codebuild|s3:Put)/.test(a))).to.deep.equal([]);
        });

        it("give the pull-request pipeline no ECS, ECR, IAM or SNS right, and only its own test build", () => {
            const s = statementsOf(graph, "shop-pr-pipeline");
            expect(Object.keys(s).sort()).to.deep.equal(["EncryptArtifacts", "InspectArtifactBucket", "RunBuilds", "UseArtifacts", "UseConnection"]);
            expect(s.RunBuilds.Resource).to.deep.equal(["(known after apply: shop-pr-test.arn)"]);
            expect(actionsOf(s).filter((a) => /^(ecr|ecs|iam|sns):/.test(a))).to.deep.equal([]);
        });

        it("never reach the privileged build: the main pipeline starts on pushes only and runs none of the pull-request builds", () => {
            const main = graph.inputsOf(graph.named("shop-pipeline", PIPELINE));
            expect(main.executionMode).to.equal("QUEUED");
            expect(main.triggers).to.deep.equal([{ providerType: "CodeStarSourceConnection", gitConfiguration: { sourceActionName: "Source", pushes: [{ branches: { includes: ["main"] } }] } }]);
            expect(statementsOf(graph, "shop-pipeline").RunBuilds.Resource).to.deep.equal(["(known after apply: shop-image.arn)", "(known after apply: shop-test.arn)"]);
            const privileged = graph.byType(PROJECT).filter((p) => graph.inputsOf(p).environment.privilegedMode).map((p) => p.name);
            expect(privileged).to.deep.equal(["shop-image"]);
            const prProjects = graph.inputsOf(graph.named("shop-pr-pipeline", PIPELINE)).stages.flatMap((st: any) => st.actions).map((a: any) => a.configuration.ProjectName).filter(Boolean);
            expect(prProjects).to.deep.equal(["(known after apply: shop-pr-test.name)"]);
        });

        it("pass the policy pack (in production too) and the deploy checks", () => {
            expectCompliant(graph);
            expectCompliant(graph, { config: { production: true } });
            expectNoDeployFindings(graph);
        });

        it("need no approval on the main pipeline: without one, main has no Approve stage and pull requests still stop at Test", async () => {
            const { graph: unapproved } = await build({ pullRequestBranches: ["main"] });
            expect(unapproved.inputsOf(unapproved.named("shop-pipeline", PIPELINE)).stages.map((s: any) => s.name)).to.deep.equal(["Source", "Test", "Build", "Deploy"]);
            expect(unapproved.inputsOf(unapproved.named("shop-pr-pipeline", PIPELINE)).stages.map((s: any) => s.name)).to.deep.equal(["Source", "Test"]);
        });

        it("create nothing without pullRequestBranches", async () => {
            const { graph: plain } = await build();
            expect(plain.byType(PIPELINE).map((p) => p.name)).to.deep.equal(["shop-pipeline"]);
            expect(plain.byType(PROJECT).map((p) => p.name).sort()).to.deep.equal(["shop-image", "shop-test"]);
        });
    });

    describe("migration gate", () => {
        let graph: Graph;
        before(async () => {
            ({ graph } = await build({ manualApproval: approval, migration: { command: ["npm", "run", "migrate"] } }));
        });

        it("runs between the approval and the deploy, failing the execution (no rollback) when the migration fails", () => {
            const stages = graph.inputsOf(graph.named("shop-pipeline", PIPELINE)).stages;
            expect(stages.map((s: any) => s.name)).to.deep.equal(["Source", "Test", "Build", "Approve", "Migrate", "Deploy"]);
            const migrate = stages[4];
            expect(migrate.onFailure).to.deep.equal({ result: "FAIL" });
            expect(migrate.actions).to.deep.equal([{
                name: "Migrate", category: "Build", owner: "AWS", provider: "CodeBuild", version: "1",
                inputArtifacts: ["imagedefinitions"], configuration: { ProjectName: "(known after apply: shop-migrate.name)" },
            }]);
        });

        it("comes right after the image build when nobody approves", async () => {
            const { graph: g } = await build({ migration: { command: ["./migrate"] } });
            expect(g.inputsOf(g.one(PIPELINE)).stages.map((s: any) => s.name)).to.deep.equal(["Source", "Test", "Build", "Migrate", "Deploy"]);
        });

        it("runs in an unprivileged build told the service, the container and the command, with a timeout backing the script's own", () => {
            const project = graph.inputsOf(graph.named("shop-migrate", PROJECT));
            expect(project.environment.privilegedMode).to.equal(false);
            expect(project.vpcConfig).to.equal(undefined);
            const env = Object.fromEntries(project.environment.environmentVariables.map((e: any) => [e.name, e.value]));
            expect(env).to.deep.equal({
                CLUSTER_NAME: "shop-cluster",
                SERVICE_NAME: "shop-api",
                TASK_DEFINITION_FAMILY: "shop-api",
                CONTAINER_NAME: "app",
                MIGRATION_COMMAND: "[\"npm\",\"run\",\"migrate\"]",
                MIGRATION_TIMEOUT_MINUTES: "30",
            });
            expect(project.buildTimeout).to.equal(40);
            const spec = JSON.parse(project.source.buildspec);
            expect(spec.phases.build["on-failure"]).to.equal("ABORT");
            expect(spec.phases.build.commands).to.have.length(1);
            expect(spec.phases.build.commands[0]).to.contain("aws ecs run-task").and.to.contain("aws ecs stop-task").and.to.contain("test \"$EXIT_CODE\" = 0");
        });

        it("may register and run only the service's family, only in its cluster, and pass only the service's roles to ECS tasks", () => {
            const s = statementsOf(graph, "shop-migrate-build");
            expect(Object.keys(s).sort()).to.deep.equal(["DecryptArtifacts", "DescribeTaskDefinitions", "LocateArtifactBucket", "PassServiceRolesToEcs",
                "ReadService", "ReadSourceArtifact", "RegisterMigrationRevisions", "RunMigrationTask", "WatchMigrationTask", "WriteBuildLogs"]);
            const family = `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/shop-api:*`;
            expect(s.ReadService).to.deep.include({ Action: ["ecs:DescribeServices"], Resource: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/shop-cluster/shop-api`] });
            expect(s.RegisterMigrationRevisions).to.deep.include({ Action: ["ecs:RegisterTaskDefinition"], Resource: [family] });
            expect(s.RunMigrationTask).to.deep.include({ Action: ["ecs:RunTask"], Resource: [family], Condition: { ArnEquals: { "ecs:cluster": `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/shop-cluster` } } });
            expect(s.WatchMigrationTask).to.deep.include({ Action: ["ecs:DescribeTasks", "ecs:StopTask"], Resource: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:task/shop-cluster/*`] });
            expect(s.PassServiceRolesToEcs).to.deep.include({ Action: ["iam:PassRole"], Resource: [EXECUTION_ROLE, TASK_ROLE], Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } });
            expect(s.DescribeTaskDefinitions).to.deep.include({ Action: ["ecs:DescribeTaskDefinition"], Resource: ["*"] });
            expect(actionsOf(s).filter((a) => /^(ecr|sns|ecs:UpdateService|s3:Put)/.test(a))).to.deep.equal([]);
        });

        it("is started by the pipeline, which may run exactly its three builds", () => {
            expect(statementsOf(graph, "shop-pipeline").RunBuilds.Resource).to.deep.equal(
                ["(known after apply: shop-image.arn)", "(known after apply: shop-migrate.arn)", "(known after apply: shop-test.arn)"]);
        });

        it("passes the policy pack (in production too) and the deploy checks", () => {
            expectCompliant(graph);
            expectCompliant(graph, { config: { production: true } });
            expectNoDeployFindings(graph);
        });

        it("takes everything from a LoadBalancedService passed directly, and the given timeout", async () => {
            const { graph: g } = await record(() => {
                const api = new LoadBalancedService("api", {
                    network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"], privateSubnetIds: ["subnet-b"] },
                    image: "public.ecr.aws/nginx/nginx:1.27",
                    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1",
                    externalDeployments: true,
                });
                return new CiCdPipeline("api-cd", { ...base, service: api, migration: { command: ["./bin/migrate", "--up"], timeoutMinutes: 90 } });
            }, { config });
            const project = g.inputsOf(g.named("api-cd-migrate", PROJECT));
            const env = Object.fromEntries(project.environment.environmentVariables.map((e: any) => [e.name, e.value]));
            expect(env).to.include({ CLUSTER_NAME: "(known after apply: api-cluster.name)", SERVICE_NAME: "(known after apply: api-service.name)", TASK_DEFINITION_FAMILY: "api", MIGRATION_TIMEOUT_MINUTES: "90" });
            expect(project.buildTimeout).to.equal(100);
            const s = statementsOf(g, "api-cd-migrate-build");
            expect(s.PassServiceRolesToEcs.Resource).to.deep.equal(["(known after apply: api-execution.arn)", "(known after apply: api-task.arn)"]);
            expectNoDeployFindings(g);
        });

        it("creates nothing without migration", async () => {
            const { graph: plain } = await build();
            expect(plain.byType(PROJECT).map((p) => p.name)).to.not.include("shop-migrate");
            expect(plain.inputsOf(plain.one(PIPELINE)).stages.map((s: any) => s.name)).to.not.include("Migrate");
        });
    });

    describe("refused combinations", () => {
        const attempt = (overrides: Partial<CiCdPipelineArgs>) => () => new CiCdPipeline("shop", { ...base, ...overrides });

        it("refuses a migration without a command, with an empty one or with empty words", () => {
            for (const command of [undefined, [], [""], ["npm", "  "], "npm run migrate"]) {
                const error = expectValidationError(attempt({ migration: { command: command as unknown as string[] } }), "CiCdPipeline", "migration.command");
                expect(error.message).to.contain("exec form");
            }
        });

        it("refuses a command RunTask's overrides cannot carry", () => {
            const error = expectValidationError(attempt({ migration: { command: ["migrate", "x".repeat(5000)] } }), "CiCdPipeline", "migration.command");
            expect(error.message).to.contain("at most 4096 characters");
        });

        it("refuses a timeout the build cannot back up", () => {
            for (const timeoutMinutes of [0, 471, 1.5]) {
                const error = expectValidationError(attempt({ migration: { command: ["migrate"], timeoutMinutes } }), "CiCdPipeline", "migration.timeoutMinutes");
                expect(error.message).to.contain("from 1 to 470");
            }
        });

        it("refuses pull-request branches that are not branch names", () => {
            expectValidationError(attempt({ pullRequestBranches: ["feature..x"], manualApproval: approval }), "CiCdPipeline", "pullRequestBranches[0]");
        });

        it("reports migration problems together with the others, before creating anything", () => {
            const error = expectValidationError(attempt({ migration: { command: [], timeoutMinutes: 0 }, branch: "" }), "CiCdPipeline", "branch");
            expect(error.problems.map((p) => p.argument).sort()).to.deep.equal(["branch", "migration.command", "migration.timeoutMinutes"]);
        });
    });
});
