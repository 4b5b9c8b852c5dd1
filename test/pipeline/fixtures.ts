/** The CiCdPipeline fixture the pipeline tests share: a service by name, a connection, approvers. */
import { CiCdPipeline, CiCdPipelineArgs } from "../../components";
import { record } from "../support/harness";

export const CONNECTION = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f";
export const TASK_ROLE = "arn:aws:iam::123456789012:role/shop-api-task";
export const EXECUTION_ROLE = "arn:aws:iam::123456789012:role/shop-api-execution";
export const APPROVERS = "arn:aws:sns:eu-west-1:123456789012:release-approvers";
export const service = { clusterName: "shop-cluster", serviceName: "shop-api", taskDefinitionFamily: "shop-api", taskRoleArn: TASK_ROLE, executionRoleArn: EXECUTION_ROLE };
export const base: CiCdPipelineArgs = { service, connectionArn: CONNECTION, repository: "acme/shop-api" };
export const config = { "aws:region": "eu-west-1" };

export const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
export const PROJECT = "aws:codebuild/project:Project";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

/** The pipeline "shop" from `base` with the overrides, on the recording runtime. */
export function build(overrides: Partial<CiCdPipelineArgs> = {}) {
    return record(() => new CiCdPipeline("shop", { ...base, ...overrides }), { config });
}
