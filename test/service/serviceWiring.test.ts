import { expect } from "chai";
import { LoadBalancedService, LoadBalancedServiceArgs } from "../../components";
import { expectValidationError, record } from "../support/harness";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/1234";
const network = {
    vpcId: "vpc-123",
    publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
    privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
    vpcCidrBlock: "10.0.0.0/16",
};
const base: LoadBalancedServiceArgs = { network, image: "nginx:1.27", certificateArn: CERT };
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const SLO = "scaling-toolkit:index:ServiceLevelObjectives";

const build = (overrides: Partial<LoadBalancedServiceArgs> = {}) => record(() => new LoadBalancedService("web", { ...base, ...overrides }));

describe("LoadBalancedService slo", () => {
    it("creates no SLO by default (a new optional argument keeps today's plan)", async () => {
        const { graph } = await build();
        expect(graph.byType(COMPOSITE)).to.have.length(0);
        expect(graph.resources.filter((r) => r.type.endsWith(":ServiceLevelObjectives"))).to.have.length(0);
    });

    describe("with prod-like objectives", () => {
        let rec: Awaited<ReturnType<typeof build>>;
        before(async () => {
            rec = await build({ alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:oncall", slo: { availability: { objectivePercent: 99.95 }, latency: { thresholdMs: 500 } } });
        });
        const alarm = (name: string) => rec.graph.inputsOf(rec.graph.named(name, ALARM));

        it("is a ServiceLevelObjectives child named <service>-slo", () => {
            const slo = rec.graph.resources.filter((r) => r.type.endsWith(":ServiceLevelObjectives"));
            expect(slo.map((r) => r.name)).to.deep.equal(["web-slo"]);
            expect(slo[0].type).to.equal(SLO);
        });

        it("pages and tickets on the service's alarm topic, one composite per objective and rule", () => {
            const composites: Record<string, any>[] = rec.graph.byType(COMPOSITE).map((c) => ({ name: c.name, ...rec.graph.inputsOf(c) }));
            expect(composites.map((c) => c.name).sort()).to.deep.equal([
                "web-slo-availability-page", "web-slo-availability-ticket", "web-slo-latency-page", "web-slo-latency-ticket",
            ]);
            for (const c of composites) {
                expect(c.alarmActions, c.name).to.deep.equal(["arn:aws:sns:eu-west-1:123456789012:oncall"]);
            }
        });

        it("watches the service's load balancer against burn rate x (1 - objective)", () => {
            const page = alarm("web-slo-availability-page-60m");
            expect(page.threshold).to.equal(0.0072);
            expect(alarm("web-slo-availability-ticket-360m").threshold).to.equal(0.003);
            const ratio = page.metricQueries.find((q: { id: string }) => q.id === "ratio");
            expect(ratio.expression).to.equal("IF(requests > 0, (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests, 0)");
            const dims = page.metricQueries.filter((q: { metric?: unknown }) => q.metric).map((q: { metric: { dimensions: Record<string, string> } }) => q.metric.dimensions);
            expect(dims.every((d: Record<string, string>) => typeof d.LoadBalancer === "string" && d.LoadBalancer.length > 0)).to.equal(true);
            expect(alarm("web-slo-latency-page-60m").threshold).to.equal(0.144);
        });
    });

    it("refuses a bad objective under slo., before creating anything", async () => {
        const { graph } = await record(() => {
            expectValidationError(() => new LoadBalancedService("web", { ...base, slo: { availability: { objectivePercent: 100 } } }), "LoadBalancedService", "slo.availability.objectivePercent");
        });
        expect(graph.resources).to.have.length(0);
    });
});
