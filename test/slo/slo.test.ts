import { expect } from "chai";
import { ServiceLevelObjectives, ServiceLevelObjectivesArgs, SloMetricSource } from "../../components";
import { withinThresholdStat } from "../../components/slo/cloudwatch";
import { burnThreshold, BURN_RATE_RULES, errorBudget, sloSpec } from "../../components/slo/objectives";
import { expectValidationError, parseJson, record } from "../edge/support";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const ALB: ServiceLevelObjectivesArgs = { loadBalancerArnSuffix: "app/api/0123456789abcdef" };

const build = (args: ServiceLevelObjectivesArgs = ALB) => record(() => new ServiceLevelObjectives("api", args));

describe("SLO burn-rate thresholds", () => {
    it("are burn rate x (1 - objective), without floating-point tails: the README's worked example", () => {
        expect(errorBudget(99.9)).to.equal(0.001);
        expect(BURN_RATE_RULES.map((r) => burnThreshold(r, 99.9))).to.deep.equal([0.0144, 0.006]);
        expect(BURN_RATE_RULES.map((r) => burnThreshold(r, 99))).to.deep.equal([0.144, 0.06]);
        expect(BURN_RATE_RULES.map((r) => burnThreshold(r, 99.95))).to.deep.equal([0.0072, 0.003]);
    });

    it("are the SRE workbook's page (14.4x, 1 h and 5 min) and ticket (6x, 6 h and 30 min) rules", () => {
        expect(BURN_RATE_RULES.map((r) => [r.id, r.burnRate, r.longWindowMinutes, r.shortWindowMinutes])).to.deep.equal([["page", 14.4, 60, 5], ["ticket", 6, 360, 30]]);
        // The share of a 30-day budget each rule detects over its long window: 2% and 5%.
        expect(BURN_RATE_RULES.map((r) => Math.round(r.burnRate * r.longWindowMinutes / (30 * 24 * 60) * 1000) / 10)).to.deep.equal([2, 5]);
    });
});

