/**
 * The stacks' migration gate: a pipelined service of a stack with a database migrates before every
 * deploy, in the service's own network configuration; config refuses a migration with no database.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PreviewRun, previewStack } from "../../preview/plan";
import { stackConfigSchema } from "../../stacks/config";
import { REPO } from "../support/preview";

/** A stack's `scaling-toolkit:*` config as the program reads it (namespace removed). */
function stackConfig(stack: string): Record<string, unknown> {
    const { config } = parse(fs.readFileSync(path.join(REPO, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    return Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("scaling-toolkit:")).map(([k, v]) => [k.slice("scaling-toolkit:".length), v]));
}

describe("environment stacks: migration gate", function () {
    this.timeout(600_000);
    const runs: Record<string, PreviewRun> = {};
    before(async () => {
        for (const stack of ["dev", "prod"]) {
            runs[stack] = await previewStack(REPO, stack);
        }
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: the api pipeline migrates right before it deploys, with the service's cluster, family and roles`, () => {
            const { graph } = runs[stack];
            const pipeline = graph.named(`${stack}-api-cd-pipeline`, "aws:codepipeline/pipeline:Pipeline");
            const stages = graph.inputsOf(pipeline).stages.map((s: any) => s.name);
            expect(stages.slice(-2)).to.deep.equal(["Migrate", "Deploy"]);
            const project = graph.inputsOf(graph.named(`${stack}-api-cd-migrate`, "aws:codebuild/project:Project"));
            const env = Object.fromEntries(project.environment.environmentVariables.map((e: any) => [e.name, e.value]));
            expect(env).to.include({ MIGRATION_COMMAND: "[\"npm\",\"run\",\"migrate\"]", CLUSTER_NAME: `(known after apply: ${stack}-api-cluster.name)`, TASK_DEFINITION_FAMILY: `${stack}-api` });
            expect(runs[stack].plan.deployChecks.findings).to.deep.equal([]);
        });
    }

    it("prod approves before it migrates", () => {
        const stages = runs.prod.graph.inputsOf(runs.prod.graph.named("prod-api-cd-pipeline", "aws:codepipeline/pipeline:Pipeline")).stages.map((s: any) => s.name);
        expect(stages).to.deep.equal(["Source", "Test", "Build", "Approve", "Migrate", "Deploy"]);
    });

    it("config refuses a migrationCommand in a stack without a database", () => {
        const raw = stackConfig("dev");
        expect(stackConfigSchema.safeParse(raw).success).to.equal(true);
        delete raw.database;
        const parsed = stackConfigSchema.safeParse(raw);
        expect(parsed.success).to.equal(false);
        const issues = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
        expect(issues).to.deep.equal(["services.0.pipeline.migrationCommand: no migrationCommand: the stack has no database block to migrate"]);
    });
});
