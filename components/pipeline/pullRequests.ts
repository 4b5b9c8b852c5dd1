import * as aws from "@pulumi/aws";
import { childName } from "../common/naming";
import { BuildInputs, buildProject, buildStatements, testStage } from "./builds";
import { PipelineContext } from "./context";
import { pipelineRole } from "./pipeline";
import { artifactStore, sourceStage, sourceStatements } from "./source";
import { PipelineSpec } from "./spec";

/**
 * Pull requests run in a pipeline of their own that only tests: Source (the pull request's commit)
 * -> Test, in an unprivileged build whose role may read its source and write its own log streams,
 * and nothing else: no Docker, no registry, no ECS, no approval to replace. Its executions run in
 * PARALLEL mode (each pull request independently; it has no stage to roll back). The main pipeline
 * never starts on a pull request, so a pull request's code never reaches the privileged image build
 * or the deploy. Undefined when there are no `pullRequestBranches`.
 */
export function pullRequestPipeline(ctx: PipelineContext, spec: PipelineSpec, inputs: BuildInputs): aws.codepipeline.Pipeline | undefined {
    if (spec.pullRequestBranches.length === 0) {
        return undefined;
    }
    const test = buildProject(ctx, spec, inputs, {
        id: "pr-test",
        description: `Runs the tests of pull requests to ${spec.repository} for pipeline ${ctx.name} (no Docker, no registry, no deploy)`,
        privileged: false,
        buildspec: spec.testBuildspec,
        statements: [{ sid: "DecryptArtifacts", actions: ["kms:Decrypt"], resources: [inputs.key.arn] }],
        environmentVariables: [],
        ownLogStreamsOnly: true,
    });
    const role = pipelineRole(ctx, [...sourceStatements(spec, inputs.artifacts, inputs.key), ...buildStatements([test])], "pr-pipeline");
    return new aws.codepipeline.Pipeline(childName(ctx.name, "pr-pipeline"), {
        pipelineType: "V2",
        executionMode: "PARALLEL",
        roleArn: role.role.arn,
        artifactStores: [artifactStore(inputs.artifacts, inputs.key)],
        triggers: [{
            providerType: "CodeStarSourceConnection",
            gitConfiguration: {
                sourceActionName: "Source",
                pullRequests: [{ events: ["OPEN", "UPDATED"], branches: { includes: spec.pullRequestBranches } }],
            },
        }],
        stages: [sourceStage(spec), testStage(test)],
        tags: ctx.kit.tags,
    }, ctx.kit.opts({ dependsOn: [role.policy] }));
}
