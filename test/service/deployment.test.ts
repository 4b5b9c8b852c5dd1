/**
 * LoadBalancedService.deployment on the recorded graph: rolling (the default) and ECS's native
 * blue/green, canary and linear strategies, the resources they need, their rollback alarms, and
 * every combination refused before anything is created. Each strategy passes the policy pack and
 * the deploy checks.
 */
import { expect } from "chai";
import { DeploymentLifecycleStage, DeploymentStrategy, LoadBalancedService, LoadBalancedServiceArgs, ServiceDeploymentArgs } from "../../components";
import { EdgeOriginAccess } from "../../components/edge/spec";
import { runDeployChecks } from "../../preview/deployChecks";
import { expectValidationError, Graph, parseJson, record } from "../support/harness";
import { expectCompliant } from "../support/policy";
import { base } from "./fixtures";

const SERVICE = "aws:ecs/service:Service";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const RULE = "aws:lb/listenerRule:ListenerRule";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const HOOK = "arn:aws:lambda:eu-west-1:123456789012:function:smoke-test";

function build(deployment?: ServiceDeploymentArgs, overrides: Partial<LoadBalancedServiceArgs> = {}) {
    return record(() => new LoadBalancedService("web", { ...base, ...overrides, deployment }));
}

const serviceOf = (graph: Graph) => graph.inputsOf(graph.one(SERVICE));
const statementsOf = (graph: Graph, name: string): any[] => parseJson(graph.inputsOf(graph.named(name, POLICY)).policy).Statement;

