import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { CiCdPipeline, LoadBalancedService } from "../../components";
import { arnMatchesFormat, iamActionsMatching } from "../../policies/iamReference";
import { expectValidationError, Graph, parseJson, record, valueOf } from "../support/harness";
import { base, CONNECTION, config, EXECUTION_ROLE, ROLE_POLICY } from "./fixtures";

function policyOf(graph: Graph, name: string): { role: unknown; statements: Record<string, any> } {
    const inputs = graph.inputsOf(graph.named(name, ROLE_POLICY));
    return { role: inputs.role, statements: Object.fromEntries(parseJson(inputs.policy).Statement.map((s: any) => [s.Sid, s])) };
}

describe("CiCdPipeline grants and outputs", () => {
    describe("grantPull", () => {
        let graph: Graph;
        before(async () => {
            ({ graph } = await record(() => {
                const pipeline = new CiCdPipeline("shop", base, {});
                const reader = new aws.iam.Role("reader", { assumeRolePolicy: "{}" });
                pipeline.grantPull(EXECUTION_ROLE);
                pipeline.grantPull(reader);
                pipeline.grantPull("batch-jobs", { name: "shop-pull-for-batch" });
            }, { config }));
        });

        it("attaches one inline policy per grant, named after the pipeline, to the named role", () => {
            expect(policyOf(graph, "shop-pull-images").role).to.equal("shop-api-execution");
            expect(policyOf(graph, "shop-pull-images-2").role).to.equal("(known after apply: reader.name)");
            expect(policyOf(graph, "shop-pull-for-batch").role).to.equal("batch-jobs");
            // A policy belongs with its principal: the role given as a resource is its parent, else the pipeline.
            expect(graph.named("shop-pull-images", ROLE_POLICY).parent).to.equal(graph.one("scaling-toolkit:index:CiCdPipeline").urn);
            expect(graph.named("shop-pull-images-2", ROLE_POLICY).parent).to.equal(graph.named("reader", "aws:iam/role:Role").urn);
        });

        it("allows the registry login and pulling from exactly the pipeline's repository, and nothing else", () => {
            const { statements } = policyOf(graph, "shop-pull-images");
            expect(Object.keys(statements).sort()).to.deep.equal(["EcrLogin", "PullImage"]);
            expect(statements.EcrLogin).to.deep.include({ Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] });
            expect(statements.PullImage).to.deep.include({
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: ["(known after apply: shop-images.arn)"],
            });
        });

        it("uses actions the IAM reference defines, scoped as it says: the login on \"*\", the pulls on the repository", () => {
            const { statements } = policyOf(graph, "shop-pull-images");
            const [login] = iamActionsMatching("ecr:GetAuthorizationToken")!;
            expect(login.resourceTypes, "GetAuthorizationToken has no resource-level permissions").to.deep.equal([]);
            for (const action of statements.PullImage.Action as string[]) {
                const [described] = iamActionsMatching(action)!;
                expect(described, action).to.not.equal(undefined);
                expect(described.resourceTypes.map((r) => r.name), action).to.deep.equal(["repository"]);
                // A real repository ARN of the pipeline's name, in the form the reference gives.
                const arn = "arn:aws:ecr:eu-west-1:123456789012:repository/shop";
                expect(arnMatchesFormat(arn, described.resourceTypes[0].arnFormat), `${action}: ${described.resourceTypes[0].arnFormat}`).to.equal(true);
                expect(arnMatchesFormat(arn.replace(":repository/", ":secret:"), described.resourceTypes[0].arnFormat)).to.equal(false);
            }
        });
    });

    it("builds the README example: the service's execution role pulls exactly the pipeline's images through grantPull", async () => {
        const { graph } = await record(() => {
            const api = new LoadBalancedService("shop-api", {
                network: { vpcId: "vpc-1", publicSubnetIds: ["subnet-a"], privateSubnetIds: ["subnet-b"] },
                image: "public.ecr.aws/nginx/nginx:1.27",
                externalDeployments: true,
                certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1",
            });
            const cd = new CiCdPipeline("shop-api-cd", {
                service: api,
                connectionArn: CONNECTION,
                repository: "acme/shop-api",
                branch: "main",
                repositoryName: "shop-api",
                manualApproval: { enabled: true, notificationTopicArn: "arn:aws:sns:eu-west-1:123456789012:release-approvers" },
            });
            cd.grantPull(api.executionRoleArn, { parent: api });
        }, { config });
        const grant = policyOf(graph, "shop-api-cd-pull-images");
        expect(grant.role).to.equal("(known after apply: shop-api-execution.arn)");
        expect(grant.statements.PullImage.Resource).to.deep.equal(["(known after apply: shop-api-cd-images.arn)"]);
        expect(graph.named("shop-api-cd-pull-images", ROLE_POLICY).parent).to.equal(graph.one("scaling-toolkit:index:LoadBalancedService").urn);
        // The service's own policy pulls no repository: its first image is public.
        expect(policyOf(graph, "shop-api-execution").statements.PullImage).to.equal(undefined);
    });

    describe("a repository name defaulted from the component's name", () => {
        it("says the argument was not set but defaulted from the component's name", () => {
            const error = expectValidationError(() => new CiCdPipeline("p", base), "CiCdPipeline", "repositoryName");
            expect(error.message).to.equal('CiCdPipeline "p": argument "repositoryName" was "p" (not set: defaulted from the component\'s name "p"; ' +
                "set repositoryName or rename the component); allowed: an ECR repository name: 2-256 lowercase letters, digits and . _ - / separators");
            expect(error.problems.map((p) => p.argument)).to.deep.equal(["repositoryName"]);
        });

        it("says nothing of a default when the caller set the argument", () => {
            const error = expectValidationError(() => new CiCdPipeline("shop", { ...base, repositoryName: "Shop" }), "CiCdPipeline", "repositoryName");
            expect(error.message).to.equal('CiCdPipeline "shop": argument "repositoryName" was "Shop"; ' +
                "allowed: an ECR repository name: 2-256 lowercase letters, digits and . _ - / separators");
        });

        it("keeps the note on its problem only, among several", () => {
            const error = expectValidationError(() => new CiCdPipeline("Shop", { ...base, branch: "" }), "CiCdPipeline", "repositoryName");
            expect(error.problems.map((p) => [p.argument, p.given.includes("defaulted")])).to.deep.equal([["branch", false], ["repositoryName", true]]);
        });
    });

    it("registers every output field as an output, with the same values", async () => {
        const { graph, result } = await record(() => new CiCdPipeline("shop", base), { config });
        const fields = Object.keys(result).filter((k) => k !== "urn" && pulumi.Output.isInstance((result as any)[k]));
        // The role was a field but not a registered output before publish().
        expect(fields).to.include.members(["pipelineName", "repositoryArn", "logGroupName", "pipelineRoleArn"]);
        const registered = graph.one("scaling-toolkit:index:CiCdPipeline").outputs!;
        expect(Object.keys(registered).sort()).to.deep.equal([...fields].sort());
        for (const field of fields) {
            expect(await valueOf((result as any)[field]), field).to.deep.equal(registered[field]);
        }
    });
});