describe("ServiceLevelObjectives on a load balancer", () => {
    let rec: Awaited<ReturnType<typeof build>>;
    before(async () => {
        rec = await build();
    });
    const alarms = (): Record<string, any>[] => rec.graph.byType(ALARM).map((a) => ({ name: a.name, ...rec.graph.inputsOf(a) }));
    const byName = (name: string) => alarms().find((a) => a.name === name)!;

    it("builds one silent alarm per objective, rule and window, its period the window", () => {
        expect(alarms().map((a) => a.name).sort()).to.deep.equal([
            "api-availability-page-5m", "api-availability-page-60m", "api-availability-ticket-30m", "api-availability-ticket-360m",
            "api-latency-page-5m", "api-latency-page-60m", "api-latency-ticket-30m", "api-latency-ticket-360m",
        ]);
        for (const a of alarms()) {
            const minutes = Number(/-(\d+)m$/.exec(a.name)![1]);
            expect(a.metricQueries.filter((q: { metric?: unknown }) => q.metric).every((q: { metric: { period: number } }) => q.metric.period === minutes * 60), a.name).to.equal(true);
            expect(a.alarmActions, a.name).to.equal(undefined);
            expect([a.evaluationPeriods, a.datapointsToAlarm, a.comparisonOperator, a.treatMissingData]).to.deep.equal([1, 1, "GreaterThanThreshold", "notBreaching"]);
        }
    });

    it("computes availability as (target 5xx + load balancer 5xx) / requests, 0 without traffic, against 14.4 x 0.001 and 6 x 0.001", () => {
        const a = byName("api-availability-page-60m");
        const metrics = a.metricQueries.filter((q: { metric?: unknown }) => q.metric);
        expect(metrics.map((q: { id: string; metric: { metricName: string; stat: string; namespace: string } }) => [q.id, q.metric.namespace, q.metric.metricName, q.metric.stat])).to.deep.equal([
            ["requests", "AWS/ApplicationELB", "RequestCount", "Sum"],
            ["target5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum"],
            ["elb5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum"],
        ]);
        expect(metrics.every((q: { returnData: boolean; metric: { dimensions: object } }) => !q.returnData && JSON.stringify(q.metric.dimensions) === JSON.stringify({ LoadBalancer: ALB.loadBalancerArnSuffix }))).to.equal(true);
        const ratio = a.metricQueries.find((q: { id: string }) => q.id === "ratio");
        expect(ratio).to.deep.include({ expression: "IF(requests > 0, (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)", returnData: true });
        expect(a.threshold).to.equal(0.0144);
        expect(byName("api-availability-page-5m").threshold).to.equal(0.0144);
        expect(byName("api-availability-ticket-360m").threshold).to.equal(0.006);
        expect(byName("api-availability-ticket-30m").threshold).to.equal(0.006);
    });

    it("computes latency as the share of requests slower than 300 ms by trimmed count, against 14.4 x 0.01 and 6 x 0.01", () => {
        const a = byName("api-latency-ticket-30m");
        const metrics = a.metricQueries.filter((q: { metric?: unknown }) => q.metric);
        expect(metrics.map((q: { id: string; metric: { metricName: string; stat: string } }) => [q.id, q.metric.metricName, q.metric.stat])).to.deep.equal([
            ["requests", "TargetResponseTime", "SampleCount"],
            ["fast", "TargetResponseTime", "TC(:0.3)"],
        ]);
        expect(a.metricQueries.find((q: { id: string }) => q.id === "ratio").expression).to.equal("IF(requests > 0, (requests - fast) / requests, 0)");
        expect(a.threshold).to.equal(0.06);
        expect(byName("api-latency-page-5m").threshold).to.equal(0.144);
    });

    it("pages and tickets through composite alarms that need both windows of their rule", () => {
        const composites: Record<string, any>[] = rec.graph.byType(COMPOSITE).map((c) => ({ name: c.name, ...rec.graph.inputsOf(c) }));
        expect(composites.map((c) => c.name).sort()).to.deep.equal(["api-availability-page", "api-availability-ticket", "api-latency-page", "api-latency-ticket"]);
        const page = composites.find((c) => c.name === "api-availability-page")!;
        expect(page.alarmRule).to.equal('ALARM("(known after apply: api-availability-page-60m.arn)") AND ALARM("(known after apply: api-availability-page-5m.arn)")');
        const ticket = composites.find((c) => c.name === "api-latency-ticket")!;
        expect(ticket.alarmRule).to.equal('ALARM("(known after apply: api-latency-ticket-360m.arn)") AND ALARM("(known after apply: api-latency-ticket-30m.arn)")');
        expect(page.alarmName).to.equal("project-test-api-availability-slo-page");
        for (const c of composites) {
            expect(c.alarmActions).to.deep.equal(["(known after apply: api-alarms.arn)"]);
            expect(c.tags.Severity).to.equal(c.name.endsWith("page") ? "page" : "ticket");
        }
    });

    it("shows each SLO, its 30-day error budget left and its burn rate against the page and ticket lines", () => {
        const body = parseJson(rec.graph.inputsOf(rec.graph.one("aws:cloudwatch/dashboard:Dashboard")).dashboardBody);
        expect(body.widgets).to.have.length(6);
        const expressions = (w: { properties: { metrics: unknown[][] } }) => w.properties.metrics.flat().filter((m: any) => m?.expression).map((m: any) => m.expression);
        const [sli, budget, burn] = body.widgets;
        expect(expressions(sli)).to.deep.equal(["IF(requests > 0, (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)", "100 * (1 - ratio)"]);
        expect(expressions(budget)[1]).to.equal("100 * (1 - ratio / 0.001)");
        expect(expressions(burn)[1]).to.equal("ratio / 0.001");
        expect(expressions(body.widgets[4])[1]).to.equal("100 * (1 - ratio / 0.01)");
        expect(sli.properties).to.deep.include({ view: "singleValue", start: "-P30D", setPeriodToTimeRange: true, region: "us-east-1" });
        expect(burn.properties.annotations.horizontal.map((h: { value: number }) => h.value)).to.deep.equal([14.4, 6]);
        expect(sli.properties.metrics[0]).to.deep.equal(["AWS/ApplicationELB", "RequestCount", "LoadBalancer", ALB.loadBalancerArnSuffix, { id: "requests", stat: "Sum", visible: false }]);
    });

    it("notifies a separate ticket topic when given, and the caller's page topic without creating one", async () => {
        const { graph } = await build({ ...ALB, pageTopicArn: "arn:aws:sns:eu-west-1:1:page", ticketTopicArn: "arn:aws:sns:eu-west-1:1:ticket", dashboard: false });
        expect(graph.byType("aws:sns/topic:Topic")).to.have.length(0);
        expect(graph.byType("aws:cloudwatch/dashboard:Dashboard")).to.have.length(0);
        const actions = Object.fromEntries(graph.byType(COMPOSITE).map((c) => [c.name, graph.inputsOf(c).alarmActions[0]]));
        expect(actions["api-availability-page"]).to.equal("arn:aws:sns:eu-west-1:1:page");
        expect(actions["api-availability-ticket"]).to.equal("arn:aws:sns:eu-west-1:1:ticket");
    });
});

