import { expect } from "chai";
import { EdgeOriginAccess, EdgePriceClass, LoadBalancedService, LoadBalancedServiceArgs } from "../../components";
import { RuntimeOptionsWithPrefixList } from "../edge/support";
import { expectValidationError, Graph, record, Unknown, valueOf } from "../support/harness";
import { base, network } from "./fixtures";

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

describe("LoadBalancedService cdn", () => {
    const ZONE = "Z123EXAMPLE";
    const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    const withCdn = (cdn: LoadBalancedServiceArgs["cdn"], overrides: Partial<LoadBalancedServiceArgs> = {}) =>
        record(() => new LoadBalancedService("web", { ...base, domainName: "api.example.com", hostedZoneId: ZONE, cdn, ...overrides }), RuntimeOptionsWithPrefixList);
    const lbIngress = (graph: Graph) => graph.byType(INGRESS).filter((r) => r.name.startsWith("web-lb-")).map((r) => ({ name: r.name, ...graph.inputsOf(r) } as Record<string, any>));

    describe("through a VPC origin (the default)", () => {
        let rec: Awaited<ReturnType<typeof withCdn>>;
        before(async () => {
            rec = await withCdn({});
        });

        it("puts an internal load balancer behind an EdgeCache child named <service>-cdn", () => {
            expect(rec.graph.inputsOf(rec.graph.one("aws:lb/loadBalancer:LoadBalancer")).internal).to.equal(true);
            expect(rec.graph.resources.filter((r) => r.type.endsWith(":EdgeCache")).map((r) => r.name)).to.deep.equal(["web-cdn"]);
            expect(rec.graph.byType("aws:cloudfront/vpcOrigin:VpcOrigin")).to.have.length(1);
        });

        it("admits 443 only, and only from the VPC's CIDR", () => {
            expect(lbIngress(rec.graph).map((r) => [r.fromPort, r.toPort, r.cidrIpv4])).to.deep.equal([[443, 443, network.vpcCidrBlock]]);
        });

        it("leaves the alias records for domainName to the edge, and keeps the url https://<domainName>", async () => {
            const records = rec.graph.byType("aws:route53/record:Record").map((r) => r.name);
            expect(records).to.not.include("web-alias");
            expect(records.some((n) => n.startsWith("web-cdn"))).to.equal(true);
            expect(await valueOf(rec.result.url)).to.equal("https://api.example.com");
        });

        it("forwards every HTTPS request (the VPC origin is the only way in)", () => {
            expect(rec.graph.inputsOf(rec.graph.named("web-https", "aws:lb/listener:Listener")).defaultActions[0].type).to.equal("forward");
            expect(rec.graph.byType("aws:lb/listenerRule:ListenerRule")).to.have.length(0);
        });
    });

    describe("over public HTTPS", () => {
        let rec: Awaited<ReturnType<typeof withCdn>>;
        before(async () => {
            rec = await withCdn({ originAccess: EdgeOriginAccess.PublicHttps });
        });

        it("keeps an internet-facing load balancer that admits 443 only from CloudFront's origin-facing prefix list", () => {
            expect(rec.graph.inputsOf(rec.graph.one("aws:lb/loadBalancer:LoadBalancer")).internal).to.equal(false);
            const rules = lbIngress(rec.graph);
            expect(rules.map((r) => [r.fromPort, r.toPort, r.cidrIpv4, r.prefixListId])).to.deep.equal([[443, 443, undefined, "pl-offline-cloudfront"]]);
        });

        it("answers 403 by default and forwards only requests carrying the edge's X-Origin-Verify secret", () => {
            const https = rec.graph.inputsOf(rec.graph.named("web-https", "aws:lb/listener:Listener"));
            expect(https.defaultActions).to.deep.equal([{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" } }]);
            const rule = rec.graph.inputsOf(rec.graph.one("aws:lb/listenerRule:ListenerRule"));
            expect(rule.actions[0].type).to.equal("forward");
            expect(rule.conditions[0].httpHeader.httpHeaderName).to.equal("X-Origin-Verify");
            const dist = rec.graph.inputsOf(rec.graph.one("aws:cloudfront/distribution:Distribution"));
            const header = dist.origins[0].customHeaders.find((h: { name: string }) => h.name === "X-Origin-Verify");
            expect(JSON.stringify(rule.conditions[0].httpHeader.values)).to.equal(JSON.stringify([header.value]));
        });

        it("publishes the distribution's id and domain name (known once deployed)", async () => {
            expect(await valueOf(rec.result.distributionId)).to.equal("(known after apply: web-cdn-cdn.id)");
            expect(await valueOf(rec.result.distributionDomainName)).to.be.instanceOf(Unknown);
            expect(Object.keys(rec.graph.one("scaling-toolkit:index:LoadBalancedService").outputs ?? {})).to.include.members(["distributionId", "distributionDomainName"]);
        });
    });

    it("publishes no distribution without cdn", async () => {
        const { result } = await build();
        expect(await valueOf(result.distributionId)).to.equal(undefined);
    });

    const refused: [string, Partial<LoadBalancedServiceArgs>, string][] = [
        ["cdn without domainName", { domainName: undefined, hostedZoneId: undefined }, "domainName"],
        ["cdn without hostedZoneId", { hostedZoneId: undefined }, "hostedZoneId"],
        ["a VPC origin with an internet-facing load balancer", { internal: false }, "internal"],
        ["a bad edge argument, reported under cdn.", { cdn: { priceClass: "PriceClass_1" as EdgePriceClass } }, "cdn.priceClass"],
    ];
    for (const [what, overrides, argument] of refused) {
        it(`refuses ${what} before creating anything`, async () => {
            const { graph } = await record(() => {
                expectValidationError(() => new LoadBalancedService("web", { ...base, domainName: "api.example.com", hostedZoneId: ZONE, cdn: {}, ...overrides }), "LoadBalancedService", argument);
            });
            expect(graph.resources).to.have.length(0);
        });
    }
});
