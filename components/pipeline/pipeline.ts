import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy, Statement } from "../common/iam";
import { childName } from "../common/naming";
import { PipelineContext } from "./context";
import { PipelineSpec } from "./spec";

/** The pipeline's role and the inline policy granting it exactly what its stages use. */
export interface PipelineRole {
    role: aws.iam.Role;
    policy: aws.iam.RolePolicy;
}

/**
 * The role CodePipeline runs as, trusted by CodePipeline in this account only, with the stages'
 * statements (a statement may be an Output: the connection's action depends on its ARN).
 * `suffix` names the role: `pipeline` for the main pipeline, `pr-pipeline` for pull requests.
 */
export function pipelineRole(ctx: PipelineContext, statements: pulumi.Input<Statement>[], suffix = "pipeline"): PipelineRole {
    const id = childName(ctx.name, suffix);
    const role = new aws.iam.Role(id, {
        assumeRolePolicy: serviceTrustPolicy("codepipeline.amazonaws.com", ctx.accountId),
        description: `CodePipeline role of pipeline ${ctx.name}${suffix === "pipeline" ? "" : ` (${suffix})`}`,
        tags: ctx.kit.tags,
    }, ctx.kit.childOpts);
    const policy = new aws.iam.RolePolicy(id, {
        role: role.id,
        policy: pulumi.output(statements).apply((resolved) => policyDocument(resolved as Statement[])),
    }, ctx.kit.childOpts);
    return { role, policy };
}

/**
 * The V2 pipeline: source -> test -> image -> (approval) -> (migration) -> deploy, started by pushes
 * to the branch only (pull requests have their own tests-only pipeline, pullRequests.ts). QUEUED
 * mode: executions run one after the other in the order they started, so no execution replaces
 * one waiting for approval or migrating (SUPERSEDED lets a newer execution overtake a waiting one;
 * PARALLEL has no stage rollback). It waits for its role's policy, so its first execution never
 * runs without permissions.
 */
export function codePipeline(ctx: PipelineContext, spec: PipelineSpec, role: PipelineRole,
    artifactStore: aws.types.input.codepipeline.PipelineArtifactStore,
    stages: aws.types.input.codepipeline.PipelineStage[]): aws.codepipeline.Pipeline {
    return new aws.codepipeline.Pipeline(childName(ctx.name, "pipeline"), {
        pipelineType: "V2",
        executionMode: "QUEUED",
        roleArn: role.role.arn,
        artifactStores: [artifactStore],
        triggers: [{
            providerType: "CodeStarSourceConnection",
            gitConfiguration: {
                sourceActionName: "Source",
                pushes: [{ branches: { includes: [spec.branch] } }],
            },
        }],
        stages,
        tags: ctx.kit.tags,
    }, ctx.kit.opts({ dependsOn: [role.policy] }));
}