describe("LoadBalancedService deployment", () => {
    describe("rolling (the default)", () => {
        let graph: Graph;
        before(async () => {
            graph = (await build()).graph;
        });

        it("keeps the circuit breaker rolling back, min 100% / max 200%, strategy ROLLING and no bake time", () => {
            const svc = serviceOf(graph);
            expect(svc.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
            expect(svc.deploymentMinimumHealthyPercent).to.equal(100);
            expect(svc.deploymentMaximumPercent).to.equal(200);
            expect(svc.deploymentConfiguration).to.deep.equal({ strategy: "ROLLING" });
            expect(svc.loadBalancers).to.have.length(1);
            expect(svc.loadBalancers[0].advancedConfiguration).to.equal(undefined);
        });

        it("rolls back on the target 5xx-rate and p99-latency alarms (deployment alarms)", () => {
            const svc = serviceOf(graph);
            expect(svc.alarms).to.deep.equal({
                enable: true,
                rollback: true,
                alarmNames: ["(known after apply: web-target-5xx-rate.name)", "(known after apply: web-p99-latency.name)"],
            });
        });

        it("creates no second target group, listener rule or deployment role", () => {
            expect(graph.byType(TARGET_GROUP)).to.have.length(1);
            expect(graph.byType(RULE)).to.have.length(0);
            expect(graph.byType(ROLE).map((r) => r.name).sort()).to.deep.equal(["web-execution", "web-task"]);
        });

        it("can turn the alarm rollback off, explicitly (an omitted block would keep it on)", async () => {
            const { graph: off } = await build({ rollbackOnAlarms: false });
            expect(serviceOf(off).alarms).to.deep.equal({ enable: false, rollback: false, alarmNames: [] });
        });
    });

    describe("blue/green", () => {
        let graph: Graph;
        before(async () => {
            graph = (await build({ strategy: DeploymentStrategy.BlueGreen, bakeTimeMinutes: 15, testTrafficHeader: "X-Canary-Test" })).graph;
        });

        it("renders ECS's BLUE_GREEN strategy with the bake time, and turns the rolling circuit breaker off", () => {
            const svc = serviceOf(graph);
            expect(svc.deploymentConfiguration).to.deep.equal({ strategy: "BLUE_GREEN", bakeTimeInMinutes: "15" });
            expect(svc.deploymentCircuitBreaker).to.deep.equal({ enable: false, rollback: false });
            expect(svc.alarms.rollback).to.equal(true);
            expect(svc.alarms.alarmNames).to.have.length(2);
        });

        it("adds an alternate target group configured like the primary one", () => {
            const [primary, alternate] = ["web-tg", "web-tg-alt"].map((n) => graph.inputsOf(graph.named(n, TARGET_GROUP)));
            expect(alternate).to.deep.equal(primary);
        });

        it("routes production traffic through a rule forwarding to both groups (100/0) whose weights ECS owns", () => {
            const rule = graph.named("web-https-production", RULE);
            const inputs = graph.inputsOf(rule);
            expect(inputs.listenerArn).to.equal("(known after apply: web-https.arn)");
            expect(inputs.conditions).to.deep.equal([{ pathPattern: { values: ["/*"] } }]);
            expect(inputs.actions[0].forward.targetGroups).to.deep.equal([
                { arn: "(known after apply: web-tg.arn)", weight: 100 },
                { arn: "(known after apply: web-tg-alt.arn)", weight: 0 },
            ]);
            expect(rule.ignoreChanges).to.deep.equal(["actions"]);
        });

        it("routes requests carrying the test header through a test rule evaluated first", () => {
            const test = graph.inputsOf(graph.named("web-https-test", RULE));
            const production = graph.inputsOf(graph.named("web-https-production", RULE));
            expect(test.conditions).to.deep.equal([{ httpHeader: { httpHeaderName: "X-Canary-Test", values: ["*"] } }]);
            expect(test.priority).to.be.below(production.priority);
            expect(graph.named("web-https-test", RULE).ignoreChanges).to.deep.equal(["actions"]);
        });

        it("gives ECS the alternate group, both rules and its role in the load balancer's advanced configuration", () => {
            expect(serviceOf(graph).loadBalancers[0].advancedConfiguration).to.deep.equal({
                alternateTargetGroupArn: "(known after apply: web-tg-alt.arn)",
                productionListenerRule: "(known after apply: web-https-production.arn)",
                testListenerRule: "(known after apply: web-https-test.arn)",
                roleArn: "(known after apply: web-deploy-lb.arn)",
            });
        });

        it("lets ECS, and only ECS, shift traffic: the managed policy's actions on exactly this service's groups, rules and listener", () => {
            const trust = parseJson(graph.inputsOf(graph.named("web-deploy-lb", ROLE)).assumeRolePolicy);
            expect(trust.Statement).to.deep.equal([{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: "sts:AssumeRole" }]);
            const bySid = Object.fromEntries(statementsOf(graph, "web-deploy-lb").map((s) => [s.Sid, s]));
            expect(bySid.ReadLoadBalancerState.Resource).to.deep.equal(["*"]);
            expect([...bySid.RegisterTasks.Resource].sort()).to.deep.equal(["(known after apply: web-tg-alt.arn)", "(known after apply: web-tg.arn)"]);
            expect(bySid.ShiftTraffic.Action).to.deep.equal(["elasticloadbalancing:ModifyRule"]);
            expect([...bySid.ShiftTraffic.Resource].sort()).to.deep.equal(["(known after apply: web-https-production.arn)", "(known after apply: web-https-test.arn)"]);
            expect(bySid.ModifyHttpsListener.Resource).to.deep.equal(["(known after apply: web-https.arn)"]);
        });

        it("waits for the rules and the role's policy (and is deleted before them)", () => {
            const deps = graph.one(SERVICE).dependencies;
            for (const name of ["web-https-production", "web-https-test", "web-tg-alt"]) {
                expect(deps).to.include(graph.named(name).urn);
            }
            expect(deps).to.include(graph.named("web-deploy-lb", POLICY).urn);
        });

        it("watches the whole load balancer for latency, and the worse of the two groups for 5xx and unhealthy tasks", () => {
            const rate = graph.inputsOf(graph.named("web-target-5xx-rate", ALARM));
            expect(rate.metricQueries.map((q: any) => q.metric ? `${q.id}: ${q.metric.metricName} ${q.metric.dimensions.TargetGroup}` : q.expression)).to.deep.equal([
                "errors: HTTPCode_Target_5XX_Count (known after apply: web-tg.arnSuffix)",
                "requests: RequestCount (known after apply: web-tg.arnSuffix)",
                "errorsAlt: HTTPCode_Target_5XX_Count (known after apply: web-tg-alt.arnSuffix)",
                "requestsAlt: RequestCount (known after apply: web-tg-alt.arnSuffix)",
                "MAX([100 * FILL(errors, 0) / IF(FILL(requests, 0) > 0, FILL(requests, 0), 1), 100 * FILL(errorsAlt, 0) / IF(FILL(requestsAlt, 0) > 0, FILL(requestsAlt, 0), 1)])",
            ]);
            expect(graph.inputsOf(graph.named("web-p99-latency", ALARM)).dimensions).to.deep.equal({ LoadBalancer: "(known after apply: web-alb.arnSuffix)" });
            const unhealthy = graph.inputsOf(graph.named("web-unhealthy-hosts", ALARM));
            expect(unhealthy.metricQueries.map((q: any) => q.metric?.dimensions.TargetGroup ?? q.expression)).to.deep.equal([
                "(known after apply: web-tg.arnSuffix)", "(known after apply: web-tg-alt.arnSuffix)", "MAX([FILL(primary, 0), FILL(alternate, 0)])",
            ]);
        });

        it("alarms on a 5% canary failing every request, which is 5% of the load balancer's requests", () => {
            const rate = graph.inputsOf(graph.named("web-target-5xx-rate", ALARM));
            const expression = rate.metricQueries.find((q: any) => q.returnData).expression;
            // One datapoint of CloudWatch metric math on scalars: FILL of a missing value, IF, MAX of an array.
            const evaluate = (values: Record<string, number | undefined>) => new Function("FILL", "IF", "MAX", ...Object.keys(values),
                `return ${expression};`)((v: number | undefined, d: number) => v ?? d, (c: boolean, a: number, b: number) => (c ? a : b),
                (xs: number[]) => Math.max(...xs), ...Object.values(values));
            const canaryFailing = { errors: 0, requests: 950, errorsAlt: 50, requestsAlt: 50 };
            expect(evaluate(canaryFailing)).to.be.greaterThan(rate.threshold);
            // (the load balancer as a whole reads 100 * 50 / 1000 = 5%, not above the default 5% threshold)
            expect(evaluate({ errors: 1, requests: 950, errorsAlt: undefined, requestsAlt: undefined })).to.be.lessThan(rate.threshold);
        });

        it("scales on requests per target summed over both groups", () => {
            const policy = graph.inputsOf(graph.named("web-requests-scaling"));
            const metric = policy.targetTrackingScalingPolicyConfiguration.customizedMetricSpecification;
            expect(policy.targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification).to.equal(undefined);
            expect(metric.metrics.map((m: any) => m.expression ?? m.metricStat.metric.dimensions[1].value)).to.deep.equal([
                "(known after apply: web-tg.arnSuffix)", "(known after apply: web-tg-alt.arnSuffix)", "FILL(primary, 0) + FILL(alternate, 0)",
            ]);
            expect(metric.metrics.filter((m: any) => m.returnData).map((m: any) => m.id)).to.deep.equal(["perTarget"]);
        });

        it("passes the policy pack (in production too) and the deploy checks", async () => {
            expectCompliant(graph, { config: { production: true } });
            expect(runDeployChecks(graph.resources, { region: "eu-west-1" }).findings).to.deep.equal([]);
        });
    });

    describe("canary", () => {
        it("renders CANARY with the canary's share, its bake time and the final bake time", async () => {
            const { graph } = await build({ strategy: DeploymentStrategy.Canary, canaryPercent: 12.5, canaryBakeTimeMinutes: 7, bakeTimeMinutes: 20 });
            expect(serviceOf(graph).deploymentConfiguration).to.deep.equal({
                strategy: "CANARY",
                bakeTimeInMinutes: "20",
                canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: "7" },
            });
            expect(graph.byType(TARGET_GROUP)).to.have.length(2);
            expect(graph.byType(RULE).map((r) => r.name)).to.deep.equal(["web-https-production"]);
            expect(serviceOf(graph).loadBalancers[0].advancedConfiguration.testListenerRule).to.equal(undefined);
            expectCompliant(graph, { config: { production: true } });
            expect(runDeployChecks(graph.resources, { region: "eu-west-1" }).findings).to.deep.equal([]);
        });

        it("takes ECS's defaults: 5% for 10 minutes, then a 10-minute bake", async () => {
            const { graph } = await build({ strategy: DeploymentStrategy.Canary });
            expect(serviceOf(graph).deploymentConfiguration).to.deep.equal({
                strategy: "CANARY", bakeTimeInMinutes: "10", canaryConfiguration: { canaryPercent: 5, canaryBakeTimeInMinutes: "10" },
            });
        });
    });

    describe("linear", () => {
        it("renders LINEAR with the step, the wait between steps and the bake time", async () => {
            const { graph } = await build({ strategy: DeploymentStrategy.Linear, stepPercent: 25, stepBakeTimeMinutes: 3, bakeTimeMinutes: 0 });
            expect(serviceOf(graph).deploymentConfiguration).to.deep.equal({
                strategy: "LINEAR",
                bakeTimeInMinutes: "0",
                linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: "3" },
            });
            expectCompliant(graph, { config: { production: true } });
            expect(runDeployChecks(graph.resources, { region: "eu-west-1" }).findings).to.deep.equal([]);
        });

        it("takes ECS's defaults: 10% steps every 6 minutes", async () => {
            const { graph } = await build({ strategy: DeploymentStrategy.Linear });
            expect(serviceOf(graph).deploymentConfiguration.linearConfiguration).to.deep.equal({ stepPercent: 10, stepBakeTimeInMinutes: "6" });
        });
    });

    describe("lifecycle hooks", () => {
        let graph: Graph;
        before(async () => {
            graph = (await build({
                strategy: DeploymentStrategy.BlueGreen,
                lifecycleHooks: [{ functionArn: HOOK, stages: [DeploymentLifecycleStage.PostTestTrafficShift, DeploymentLifecycleStage.PostProductionTrafficShift], details: { suite: "smoke" } }],
            })).graph;
        });

        it("invokes the Lambda function at the given stages with a role the service creates", () => {
            expect(serviceOf(graph).deploymentConfiguration.lifecycleHooks).to.deep.equal([{
                hookTargetArn: HOOK,
                roleArn: "(known after apply: web-deploy-hooks.arn)",
                lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT"],
                hookDetails: JSON.stringify({ suite: "smoke" }),
            }]);
        });

        it("lets that role, assumed by ECS, invoke exactly the hooks' functions", () => {
            const trust = parseJson(graph.inputsOf(graph.named("web-deploy-hooks", ROLE)).assumeRolePolicy);
            expect(trust.Statement[0].Principal).to.deep.equal({ Service: "ecs.amazonaws.com" });
            expect(statementsOf(graph, "web-deploy-hooks")).to.deep.equal([{ Sid: "InvokeLifecycleHooks", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [HOOK] }]);
            expect(graph.one(SERVICE).dependencies).to.include(graph.named("web-deploy-hooks", POLICY).urn);
            expectCompliant(graph, { config: { production: true } });
        });
    });

    it("with externalDeployments keeps the ECS controller: a pipeline's UpdateService runs the native strategy", async () => {
        const { graph } = await build({ strategy: DeploymentStrategy.BlueGreen }, { externalDeployments: true });
        const svc = graph.one(SERVICE);
        expect(svc.ignoreChanges).to.deep.equal(["desiredCount", "taskDefinition"]);
        expect(graph.inputsOf(svc).deploymentController).to.equal(undefined);
        expect(graph.inputsOf(svc).deploymentConfiguration.strategy).to.equal("BLUE_GREEN");
    });

    describe("refused combinations, before anything is created", () => {
        const native = { strategy: DeploymentStrategy.BlueGreen };
        const cases: [string, ServiceDeploymentArgs, string, string, Partial<LoadBalancedServiceArgs>?][] = [
            ["an unknown strategy", { strategy: "big-bang" as DeploymentStrategy }, "deployment.strategy", "one of \"rolling\", \"blueGreen\", \"canary\", \"linear\""],
            ["a bake time with rolling", { bakeTimeMinutes: 5 }, "deployment.bakeTimeMinutes", "unset with strategy \"rolling\""],
            ["a test header with rolling", { testTrafficHeader: "X-Test" }, "deployment.testTrafficHeader", "unset with strategy \"rolling\""],
            ["lifecycle hooks with rolling", { lifecycleHooks: [{ functionArn: HOOK, stages: [DeploymentLifecycleStage.PreScaleUp] }] }, "deployment.lifecycleHooks", "blueGreen, canary or linear"],
            ["a canary share with blue/green", { ...native, canaryPercent: 10 }, "deployment.canaryPercent", "canary deployments only"],
            ["a linear step with canary", { strategy: DeploymentStrategy.Canary, stepPercent: 10 }, "deployment.stepPercent", "linear deployments only"],
            ["a bake time above ECS's 1440 minutes", { ...native, bakeTimeMinutes: 1441 }, "deployment.bakeTimeMinutes", "an integer from 0 to 1440"],
            ["a fractional bake time", { ...native, bakeTimeMinutes: 2.5 }, "deployment.bakeTimeMinutes", "an integer from 0 to 1440"],
            ["a canary bake time below 0", { strategy: DeploymentStrategy.Canary, canaryBakeTimeMinutes: -1 }, "deployment.canaryBakeTimeMinutes", "an integer from 0 to 1440"],
            ["a canary share below 0.1%", { strategy: DeploymentStrategy.Canary, canaryPercent: 0.05 }, "deployment.canaryPercent", "from 0.1 to 100 in steps of 0.1"],
            ["a canary share finer than 0.1%", { strategy: DeploymentStrategy.Canary, canaryPercent: 12.34 }, "deployment.canaryPercent", "in steps of 0.1"],
            ["a linear step below ECS's 3%", { strategy: DeploymentStrategy.Linear, stepPercent: 2 }, "deployment.stepPercent", "from 3 to 100"],
            ["a linear step above 100%", { strategy: DeploymentStrategy.Linear, stepPercent: 120 }, "deployment.stepPercent", "from 3 to 100"],
            ["a step wait above 1440 minutes", { strategy: DeploymentStrategy.Linear, stepBakeTimeMinutes: 2000 }, "deployment.stepBakeTimeMinutes", "an integer from 0 to 1440"],
            ["a test header no header condition takes", { ...native, testTrafficHeader: "X Test" }, "deployment.testTrafficHeader", "HTTP header name of 1-40"],
            ["a test header longer than 40 characters", { ...native, testTrafficHeader: "X".repeat(41) }, "deployment.testTrafficHeader", "HTTP header name of 1-40"],
            ["a hook that is not a Lambda function ARN", { ...native, lifecycleHooks: [{ functionArn: "arn:aws:sns:eu-west-1:123456789012:topic", stages: [DeploymentLifecycleStage.PreScaleUp] }] }, "deployment.lifecycleHooks[0].functionArn", "a Lambda function ARN"],
            ["a hook without stages", { ...native, lifecycleHooks: [{ functionArn: HOOK, stages: [] }] }, "deployment.lifecycleHooks[0].stages", "at least one"],
            ["a hook at an unknown stage", { ...native, lifecycleHooks: [{ functionArn: HOOK, stages: ["BEFORE_INSTALL" as DeploymentLifecycleStage] }] }, "deployment.lifecycleHooks[0].stages[0]", "\"RECONCILE_SERVICE\""],
            ["a hook at the same stage twice", { ...native, lifecycleHooks: [{ functionArn: HOOK, stages: [DeploymentLifecycleStage.PreScaleUp, DeploymentLifecycleStage.PreScaleUp] }] }, "deployment.lifecycleHooks[0].stages", "each stage once"],
            ["a bake time given as a string (YAML config)", { ...native, bakeTimeMinutes: "10" as unknown as number }, "deployment.bakeTimeMinutes", "a number"],
            ["a native strategy behind cdn over public HTTPS (its listener mixes a 403 with forwarding)", native, "deployment.strategy", "cdn.originAccess VpcOrigin",
                { domainName: "api.example.com", hostedZoneId: "Z0123456789ABC", cdn: { originAccess: EdgeOriginAccess.PublicHttps } }],
        ];
        for (const [what, deployment, argument, allowed, overrides] of cases) {
            it(`refuses ${what}`, async () => {
                const { graph } = await record(() => {
                    const error = expectValidationError(() => new LoadBalancedService("web", { ...base, ...overrides, deployment }), "LoadBalancedService", argument);
                    expect(error.problems.find((p) => p.argument === argument)?.allowed).to.contain(allowed);
                });
                expect(graph.resources).to.have.length(0);
            });
        }
    });
});