describe("the latency statistic: TC with an open lower bound, in seconds (TargetResponseTime's unit)", () => {
    it("counts requests within a 250 ms threshold as TC(:0.25) on every latency alarm", async () => {
        const { graph } = await build({ ...ALB, availability: { enabled: false }, latency: { thresholdMs: 250 } });
        const stats = graph.byType(ALARM).map((a) => graph.inputsOf(a).metricQueries.find((q: { id: string }) => q.id === "fast").metric.stat);
        expect(stats).to.deep.equal(["TC(:0.25)", "TC(:0.25)", "TC(:0.25)", "TC(:0.25)"]);
    });

    it("writes every whole-millisecond threshold as at most three decimals of seconds that read back to the same milliseconds", () => {
        expect([1, 300, 1500, 60_000].map(withinThresholdStat)).to.deep.equal(["TC(:0.001)", "TC(:0.3)", "TC(:1.5)", "TC(:60)"]);
        for (let ms = 1; ms <= 60_000; ms++) {
            const m = /^TC\(:(\d+(?:\.\d{1,3})?)\)$/.exec(withinThresholdStat(ms));
            if (!m || Math.round(Number(m[1]) * 1000) !== ms) {
                expect.fail(`${ms} ms gave ${withinThresholdStat(ms)}`);
            }
        }
    });
});

describe("ServiceLevelObjectives on CloudFront", () => {
    it("reads AWS/CloudFront in us-east-1 (Region=Global), availability only, with its alarms and topic in us-east-1", async () => {
        const { graph } = await build({ source: SloMetricSource.CloudFront, distributionId: "E2QWRUHAPOMQZL", availability: { objectivePercent: 99.95 } });
        const alarms = graph.byType(ALARM).map((a) => graph.inputsOf(a));
        expect(alarms).to.have.length(4);
        for (const a of alarms) {
            expect(a.region).to.equal("us-east-1");
            expect(a.metricQueries.find((q: { id: string }) => q.id === "ratio").expression).to.equal("IF(requests > 0, errorRate / 100, 0)");
            const rate = a.metricQueries.find((q: { id: string }) => q.id === "errorRate").metric;
            expect(rate).to.deep.include({ namespace: "AWS/CloudFront", metricName: "5xxErrorRate", stat: "Average" });
            expect(rate.dimensions).to.deep.equal({ DistributionId: "E2QWRUHAPOMQZL", Region: "Global" });
        }
        expect(alarms.map((a) => a.threshold).sort()).to.deep.equal([0.003, 0.003, 0.0072, 0.0072]);
        expect(graph.byType(COMPOSITE).every((c) => graph.inputsOf(c).region === "us-east-1")).to.equal(true);
        expect(graph.inputsOf(graph.one("aws:sns/topic:Topic")).region).to.equal("us-east-1");
        expect(graph.inputsOf(graph.one("aws:cloudwatch/dashboard:Dashboard")).region).to.equal("us-east-1");
    });
});

describe("ServiceLevelObjectives validation", () => {
    const make = (args: ServiceLevelObjectivesArgs) => () => new ServiceLevelObjectives("api", args);
    it("needs the load balancer's ARN suffix for load balancer metrics", () => expectValidationError(make({}), "ServiceLevelObjectives", "loadBalancerArnSuffix"));
    it("needs the distribution id for CloudFront metrics", () => expectValidationError(make({ source: SloMetricSource.CloudFront, latency: { enabled: false } }), "ServiceLevelObjectives", "distributionId"));
    it("refuses a latency SLO on CloudFront metrics", () => expectValidationError(make({ source: SloMetricSource.CloudFront, distributionId: "E1", latency: { enabled: true } }), "ServiceLevelObjectives", "latency.enabled"));
    it("refuses an objective of 100% (no error budget) or below 50%", () => {
        expectValidationError(make({ ...ALB, availability: { objectivePercent: 100 } }), "ServiceLevelObjectives", "availability.objectivePercent");
        expectValidationError(make({ ...ALB, latency: { objectivePercent: 40 } }), "ServiceLevelObjectives", "latency.objectivePercent");
    });
    it("refuses a latency threshold that is not whole milliseconds", () => expectValidationError(make({ ...ALB, latency: { thresholdMs: 0.5 } }), "ServiceLevelObjectives", "latency.thresholdMs"));
    it("resolves the defaults: 99.9% available, 99% within 300 ms", () => {
        expect(sloSpec("api", ALB).objectives).to.deep.equal([{ id: "availability", objectivePercent: 99.9 }, { id: "latency", objectivePercent: 99, thresholdMs: 300 }]);
    });
});
