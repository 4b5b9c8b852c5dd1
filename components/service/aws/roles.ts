import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ECR_LOGIN, policyDocument, serviceTrustPolicy, Statement, writeLogsStatement } from "../../common/iam";
import { AwsContext } from "./context";
import { ecrRepositoryArnOf, secretArnOf } from "./ecr";
import { AwsServiceSpec } from "./spec";

export interface ServiceRoles {
    /** ECS pulls the image, reads the named secrets and writes logs with it. */
    execution: aws.iam.Role;
    /** The application's role: empty for callers to extend. */
    task: aws.iam.Role;
}

/** The execution role, scoped to exactly what the task needs, and an empty task role. */
export function roles(ctx: AwsContext, spec: AwsServiceSpec, logGroupArn: pulumi.Input<string>): ServiceRoles {
    const trust = serviceTrustPolicy("ecs-tasks.amazonaws.com", ctx.accountId);
    const execution = new aws.iam.Role(ctx.child("execution"), {
        assumeRolePolicy: trust,
        description: `Lets ECS pull the image, read the named secrets and write logs for ${ctx.name}`,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    new aws.iam.RolePolicy(ctx.child("execution"), {
        role: execution.id,
        policy: policyDocument(executionStatements(spec, logGroupArn)),
    }, ctx.kit.childOpts);
    const task = new aws.iam.Role(ctx.child("task"), {
        assumeRolePolicy: trust,
        description: `The application role of ${ctx.name}; no permissions until the caller grants them`,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    return { execution, task };
}

/** Logs, the image's (and the named) repositories, the named secrets, parameters and their keys. */
function executionStatements(spec: AwsServiceSpec, logGroupArn: pulumi.Input<string>): Statement[] {
    const statements: Statement[] = [writeLogsStatement("WriteContainerLogs", logGroupArn)];
    const imageRepository = ecrRepositoryArnOf(spec.container.image);
    const repositoryArns = [...(imageRepository ? [imageRepository] : []), ...spec.imageRepositoryArns];
    if (repositoryArns.length > 0) {
        statements.push(
            ECR_LOGIN,
            { sid: "PullImage", actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], resources: repositoryArns },
        );
    }
    const secretArns = spec.container.secrets.map((s) => pulumi.output(s.reference).apply(secretArnOf));
    if (secretArns.length > 0) {
        statements.push({ sid: "ReadSecrets", actions: ["secretsmanager:GetSecretValue"], resources: secretArns });
    }
    if (spec.parameterArns.length > 0) {
        statements.push({ sid: "ReadParameters", actions: ["ssm:GetParameters"], resources: spec.parameterArns });
    }
    if (spec.secretKmsKeyArns.length > 0) {
        statements.push({ sid: "DecryptSecrets", actions: ["kms:Decrypt"], resources: spec.secretKmsKeyArns });
    }
    return statements;
}
