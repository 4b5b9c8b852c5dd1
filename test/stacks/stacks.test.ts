import { expect } from "chai";
import { PreviewRun, previewStack } from "../../preview/plan";
import { REPO } from "../support/preview";

describe("environment stacks", () => {
    const runs: Record<string, PreviewRun> = {};
    before(async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            runs[stack] = await previewStack(REPO, stack);
        }
    });

    const count = (stack: string, type: string) => runs[stack].plan.summary.byType[type] ?? 0;
    const inputsOf = (stack: string, type: string) => runs[stack].graph.byType(type).map((r) => runs[stack].graph.inputsOf(r));

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: composes the network, every configured service and a dashboard`, () => {
            const { plan } = runs[stack];
            expect(plan.project).to.equal("scaling-toolkit");
            expect(plan.stack).to.equal(stack);
            expect(count(stack, "scaling-toolkit:index:Network")).to.equal(1);
            expect(count(stack, "scaling-toolkit:index:LoadBalancedService")).to.equal(2);
            expect(count(stack, "aws:cloudwatch/dashboard:Dashboard")).to.equal(1);
            expect(Object.keys(plan.outputs.serviceUrls as object).sort()).to.deep.equal(["api", "web"]);
        });
    }

    it("dev is small and cheap: two zones, one NAT gateway, one task, a week of logs, no deletion protection", () => {
        expect(count("dev", "aws:ec2/natGateway:NatGateway")).to.equal(1);
        expect(count("dev", "aws:ec2/subnet:Subnet")).to.equal(6);
        expect(inputsOf("dev", "aws:appautoscaling/target:Target").map((t) => t.minCapacity)).to.deep.equal([1, 1]);
        expect(inputsOf("dev", "aws:lb/loadBalancer:LoadBalancer").every((lb) => lb.enableDeletionProtection === false)).to.equal(true);
        const retention = inputsOf("dev", "aws:cloudwatch/logGroup:LogGroup").map((g) => g.retentionInDays);
        expect(new Set(retention)).to.deep.equal(new Set([7]));
    });

    it("prod is spread and protected: three zones, a NAT gateway per zone, more tasks, deletion protection, a year of logs", () => {
        expect(count("prod", "aws:ec2/natGateway:NatGateway")).to.equal(3);
        expect(count("prod", "aws:ec2/subnet:Subnet")).to.equal(9);
        expect(inputsOf("prod", "aws:appautoscaling/target:Target").map((t) => t.minCapacity).sort()).to.deep.equal([3, 3]);
        expect(inputsOf("prod", "aws:lb/loadBalancer:LoadBalancer").every((lb) => lb.enableDeletionProtection === true)).to.equal(true);
        const retention = inputsOf("prod", "aws:cloudwatch/logGroup:LogGroup").map((g) => g.retentionInDays);
        expect(new Set(retention)).to.deep.equal(new Set([365]));
    });

    it("marks only production resources for the data-protection policies", () => {
        const tagged = (stack: string) => runs[stack].graph.customResources.map((r) => runs[stack].graph.inputsOf(r).tags).filter(Boolean);
        expect(tagged("prod").every((t) => t.Production === "true" && t.Environment === "prod")).to.equal(true);
        expect(tagged("dev").some((t) => "Production" in t)).to.equal(false);
    });

    it("scales each service independently", () => {
        const targets = runs.prod.graph.byType("aws:appautoscaling/target:Target").map((t) => [t.parent!.split("::").pop(), runs.prod.graph.inputsOf(t).maxCapacity]);
        expect(Object.fromEntries(targets)).to.deep.equal({ "prod-api": 30, "prod-web": 12 });
        expect(runs.prod.graph.byType("aws:appautoscaling/policy:Policy")).to.have.length(6);
    });

    it("serves each service at its own host under the stack's domain", () => {
        expect(runs.prod.plan.outputs.serviceUrls).to.deep.equal({ api: "https://api.shop.example.com", web: "https://web.shop.example.com" });
        expect(runs.dev.plan.outputs.serviceUrls).to.deep.equal({ api: "https://api.dev.shop.example.com", web: "https://web.dev.shop.example.com" });
    });

    it("puts response time (p50, p99), error rate and throughput of every service on the dashboard", () => {
        const body = JSON.parse(inputsOf("prod", "aws:cloudwatch/dashboard:Dashboard")[0].dashboardBody);
        const titles = body.widgets.filter((w: any) => w.type === "metric").map((w: any) => w.properties.title);
        for (const svc of ["api", "web"]) {
            expect(titles).to.include.members([`${svc}: response time`, `${svc}: error rate`, `${svc}: throughput`]);
        }
        const latency = body.widgets.find((w: any) => w.properties.title === "api: response time").properties.metrics;
        expect(latency.map((m: any[]) => m[m.length - 1].stat)).to.deep.equal(["p50", "p99"]);
    });
});
