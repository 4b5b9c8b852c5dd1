/**
 * The pipeline uses its connection with the IAM action of the connection's own service prefix
 * (codeconnections or codestar-connections), and each such statement passes the deploy checks'
 * IAM rule against the service authorization reference.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { CiCdPipeline, CiCdPipelineArgs } from "../../components";
import { useConnectionAction } from "../../components/pipeline/source";
import { runDeployChecks } from "../../preview/deployChecks";
import { Graph, parseJson, record } from "../support/harness";
import { config, service } from "./fixtures";

const NEW = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f";
const OLD = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f";

function useConnection(graph: Graph): any {
    const policy = graph.inputsOf(graph.named("shop-pipeline", "aws:iam/rolePolicy:RolePolicy")).policy;
    return parseJson(policy).Statement.find((s: any) => s.Sid === "UseConnection");
}

async function build(connectionArn: pulumi.Input<string>) {
    const args: CiCdPipelineArgs = { service, connectionArn, repository: "acme/shop-api" };
    return (await record(() => new CiCdPipeline("shop", args), { config })).graph;
}

describe("CiCdPipeline connection permissions", () => {
    it("chooses the action by the ARN's service prefix", () => {
        expect(useConnectionAction(NEW)).to.equal("codeconnections:UseConnection");
        expect(useConnectionAction(OLD)).to.equal("codestar-connections:UseConnection");
        expect(useConnectionAction("arn:aws-cn:codestar-connections:cn-north-1:123456789012:connection/x")).to.equal("codestar-connections:UseConnection");
    });

    for (const [label, arn, action] of [["codeconnections", NEW, "codeconnections:UseConnection"], ["codestar-connections", OLD, "codestar-connections:UseConnection"]]) {
        it(`grants ${action} alone on a ${label} connection, which the deploy checks accept`, async () => {
            const graph = await build(arn);
            expect(useConnection(graph)).to.deep.include({ Action: [action], Resource: [arn] });
            const iam = runDeployChecks(graph.resources, { region: "eu-west-1" }).findings.filter((f) => f.rule === "iam");
            expect(iam.map((f) => `${f.urn} ${f.property}: ${f.message}`)).to.deep.equal([]);
        });
    }

    it("decides once a connection ARN given as an output (a secret from config) is known", async () => {
        const graph = await build(pulumi.secret(OLD));
        expect(useConnection(graph).Action).to.deep.equal(["codestar-connections:UseConnection"]);
    });

    it("the deploy checks would refuse the other prefix's action on the connection (the check is not silent)", async () => {
        const { graph } = await record(() => {
            new aws.iam.RolePolicy("both", {
                role: "r",
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "UseConnection", Effect: "Allow", Action: ["codestar-connections:UseConnection"], Resource: [NEW] }] }),
            });
        }, { config });
        const iam = runDeployChecks(graph.resources, { region: "eu-west-1" }).findings.filter((f) => f.rule === "iam");
        expect(iam.map((f) => f.message).join("\n")).to.contain("codestar-connections:UseConnection");
    });
});
