/**
 * A CiCdPipeline's arguments resolved and validated into one spec: every default applied, every
 * problem reported at once before any resource exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { CpuArchitecture } from "../common/enums";
import { ValidationError } from "../common/errors";
import { checkLogRetention, isKnownString, Validator } from "../common/validation";
import { BuildComputeType, CiCdPipelineArgs, MigrationArgs, PipelineServiceArgs } from "./args";
import { imageBuildspec, testBuildspec } from "./buildspecs";

export const COMPONENT = "CiCdPipeline";
/** The namespace of the source action's variables (`#{SourceVariables.CommitId}`). */
export const SOURCE_NAMESPACE = "SourceVariables";

const CONNECTION_ARN = /^arn:aws[a-z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[A-Za-z0-9-]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const ECR_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** ECS task definition family names: up to 255 letters, digits, hyphens and underscores (ECS RegisterTaskDefinition API). */
const TASK_DEFINITION_FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
/** Git ref names: no whitespace, no `..`, `~^:?*[\`, no leading `-` or `/`, no trailing `/` or `.lock`. */
const BRANCH = /^(?![-/])(?!.*\.\.)(?!.*\/$)(?!.*\.lock$)[^\s~^:?*[\\]+$/;

/** The manual approval, resolved. */
export interface ApprovalSpec {
    enabled: boolean;
    notificationTopicArn?: pulumi.Input<string>;
    notificationTopicKmsKeyArn?: pulumi.Input<string>;
    /** The text approvers see. */
    comment: string;
}

/** The migration gate, resolved. */
export interface MigrationSpec {
    command: string[];
    timeoutMinutes: number;
}

/** RunTask accepts at most 8192 characters of overrides (ECS API reference, RunTask `overrides`); the command is most of them. */
const MAX_MIGRATION_COMMAND_CHARS = 4096;

/** Everything the pipeline's parts need, defaults applied. */
export interface PipelineSpec {
    /** The component's name: every child's name derives from it. */
    name: string;
    service: PipelineServiceArgs;
    connectionArn: pulumi.Input<string>;
    repository: string;
    branch: string;
    pullRequestBranches: string[];
    /** The test build's buildspec: the caller's, or one running `testCommands`. */
    testBuildspec: string;
    /** The image build's buildspec: the caller's, or the default one. */
    imageBuildspec: string;
    dockerfile: string;
    dockerContext: string;
    containerName: string;
    repositoryName: string;
    imageRetentionCount: number;
    approval: ApprovalSpec;
    /** Undefined without a migration gate. */
    migration?: MigrationSpec;
    buildComputeType: BuildComputeType;
    buildArchitecture: CpuArchitecture;
    buildTimeoutMinutes: number;
    logRetentionDays: number;
    artifactRetentionDays: number;
}

/** Resolves the arguments into a spec, or throws one ValidationError listing every problem. */
export function resolvePipelineSpec(name: string, args: CiCdPipelineArgs): PipelineSpec {
    const branch = args.branch ?? "main";
    const testCommands = args.testCommands ?? ["npm ci", "npm test"];
    const approval = args.manualApproval ?? { enabled: false };
    const spec: PipelineSpec = {
        name,
        service: args.service,
        connectionArn: args.connectionArn,
        repository: args.repository,
        branch,
        pullRequestBranches: args.pullRequestBranches ?? [],
        testBuildspec: args.testBuildspec ?? testBuildspec(testCommands),
        imageBuildspec: args.imageBuildspec ?? imageBuildspec(),
        dockerfile: args.dockerfile ?? "Dockerfile",
        dockerContext: args.dockerContext ?? ".",
        containerName: args.containerName ?? "app",
        repositoryName: args.repositoryName ?? name,
        imageRetentionCount: args.imageRetentionCount ?? 30,
        approval: {
            enabled: approval.enabled,
            notificationTopicArn: approval.notificationTopicArn,
            notificationTopicKmsKeyArn: approval.notificationTopicKmsKeyArn,
            comment: approval.comment ?? `Approve deploying ${args.repository}@${branch} (commit #{${SOURCE_NAMESPACE}.CommitId}) to the ECS service`,
        },
        migration: args.migration === undefined ? undefined : { command: args.migration.command, timeoutMinutes: args.migration.timeoutMinutes ?? 30 },
        buildComputeType: args.buildComputeType ?? BuildComputeType.Small,
        buildArchitecture: args.buildArchitecture ?? CpuArchitecture.X86_64,
        buildTimeoutMinutes: args.buildTimeoutMinutes ?? 30,
        logRetentionDays: args.logRetentionDays ?? 30,
        artifactRetentionDays: args.artifactRetentionDays ?? 30,
    };
    const v = new Validator(COMPONENT, name);
    validate(v, args, spec, testCommands);
    throwNamingDefaults(v, name, args.repositoryName === undefined ? ["repositoryName"] : []);
    return spec;
}

function validate(v: Validator, args: CiCdPipelineArgs, spec: PipelineSpec, testCommands: string[]): void {
    v.check(args.service !== undefined, "service", args.service, "a LoadBalancedService, or { clusterName, serviceName, taskDefinitionFamily, taskRoleArn, executionRoleArn }");
    const family = args.service?.taskDefinitionFamily;
    v.check(args.service === undefined || (family !== undefined && (!isKnownString(family) || TASK_DEFINITION_FAMILY.test(family))),
        "service.taskDefinitionFamily", family, "the service's task definition family: 1-255 letters, digits, - and _");
    v.check(args.connectionArn !== undefined && (!isKnownString(args.connectionArn) || CONNECTION_ARN.test(args.connectionArn)),
        "connectionArn", args.connectionArn, "the ARN of a CodeStar connection, such as \"arn:aws:codeconnections:eu-west-1:123456789012:connection/<id>\"");
    v.check(typeof args.repository === "string" && REPOSITORY.test(args.repository), "repository", args.repository, "the repository as \"owner/name\"");
    v.check(typeof spec.branch === "string" && BRANCH.test(spec.branch), "branch", spec.branch, "a non-empty Git branch name such as \"main\"");
    spec.pullRequestBranches.forEach((b, i) => v.check(typeof b === "string" && BRANCH.test(b), `pullRequestBranches[${i}]`, b, "a non-empty Git branch name"));
    v.check(args.testBuildspec !== undefined || (testCommands.length > 0 && testCommands.every((c) => c.trim().length > 0)),
        "testCommands", testCommands, "at least one non-empty command (the pipeline tests before it builds and deploys)");
    v.check(args.testBuildspec === undefined || args.testBuildspec.trim().length > 0, "testBuildspec", args.testBuildspec, "inline buildspec YAML or a path in the repository");
    v.check(args.imageBuildspec === undefined || args.imageBuildspec.trim().length > 0, "imageBuildspec", args.imageBuildspec, "inline buildspec YAML or a path in the repository");
    v.nonEmpty("dockerfile", spec.dockerfile);
    v.nonEmpty("dockerContext", spec.dockerContext);
    v.check(CONTAINER_NAME.test(spec.containerName), "containerName", spec.containerName, "the container's name in the task definition (letters, digits, - and _)");
    const repositoryName = spec.repositoryName;
    v.check(repositoryName.length >= 2 && repositoryName.length <= 256 && ECR_NAME.test(repositoryName), "repositoryName", repositoryName,
        "an ECR repository name: 2-256 lowercase letters, digits and . _ - / separators");
    v.intRange("imageRetentionCount", spec.imageRetentionCount, 1, 1000);
    const approvalTopic = spec.approval.notificationTopicArn;
    v.check(!spec.approval.enabled || (approvalTopic !== undefined && (!isKnownString(approvalTopic) || SNS_TOPIC_ARN.test(approvalTopic))),
        "manualApproval.notificationTopicArn", approvalTopic, "the ARN of an SNS topic approvers subscribe to (required when manualApproval is enabled)");
    validateMigration(v, args.migration);
    v.oneOf("buildComputeType", spec.buildComputeType, Object.values(BuildComputeType));
    v.oneOf("buildArchitecture", spec.buildArchitecture, Object.values(CpuArchitecture));
    v.intRange("buildTimeoutMinutes", spec.buildTimeoutMinutes, 5, 480);
    checkLogRetention(v, "logRetentionDays", spec.logRetentionDays);
    v.intRange("artifactRetentionDays", spec.artifactRetentionDays, 1, 3650);
    v.tags(args.tags);
}

/** The migration gate: a non-empty exec-form command that fits RunTask's overrides, and a timeout the build can back up. */
function validateMigration(v: Validator, migration: MigrationArgs | undefined): void {
    if (migration === undefined) {
        return;
    }
    const command = migration.command;
    v.check(Array.isArray(command) && command.length > 0 && command.every((c) => typeof c === "string" && c.trim().length > 0)
        && JSON.stringify(command).length <= MAX_MIGRATION_COMMAND_CHARS,
    "migration.command", command, `the migration command in exec form, such as ["npm", "run", "migrate"]: non-empty strings, at most ${MAX_MIGRATION_COMMAND_CHARS} characters as JSON`);
    // The build's timeout (at most 480 minutes) is the migration's plus a margin to stop the task.
    v.intRange("migration.timeoutMinutes", migration.timeoutMinutes ?? 30, 1, 470);
}

/**
 * Throws the validator's problems, saying of each argument in `defaulted` that the caller never set
 * it: its value came from the component's name (`new CiCdPipeline("p", ...)` makes `repositoryName`
 * "p", which ECR refuses; the fix is to set the argument or rename the component).
 */
function throwNamingDefaults(v: Validator, name: string, defaulted: string[]): void {
    try {
        v.throwIfAny();
    } catch (err) {
        if (!(err instanceof ValidationError)) {
            throw err;
        }
        throw new ValidationError(err.component, err.resourceName, err.problems.map((p) => (defaulted.includes(p.argument)
            ? { ...p, given: `${p.given} (not set: defaulted from the component's name ${JSON.stringify(name)}; set ${p.argument} or rename the component)` }
            : p)));
    }
}
