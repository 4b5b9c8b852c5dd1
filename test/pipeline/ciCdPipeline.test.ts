import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { BuildComputeType, CiCdPipeline, CiCdPipelineArgs, CpuArchitecture, LoadBalancedService } from "../../components";
import { arnMatchesFormat, iamActionsMatching } from "../../policies/iamReference";
import { expectValidationError, Graph, parseJson, record, valueOf } from "../support/harness";
import { APPROVERS, base, build, CONNECTION, config, EXECUTION_ROLE, PIPELINE, PROJECT, ROLE_POLICY, service, TASK_ROLE } from "./fixtures";

/** Actions AWS cannot scope to a resource, the only ones allowed on "*". Each is listed with why; none changes anything. */
const UNSCOPABLE = new Set([
    "ecr:GetAuthorizationToken", // registry login token
    "ecs:DescribeTaskDefinition", // read
    "ecs:ListTasks", // list, conditioned on the cluster
]);

function statementsOf(graph: Graph, policyName: string): any[] {
    return parseJson(graph.inputsOf(graph.named(policyName, ROLE_POLICY)).policy).Statement;
}

function bySid(statements: any[]): Record<string, any> {
    return Object.fromEntries(statements.map((s) => [s.Sid, s]));
}

function stagesOf(graph: Graph): any[] {
    return graph.inputsOf(graph.one(PIPELINE)).stages;
}

