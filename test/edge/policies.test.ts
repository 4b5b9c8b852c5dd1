/** EdgeCache and ServiceLevelObjectives against the policy pack: secure by default, weakenings show. */
import { expect } from "chai";
import { EdgeCache, EdgeCacheArgs, ServiceLevelObjectives } from "../../components";
import { expectCompliant, violationsOf } from "../support/policy";
import { record, RuntimeOptionsWithPrefixList } from "./support";

const BASE: EdgeCacheArgs = {
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/0123456789abcdef",
    loadBalancerDnsName: "internal-api-123.eu-west-1.elb.amazonaws.com",
    domainName: "api.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
};
const edge = (args: Partial<EdgeCacheArgs> = {}) => record(() => new EdgeCache("edge", { ...BASE, ...args }), RuntimeOptionsWithPrefixList);

describe("EdgeCache and SLOs against the policy pack", () => {
    it("EdgeCache with default arguments passes every mandatory rule, in production too, and every edge rule", async () => {
        const { graph } = await edge();
        expectCompliant(graph);
        const report = expectCompliant(graph, { config: { production: true } });
        const edgeRules = ["cloudfront-viewer-https", "cloudfront-viewer-tls", "cloudfront-origin-https", "cloudfront-access-logs", "cloudfront-waf"];
        expect(report.violations.filter((v) => edgeRules.includes(v.policy))).to.deep.equal([]);
        // The edge rules really ran over the distribution (not skipped as not applicable).
        for (const rule of ["cloudfront-viewer-https", "cloudfront-viewer-tls", "cloudfront-origin-https"]) {
            expect(report.policies.find((p) => p.name === rule), rule).to.not.equal(undefined);
        }
    });

    it("EdgeCache over public HTTPS passes the origin rule too", async () => {
        const { graph } = await edge({ originAccess: "PublicHttps" as EdgeCacheArgs["originAccess"] });
        expect(violationsOf(graph, "cloudfront-origin-https")).to.deep.equal([]);
        expectCompliant(graph, { config: { production: true } });
    });

    it("waf.enabled false shows as the cloudfront-waf advisory in production", async () => {
        const { graph } = await edge({ waf: { enabled: false } });
        const found = violationsOf(graph, "cloudfront-waf", { config: { production: true } });
        expect(found.map((v) => [v.level, v.resourceName])).to.deep.equal([["advisory", "edge-cdn"]]);
    });

    it("ServiceLevelObjectives with default arguments passes every mandatory rule, in production too", async () => {
        const { graph } = await record(() => new ServiceLevelObjectives("api", { loadBalancerArnSuffix: "app/api/1" }));
        expectCompliant(graph);
        expectCompliant(graph, { config: { production: true } });
    });
});
