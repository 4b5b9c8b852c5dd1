/**
 * The cost estimate of the edge: the pricing snapshot has no CloudFront and no AWS WAF price, so the
 * distribution, its VPC origin, its additional metrics and the web ACL are listed as not priced with
 * that reason (in the report, the Markdown and the unpriced count), never as $0; their policies and
 * the log delivery's source and destination are settings, named as such.
 */
import { expect } from "chai";
import { EdgeCache, EdgeCacheArgs } from "../../components";
import { CostReport, estimateCost, renderCostMarkdown, renderCostText } from "../../preview/cost";
import { SNAPSHOT } from "../../preview/cost/priceBook";
import { buildPlan } from "../../preview/plan";
import { record, RuntimeOptionsWithPrefixList } from "./support";

const BASE: EdgeCacheArgs = {
    loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/api/0123456789abcdef",
    loadBalancerDnsName: "internal-api-123.us-east-1.elb.amazonaws.com",
    domainName: "api.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
};

async function estimate(args: Partial<EdgeCacheArgs> = {}): Promise<CostReport> {
    const { graph, lookups } = await record(() => new EdgeCache("edge", { ...BASE, ...args }), { ...RuntimeOptionsWithPrefixList, config: { "aws:region": "us-east-1" } });
    const plan = buildPlan("t", "test", graph.resources, lookups, {}, { pack: null, violations: [] });
    return estimateCost(plan, { region: "us-east-1", now: new Date(`${SNAPSHOT.snapshotDate}T00:00:00Z`) });
}

const NO_CLOUDFRONT = "no CloudFront list price in the pricing snapshot";
const NO_WAF = "no WAF list price in the pricing snapshot";

describe("EdgeCache cost", function () {
    this.timeout(60_000);
    let cost: CostReport;
    before(async () => {
        cost = await estimate();
    });
    const of = (type: string) => cost.resources.filter((r) => r.type === `aws:${type}`);

    it("the snapshot really has no CloudFront or WAF price (else these resources should be priced)", () => {
        expect(SNAPSHOT.prices.filter((p) => /cloudfront|waf/i.test(`${p.service} ${p.dimension}`))).to.deep.equal([]);
    });

    it("lists the distribution, VPC origin, additional metrics and web ACL as not priced, saying why, with no lines", () => {
        const want: [string, string][] = [
            ["cloudfront/distribution:Distribution", NO_CLOUDFRONT],
            ["cloudfront/vpcOrigin:VpcOrigin", NO_CLOUDFRONT],
            ["cloudfront/monitoringSubscription:MonitoringSubscription", NO_CLOUDFRONT],
            ["wafv2/webAcl:WebAcl", NO_WAF],
        ];
        for (const [type, reason] of want) {
            const [r] = of(type);
            expect(r, type).to.not.equal(undefined);
            expect(r.status, type).to.equal("not-priced");
            expect(r.lines, type).to.deep.equal([]);
            expect(r.notPriced, type).to.have.length(1);
            expect(r.notPriced[0], type).to.contain(reason);
            expect(cost.unpriced.some((u) => u.type === r.type && u.reason === r.notPriced[0]), type).to.equal(true);
        }
    });

    it("names the cache and origin request policies and the log delivery's ends as settings, and the delivery to S3 as not priced", () => {
        for (const type of ["cloudfront/cachePolicy:CachePolicy", "cloudfront/originRequestPolicy:OriginRequestPolicy"]) {
            expect(of(type)[0]).to.deep.include({ status: "included" });
            expect(of(type)[0].note).to.contain("settings of the CloudFront distributions").and.to.contain(NO_CLOUDFRONT);
        }
        for (const type of ["cloudwatch/logDeliverySource:LogDeliverySource", "cloudwatch/logDeliveryDestination:LogDeliveryDestination"]) {
            expect(of(type)[0]).to.deep.include({ status: "included", note: "settings of its log delivery, where the delivered logs are charged" });
        }
        expect(of("cloudwatch/logDelivery:LogDelivery")[0].status).to.equal("not-priced");
        expect(of("cloudwatch/logDelivery:LogDelivery")[0].notPriced[0]).to.contain("CloudWatch Logs ingestion only");
        expect(cost.resources.filter((r) => r.status === "not-priced" && !r.notPriced.length)).to.deep.equal([]);
    });

    it("counts the unpriced items and shows the reasons in the text report and the comment instead of a $0", () => {
        // 5 whole resources, and 3 parts of priced ones (S3 requests, SNS deliveries, rotated KMS key material).
        expect(cost.stack.unpriced).to.equal(8);
        const component = cost.components.find((c) => c.name === "edge")!;
        expect(component.unpriced).to.equal(8);
        const text = renderCostText(cost).join("\n");
        expect(text).to.contain(NO_CLOUDFRONT).and.to.contain(NO_WAF);
        expect(text).to.match(/unpriced: 5 resource\(s\) with no price .*and 3 part\(s\) of priced resources; not counted, never as \$0/);
        const md = renderCostMarkdown(cost).join("\n");
        expect(md).to.contain(NO_WAF).and.to.contain("edge-cdn");
    });

    it("without the WAF, the web ACL's line is gone and the rest stays unpriced", async () => {
        const noWaf = await estimate({ waf: { enabled: false }, additionalMetrics: false });
        expect(noWaf.resources.filter((r) => r.status === "not-priced").map((r) => r.type).sort()).to.deep.equal(["aws:cloudfront/distribution:Distribution", "aws:cloudfront/vpcOrigin:VpcOrigin", "aws:cloudwatch/logDelivery:LogDelivery"]);
    });
});