describe("CiCdPipeline", () => {
    describe("with default arguments", () => {
        let graph: Graph;
        let pipeline: CiCdPipeline;
        before(async () => {
            const rec = await build();
            graph = rec.graph;
            pipeline = rec.result;
        });

        it("is a V2 pipeline started by pushes to the branch, with no pull-request trigger", () => {
            const inputs = graph.inputsOf(graph.one(PIPELINE));
            expect(inputs.pipelineType).to.equal("V2");
            // QUEUED: no later execution replaces one waiting for approval (issue 17; SUPERSEDED before).
            expect(inputs.executionMode).to.equal("QUEUED");
            expect(inputs.triggers).to.deep.equal([{
                providerType: "CodeStarSourceConnection",
                gitConfiguration: { sourceActionName: "Source", pushes: [{ branches: { includes: ["main"] } }] },
            }]);
        });

        it("runs source, test, image build and deploy in that order, with no approval", () => {
            expect(stagesOf(graph).map((s) => s.name)).to.deep.equal(["Source", "Test", "Build", "Deploy"]);
            const actions = stagesOf(graph).flatMap((s) => s.actions);
            expect(actions.map((a) => `${a.category}/${a.provider}`)).to.deep.equal(
                ["Source/CodeStarSourceConnection", "Build/CodeBuild", "Build/CodeBuild", "Deploy/ECS"]);
        });

        it("takes the branch from the repository through the CodeStar connection", () => {
            const [source] = stagesOf(graph)[0].actions;
            expect(source.configuration).to.deep.equal({
                ConnectionArn: CONNECTION,
                FullRepositoryId: "acme/shop-api",
                BranchName: "main",
                OutputArtifactFormat: "CODE_ZIP",
            });
            expect(source.namespace).to.equal("SourceVariables");
        });

        it("tests in an unprivileged build with the default commands", () => {
            const test = graph.inputsOf(graph.named("shop-test", PROJECT));
            expect(test.environment.privilegedMode).to.equal(false);
            expect(test.environment.computeType).to.equal("BUILD_GENERAL1_SMALL");
            expect(test.environment.type).to.equal("LINUX_CONTAINER");
            const spec = JSON.parse(test.source.buildspec);
            expect(spec.phases.build.commands).to.deep.equal(["npm ci", "npm test"]);
            expect(spec.phases.build["on-failure"]).to.equal("ABORT");
            const [action] = stagesOf(graph)[1].actions;
            expect(action.configuration.ProjectName).to.equal("(known after apply: shop-test.name)");
        });

        it("builds the image in the only privileged build, tagged with the commit, and writes imagedefinitions.json", () => {
            const image = graph.inputsOf(graph.named("shop-image", PROJECT));
            expect(image.environment.privilegedMode).to.equal(true);
            const env = Object.fromEntries(image.environment.environmentVariables.map((e: any) => [e.name, e.value]));
            expect(env).to.deep.equal({
                REPOSITORY_URI: "(known after apply: shop-images.repositoryUrl)",
                CONTAINER_NAME: "app",
                DOCKERFILE: "Dockerfile",
                DOCKER_CONTEXT: ".",
            });
            const spec = JSON.parse(image.source.buildspec);
            const script = spec.phases.build.commands.join("\n");
            expect(script).to.contain("docker login").and.to.contain("docker build").and.to.contain("docker push \"$REPOSITORY_URI:$IMAGE_TAG\"");
            expect(script).to.contain("> imagedefinitions.json");
            expect(spec.artifacts.files).to.deep.equal(["imagedefinitions.json"]);
            const [action] = stagesOf(graph)[2].actions;
            expect(JSON.parse(action.configuration.EnvironmentVariables)).to.deep.equal(
                [{ name: "IMAGE_TAG", value: "#{SourceVariables.CommitId}", type: "PLAINTEXT" }]);
            expect(action.outputArtifacts).to.deep.equal(["imagedefinitions"]);
            const privileged = graph.byType(PROJECT).filter((p) => graph.inputsOf(p).environment.privilegedMode);
            expect(privileged.map((p) => p.name)).to.deep.equal(["shop-image"]);
        });

        it("deploys the image definitions to the ECS service, rolling back a failed deploy", () => {
            const deploy = stagesOf(graph)[3];
            expect(deploy.onFailure).to.deep.equal({ result: "ROLLBACK" });
            expect(deploy.actions[0].configuration).to.deep.equal({ ClusterName: "shop-cluster", ServiceName: "shop-api", FileName: "imagedefinitions.json" });
            expect(deploy.actions[0].inputArtifacts).to.deep.equal(["imagedefinitions"]);
        });

        it("creates an ECR repository that scans on push, keeps tags immutable and the last 30 images, encrypted with its key", () => {
            const repo = graph.inputsOf(graph.one("aws:ecr/repository:Repository"));
            expect(repo.name).to.equal("shop");
            expect(repo.imageTagMutability).to.equal("IMMUTABLE");
            expect(repo.imageScanningConfiguration).to.deep.equal({ scanOnPush: true });
            expect(repo.encryptionConfigurations).to.deep.equal([{ encryptionType: "KMS", kmsKey: "(known after apply: shop-key.arn)" }]);
            const lifecycle = JSON.parse(graph.inputsOf(graph.one("aws:ecr/lifecyclePolicy:LifecyclePolicy")).policy);
            expect(lifecycle.rules).to.have.length(1);
            expect(lifecycle.rules[0].selection).to.deep.equal({ tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 });
            expect(lifecycle.rules[0].action).to.deep.equal({ type: "expire" });
        });

        it("creates a rotating KMS key whose policy admits the account, the build log group and EventBridge only", () => {
            const key = graph.inputsOf(graph.one("aws:kms/key:Key"));
            expect(key.enableKeyRotation).to.equal(true);
            const statements = bySid(parseJson(key.policy).Statement);
            expect(Object.keys(statements).sort()).to.deep.equal(["AccountAdministersKeyThroughIam", "CloudWatchLogsEncryptsBuildLogs", "EventBridgePublishesToEncryptedTopic"]);
            expect(statements.AccountAdministersKeyThroughIam.Principal).to.deep.equal({ AWS: "arn:aws:iam::(offline: account id):root" });
            expect(statements.CloudWatchLogsEncryptsBuildLogs.Principal).to.deep.equal({ Service: "logs.eu-west-1.amazonaws.com" });
            expect(statements.CloudWatchLogsEncryptsBuildLogs.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"])
                .to.equal("arn:aws:logs:eu-west-1:(offline: account id):log-group:/scaling-toolkit/shop/codebuild");
            expect(statements.EventBridgePublishesToEncryptedTopic.Action).to.deep.equal(["kms:Decrypt", "kms:GenerateDataKey"]);
        });

        it("keeps artifacts in a KMS-encrypted, versioned, TLS-only, private bucket that expires them", () => {
            const sse = graph.inputsOf(graph.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"));
            expect(sse.rules[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: "(known after apply: shop-key.arn)" });
            expect(graph.inputsOf(graph.one("aws:s3/bucketVersioning:BucketVersioning")).versioningConfiguration.status).to.equal("Enabled");
            expect(graph.inputsOf(graph.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")))
                .to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            const policy = parseJson(graph.inputsOf(graph.one("aws:s3/bucketPolicy:BucketPolicy")).policy);
            expect(policy.Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
            const lifecycle = graph.inputsOf(graph.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"));
            expect(lifecycle.rules[0].expiration).to.deep.equal({ days: 30 });
            expect(lifecycle.rules[0].noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 30 });
            const store = graph.inputsOf(graph.one(PIPELINE)).artifactStores;
            expect(store).to.deep.equal([{ type: "S3", location: "(known after apply: shop-artifacts.bucket)", encryptionKey: { type: "KMS", id: "(known after apply: shop-key.arn)" } }]);
        });

        it("logs both builds to one encrypted log group with retention", () => {
            const group = graph.inputsOf(graph.one("aws:cloudwatch/logGroup:LogGroup"));
            expect(group).to.include({ name: "/scaling-toolkit/shop/codebuild", retentionInDays: 30, kmsKeyId: "(known after apply: shop-key.arn)" });
            for (const project of graph.byType(PROJECT).map((p) => graph.inputsOf(p))) {
                expect(project.logsConfig.cloudwatchLogs).to.include({ status: "ENABLED", groupName: "/scaling-toolkit/shop/codebuild" });
                expect(project.encryptionKey).to.equal("(known after apply: shop-key.arn)");
                expect(project.buildTimeout).to.equal(30);
            }
        });

        it("uses separate roles for the pipeline and for each build, each trusted by its own service in this account", () => {
            const roles = graph.byType("aws:iam/role:Role").map((r) => [r.name, parseJson(graph.inputsOf(r).assumeRolePolicy).Statement[0]]);
            expect(roles.map(([n]) => n).sort()).to.deep.equal(["shop-image-build", "shop-pipeline", "shop-test-build"]);
            const trust = Object.fromEntries(roles.map(([n, s]) => [n, s.Principal.Service]));
            expect(trust).to.deep.equal({ "shop-image-build": "codebuild.amazonaws.com", "shop-test-build": "codebuild.amazonaws.com", "shop-pipeline": "codepipeline.amazonaws.com" });
            expect(roles.every(([, s]) => s.Condition.StringEquals["aws:SourceAccount"] === "(offline: account id)")).to.equal(true);
            expect(graph.inputsOf(graph.named("shop-test", PROJECT)).serviceRole).to.equal("(known after apply: shop-test-build.arn)");
            expect(graph.inputsOf(graph.named("shop-image", PROJECT)).serviceRole).to.equal("(known after apply: shop-image-build.arn)");
            expect(graph.inputsOf(graph.one(PIPELINE)).roleArn).to.equal("(known after apply: shop-pipeline.arn)");
        });

        it("grants no wildcard action and puts \"*\" only on actions AWS cannot scope", () => {
            const statements = graph.byType(ROLE_POLICY).flatMap((p) => parseJson(graph.inputsOf(p).policy).Statement);
            expect(statements.length).to.be.greaterThan(10);
            for (const s of statements) {
                expect(s.Effect).to.equal("Allow");
                expect(s.Action.filter((a: string) => a.includes("*")), s.Sid).to.deep.equal([]);
                if (s.Resource.includes("*")) {
                    expect(s.Resource, s.Sid).to.deep.equal(["*"]);
                    expect(s.Action.filter((a: string) => !UNSCOPABLE.has(a)), s.Sid).to.deep.equal([]);
                }
            }
        });

        it("lets the test build read its source and write its logs, and nothing else", () => {
            const s = bySid(statementsOf(graph, "shop-test-build"));
            expect(Object.keys(s).sort()).to.deep.equal(["DecryptArtifacts", "LocateArtifactBucket", "ReadSourceArtifact", "WriteBuildLogs"]);
            expect(s.WriteBuildLogs.Resource).to.deep.equal(["(known after apply: shop-build-logs.arn):log-stream:*"]);
            expect(s.ReadSourceArtifact).to.deep.include({ Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: ["(known after apply: shop-artifacts.arn)/*"] });
            expect(s.DecryptArtifacts).to.deep.include({ Action: ["kms:Decrypt"], Resource: ["(known after apply: shop-key.arn)"] });
        });

        it("lets the image build push to exactly its repository", () => {
            const s = bySid(statementsOf(graph, "shop-image-build"));
            expect(s.PushImages.Resource).to.deep.equal(["(known after apply: shop-images.arn)"]);
            expect(s.PushImages.Action).to.include.members(["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]);
            expect(s.EcrLogin).to.deep.include({ Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] });
            expect(s.WriteImageDefinitions).to.deep.include({ Action: ["s3:PutObject"], Resource: ["(known after apply: shop-artifacts.arn)/*"] });
        });

        it("lets the pipeline use exactly its bucket, key, connection, builds and service", () => {
            const s = bySid(statementsOf(graph, "shop-pipeline"));
            expect(s.UseArtifacts.Resource).to.deep.equal(["(known after apply: shop-artifacts.arn)/*"]);
            expect(s.EncryptArtifacts.Resource).to.deep.equal(["(known after apply: shop-key.arn)"]);
            expect(s.UseConnection).to.deep.include({ Action: ["codeconnections:UseConnection"], Resource: [CONNECTION] });
            expect(s.RunBuilds).to.deep.include({
                Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
                Resource: ["(known after apply: shop-image.arn)", "(known after apply: shop-test.arn)"],
            });
            expect(s.DeployService).to.deep.include({
                Action: ["ecs:DescribeServices", "ecs:UpdateService"],
                Resource: ["arn:aws:ecs:eu-west-1:(offline: account id):service/shop-cluster/shop-api"],
            });
            expect(s.ListServiceTasks.Condition).to.deep.equal({ ArnEquals: { "ecs:cluster": "arn:aws:ecs:eu-west-1:(offline: account id):cluster/shop-cluster" } });
            expect(s.TagNewTaskDefinitionRevisions.Condition).to.deep.equal({ StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } });
            expect(s.DescribeTaskDefinitions).to.deep.include({ Action: ["ecs:DescribeTaskDefinition"], Resource: ["*"] });
            expect(s.RegisterTaskDefinitionRevisions).to.deep.include({
                Action: ["ecs:RegisterTaskDefinition"],
                Resource: ["arn:aws:ecs:eu-west-1:(offline: account id):task-definition/shop-api:*"],
            });
            expect(s.NotifyApprovers).to.equal(undefined);
        });

        it("scopes ecs:RegisterTaskDefinition to the service's family, an ARN the IAM reference accepts for the action", () => {
            const { RegisterTaskDefinitionRevisions: register } = bySid(statementsOf(graph, "shop-pipeline"));
            const [action] = iamActionsMatching("ecs:RegisterTaskDefinition")!;
            expect(action.resourceTypes.map((r) => r.name)).to.deep.equal(["task-definition"]);
            // The offline account id is not an account: compare with a wildcard in its place.
            const arn = register.Resource[0].replace("(offline: account id)", "*");
            expect(arnMatchesFormat(arn, action.resourceTypes[0].arnFormat), `${arn} vs ${action.resourceTypes[0].arnFormat}`).to.equal(true);
            expect(arnMatchesFormat(arn.replace(":task-definition/", ":service/"), action.resourceTypes[0].arnFormat)).to.equal(false);
        });

        it("needs no managed policy and no waiver", () => {
            expect(graph.byType("aws:iam/policy:Policy")).to.deep.equal([]);
            expect(graph.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).to.deep.equal([]);
            for (const r of graph.customResources) {
                expect(Object.keys(graph.inputsOf(r).tags ?? {}).filter((k) => k.includes("waive")), r.name).to.deep.equal([]);
            }
        });

        it("passes only the service's task and execution roles, and only to ECS tasks", () => {
            const passRole = graph.byType(ROLE_POLICY).flatMap((p) => parseJson(graph.inputsOf(p).policy).Statement)
                .filter((s) => s.Action.includes("iam:PassRole"));
            expect(passRole).to.have.length(1);
            expect(passRole[0].Action).to.deep.equal(["iam:PassRole"]);
            expect(passRole[0].Resource).to.deep.equal([EXECUTION_ROLE, TASK_ROLE]);
            expect(passRole[0].Condition).to.deep.equal({ StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } });
        });

        it("publishes failed executions of this pipeline to an encrypted topic only EventBridge's rule may publish to", () => {
            const rule = graph.inputsOf(graph.one("aws:cloudwatch/eventRule:EventRule"));
            expect(parseJson(rule.eventPattern)).to.deep.equal({
                "source": ["aws.codepipeline"],
                "detail-type": ["CodePipeline Pipeline Execution State Change"],
                "detail": { pipeline: ["(known after apply: shop-pipeline.name)"], state: ["FAILED"] },
            });
            const target = graph.inputsOf(graph.one("aws:cloudwatch/eventTarget:EventTarget"));
            expect(target.arn).to.equal("(known after apply: shop-notifications.arn)");
            expect(target.rule).to.equal("(known after apply: shop-failed.name)");
            expect(graph.inputsOf(graph.one("aws:sns/topic:Topic")).kmsMasterKeyId).to.equal("(known after apply: shop-key.arn)");
            const [publish] = parseJson(graph.inputsOf(graph.one("aws:sns/topicPolicy:TopicPolicy")).policy).Statement;
            expect(publish).to.deep.include({ Principal: { Service: "events.amazonaws.com" }, Action: ["sns:Publish"], Resource: ["(known after apply: shop-notifications.arn)"] });
            expect(publish.Condition).to.deep.equal({ ArnEquals: { "aws:SourceArn": "(known after apply: shop-failed.arn)" } });
        });

        it("parents and tags every child", () => {
            const component = graph.one("scaling-toolkit:index:CiCdPipeline");
            const children = graph.childrenOf(component).filter((r) => r.custom);
            expect(children.length).to.equal(graph.customResources.length);
            for (const child of children.filter((c) => graph.inputsOf(c).tags !== undefined)) {
                expect(graph.inputsOf(child).tags, child.name).to.include({ ManagedBy: "scaling-toolkit", Component: "CiCdPipeline" });
            }
        });

        it("outputs the pipeline, repository, bucket and notification topic", async () => {
            expect(await valueOf(pipeline.pipelineName)).to.equal("(known after apply: shop-pipeline.name)");
            expect(await valueOf(pipeline.pipelineArn)).to.equal("(known after apply: shop-pipeline.arn)");
            expect(await valueOf(pipeline.repositoryUrl)).to.equal("(known after apply: shop-images.repositoryUrl)");
            expect(await valueOf(pipeline.repositoryArn)).to.equal("(known after apply: shop-images.arn)");
            expect(await valueOf(pipeline.artifactBucketName)).to.equal("(known after apply: shop-artifacts.bucket)");
            expect(await valueOf(pipeline.notificationTopicArn)).to.equal("(known after apply: shop-notifications.arn)");
            const registered = graph.one("scaling-toolkit:index:CiCdPipeline").outputs!;
            expect(Object.keys(registered)).to.include.members(["pipelineName", "pipelineArn", "repositoryUrl", "artifactBucketName"]);
        });
    });

    it("deploys a LoadBalancedService passed directly, to the container it defines", async () => {
        const { graph } = await record(() => {
            const api = new LoadBalancedService("api", {
                network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"], privateSubnetIds: ["subnet-b"] },
                image: "public.ecr.aws/nginx/nginx:1.27",
                certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1",
            });
            return new CiCdPipeline("api-cd", { ...base, service: api });
        }, { config });
        const deploy = stagesOf(graph)[3].actions[0].configuration;
        expect(deploy).to.include({ ClusterName: "(known after apply: api-cluster.name)", ServiceName: "(known after apply: api-service.name)" });
        const s = bySid(statementsOf(graph, "api-cd-pipeline"));
        expect(s.PassServiceRolesToEcs.Resource).to.deep.equal(["(known after apply: api-execution.arn)", "(known after apply: api-task.arn)"]);
        expect(s.DeployService.Resource).to.deep.equal(["arn:aws:ecs:eu-west-1:(offline: account id):service/(known after apply: api-cluster.name)/(known after apply: api-service.name)"]);
        expect(s.RegisterTaskDefinitionRevisions.Resource).to.deep.equal(["arn:aws:ecs:eu-west-1:(offline: account id):task-definition/api:*"]);
        const [container] = JSON.parse(graph.inputsOf(graph.one("aws:ecs/taskDefinition:TaskDefinition")).containerDefinitions);
        const env = graph.inputsOf(graph.named("api-cd-image", PROJECT)).environment.environmentVariables;
        expect(env.find((e: any) => e.name === "CONTAINER_NAME").value).to.equal(container.name);
    });

    it("builds the README example: the service may pull exactly the images the pipeline pushes", async () => {
        const { graph } = await record(() => {
            const region = aws.getRegionOutput().region;
            const account = aws.getCallerIdentityOutput().accountId;
            const api = new LoadBalancedService("shop-api", {
                network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"], privateSubnetIds: ["subnet-b"] },
                image: "public.ecr.aws/nginx/nginx:1.27",
                imageRepositoryArns: [pulumi.interpolate`arn:aws:ecr:${region}:${account}:repository/shop-api`],
                certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1",
            });
            return new CiCdPipeline("shop-api-cd", {
                service: api,
                connectionArn: CONNECTION,
                repository: "acme/shop-api",
                branch: "main",
                repositoryName: "shop-api",
                manualApproval: { enabled: true, notificationTopicArn: APPROVERS },
            });
        }, { config });
        expect(graph.inputsOf(graph.one("aws:ecr/repository:Repository")).name).to.equal("shop-api");
        const pull = bySid(statementsOf(graph, "shop-api-execution")).PullImage;
        expect(pull.Resource).to.deep.equal(["arn:aws:ecr:eu-west-1:(offline: account id):repository/shop-api"]);
    });

    it("adds a manual approval that notifies the approvers' topic before deploying", async () => {
        const key = "arn:aws:kms:eu-west-1:123456789012:key/approvers";
        const { graph } = await build({ manualApproval: { enabled: true, notificationTopicArn: APPROVERS, notificationTopicKmsKeyArn: key } });
        expect(stagesOf(graph).map((s) => s.name)).to.deep.equal(["Source", "Test", "Build", "Approve", "Deploy"]);
        const [approve] = stagesOf(graph)[3].actions;
        expect(approve).to.include({ category: "Approval", provider: "Manual", owner: "AWS" });
        expect(approve.configuration.NotificationArn).to.equal(APPROVERS);
        expect(approve.configuration.CustomData).to.contain("acme/shop-api@main");
        const s = bySid(statementsOf(graph, "shop-pipeline"));
        expect(s.NotifyApprovers).to.deep.include({ Action: ["sns:Publish"], Resource: [APPROVERS] });
        expect(s.EncryptApprovalNotifications).to.deep.include({ Resource: [key] });
    });

    it("starts on pull requests to the given branches only when approval guards the deploy", async () => {
        const { graph } = await build({
            branch: "release",
            pullRequestBranches: ["release"],
            manualApproval: { enabled: true, notificationTopicArn: APPROVERS },
        });
        // Issue 17: pull requests start their own tests-only pipeline; the main one starts on pushes only.
        const [trigger] = graph.inputsOf(graph.named("shop-pipeline", PIPELINE)).triggers;
        expect(trigger.gitConfiguration.pushes).to.deep.equal([{ branches: { includes: ["release"] } }]);
        expect(trigger.gitConfiguration.pullRequests).to.equal(undefined);
        const [prTrigger] = graph.inputsOf(graph.named("shop-pr-pipeline", PIPELINE)).triggers;
        expect(prTrigger.gitConfiguration.pullRequests).to.deep.equal([{ events: ["OPEN", "UPDATED"], branches: { includes: ["release"] } }]);
        expect(graph.inputsOf(graph.named("shop-pipeline", PIPELINE)).stages[0].actions[0].configuration.BranchName).to.equal("release");
    });

    it("runs the caller's buildspecs, sizes and architecture, and keeps the given number of images", async () => {
        const { graph } = await build({
            testBuildspec: "ci/test.yml",
            imageBuildspec: "ci/image.yml",
            buildComputeType: BuildComputeType.Medium,
            buildArchitecture: CpuArchitecture.ARM64,
            imageRetentionCount: 5,
            repositoryName: "acme/shop-api",
            logRetentionDays: 90,
        });
        const projects = Object.fromEntries(graph.byType(PROJECT).map((p) => [p.name, graph.inputsOf(p)]));
        expect(projects["shop-test"].source.buildspec).to.equal("ci/test.yml");
        expect(projects["shop-image"].source.buildspec).to.equal("ci/image.yml");
        for (const p of Object.values(projects)) {
            expect(p.environment).to.include({ computeType: "BUILD_GENERAL1_MEDIUM", type: "ARM_CONTAINER", image: "aws/codebuild/amazonlinux-aarch64-standard:3.0" });
        }
        expect(projects["shop-test"].environment.privilegedMode).to.equal(false);
        const lifecycle = JSON.parse(graph.inputsOf(graph.one("aws:ecr/lifecyclePolicy:LifecyclePolicy")).policy);
        expect(lifecycle.rules[0].selection.countNumber).to.equal(5);
        expect(graph.inputsOf(graph.one("aws:ecr/repository:Repository")).name).to.equal("acme/shop-api");
        expect(graph.inputsOf(graph.one("aws:cloudwatch/logGroup:LogGroup")).retentionInDays).to.equal(90);
    });

    describe("validation", () => {
        const attempt = (overrides: Partial<CiCdPipelineArgs>) => () => new CiCdPipeline("shop", { ...base, ...overrides });

        it("rejects a missing connection ARN before creating anything", () => {
            expectValidationError(attempt({ connectionArn: undefined as unknown as string }), "CiCdPipeline", "connectionArn");
        });

        it("rejects a connection ARN that is not a CodeStar connection", () => {
            expectValidationError(attempt({ connectionArn: "arn:aws:iam::123456789012:role/x" }), "CiCdPipeline", "connectionArn");
        });

        it("rejects an empty branch", () => {
            const error = expectValidationError(attempt({ branch: "" }), "CiCdPipeline", "branch");
            expect(error.message).to.contain('argument "branch" was ""');
        });

        it("rejects a retention of zero images", () => {
            const error = expectValidationError(attempt({ imageRetentionCount: 0 }), "CiCdPipeline", "imageRetentionCount");
            expect(error.message).to.contain("was 0").and.to.contain("from 1 to 1000");
        });

        it("rejects an approval stage without a notification target", () => {
            const error = expectValidationError(attempt({ manualApproval: { enabled: true } }), "CiCdPipeline", "manualApproval.notificationTopicArn");
            expect(error.message).to.equal('CiCdPipeline "shop": argument "manualApproval.notificationTopicArn" was missing; ' +
                "allowed: the ARN of an SNS topic approvers subscribe to (required when manualApproval is enabled)");
        });

        it("accepts a pull-request trigger without an approval: pull requests run in the tests-only pipeline", () => {
            expect(attempt({ pullRequestBranches: ["main"] })).to.not.throw();
        });

        it("rejects a repository that is not owner/name", () => {
            expectValidationError(attempt({ repository: "shop-api" }), "CiCdPipeline", "repository");
        });

        it("rejects an empty test command list", () => {
            expectValidationError(attempt({ testCommands: [] }), "CiCdPipeline", "testCommands");
        });

        it("rejects a service without a valid task definition family", () => {
            expectValidationError(attempt({ service: { ...service, taskDefinitionFamily: undefined as unknown as string } }), "CiCdPipeline", "service.taskDefinitionFamily");
            const error = expectValidationError(attempt({ service: { ...service, taskDefinitionFamily: "shop api:1" } }), "CiCdPipeline", "service.taskDefinitionFamily");
            expect(error.message).to.contain("1-255 letters, digits, - and _");
        });

        it("reports every problem at once", () => {
            const error = expectValidationError(attempt({ branch: "", imageRetentionCount: 0, connectionArn: "" }), "CiCdPipeline", "branch");
            expect(error.problems.map((p) => p.argument).sort()).to.deep.equal(["branch", "connectionArn", "imageRetentionCount"]);
        });
    });
});
