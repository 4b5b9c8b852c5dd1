/**
 * The plan diff knows the distribution: a change the provider marks ForceNew (`staging`) is a
 * replacement naming its source, and EdgeCache's own arguments (price class, static TTLs, path
 * patterns) update the distribution and its cache policy in place.
 */
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { expect } from "chai";
import { EdgeCache, EdgeCacheArgs, EdgeOriginAccess, EdgePriceClass } from "../../components";
import { diffPlans, PlanDiff } from "../../preview/diff";
import { buildPlan, Plan } from "../../preview/plan";
import { renderMarkdown, renderText } from "../../preview/render";
import { RuntimeOptions } from "../../preview/runtime";
import { record, RuntimeOptionsWithPrefixList } from "./support";

const DIST = "aws:cloudfront/distribution:Distribution";
const CACHE_POLICY = "aws:cloudfront/cachePolicy:CachePolicy";
const CONFIG = { "aws:region": "eu-west-1" };
const BASE: EdgeCacheArgs = {
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/0123456789abcdef",
    loadBalancerDnsName: "internal-api-123.eu-west-1.elb.amazonaws.com",
    domainName: "api.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
};

async function planOf(program: () => unknown, options: RuntimeOptions = {}): Promise<Plan> {
    const { graph, lookups } = await record(program, { ...options, config: CONFIG, project: "edge", stack: "test" });
    return buildPlan("edge", "test", graph.resources, lookups, {}, { pack: null, violations: [] }, undefined, CONFIG);
}

const edge = (args: Partial<EdgeCacheArgs>) => planOf(() => new EdgeCache("edge", { ...BASE, ...args }), RuntimeOptionsWithPrefixList);

/** A bare distribution, so the one ForceNew attribute (which EdgeCache never sets) can change. */
const bare = (staging: boolean, comment: string) => planOf(() => new aws.cloudfront.Distribution("cdn", {
    enabled: true,
    staging,
    comment,
    origins: [{ originId: "o", domainName: "example.com", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] } }],
    defaultCacheBehavior: { targetOriginId: "o", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
    viewerCertificate: { cloudfrontDefaultCertificate: true },
    restrictions: { geoRestriction: { restrictionType: "none" } },
}));

const one = (d: PlanDiff, type: string) => {
    const found = d.resources.filter((r) => r.type === type);
    expect(found, type).to.have.length(1);
    return found[0];
};

describe("plan diff of the edge's distribution", function () {
    this.timeout(120_000);

    it("replaces a distribution whose `staging` changes, naming the provider's ForceNew attribute and its source", async () => {
        const head = await bare(true, "api");
        const d = diffPlans(await bare(false, "api"), head);
        const r = one(d, DIST);
        expect(r).to.include({ op: "replace", replacementKnown: true });
        expect(r.reasons).to.deep.equal([{ property: "staging", source: "hashicorp/terraform-provider-aws internal/service/cloudfront/distribution.go@023c8e5cf1ee", detail: "staging" }]);
        expect(renderText(head, d)).to.contain("replace (staging forces it)");
        expect(renderMarkdown(head, d)).to.contain("replace (staging forces it)").and.to.contain("internal/service/cloudfront/distribution.go@023c8e5cf1ee");
    });

    it("updates a distribution in place when only its comment changes, and says the replacement is known", async () => {
        const head = await bare(false, "api v2");
        const d = diffPlans(await bare(false, "api"), head);
        const r = one(d, DIST);
        expect(r).to.include({ op: "update", replacementKnown: true });
        expect(r.reasons).to.deep.equal([]);
        const text = renderText(head, d);
        expect(text).to.contain("aws:cloudfront/distribution:Distribution cdn: update\n").and.to.contain('comment: "api" => "api v2"');
        expect(text).to.not.contain("replacement not known");
        expect(text).to.not.contain("forces it");
    });

    it("updates EdgeCache's distribution and cache policy in place when the price class, TTLs and static paths change", async () => {
        const before = await edge({});
        const after = await edge({ priceClass: EdgePriceClass.Class100, staticCache: { pathPatterns: ["/static/*", "/img/*"], defaultTtlSeconds: 3600 } });
        const d = diffPlans(before, after);
        expect(d.resources.filter((r) => r.op === "replace").map((r) => r.name)).to.deep.equal([]);
        const dist = one(d, DIST);
        expect(dist).to.include({ op: "update", replacementKnown: true });
        expect(dist.changes.map((c) => c.path.replace(/\[[^\]]*\]/g, ""))).to.include.members(["priceClass", "orderedCacheBehaviors.pathPattern"]);
        expect(one(d, CACHE_POLICY)).to.include({ op: "update", replacementKnown: true });
    });

    describe("the public origin's secret header (random_password)", () => {
        const secret = (length: number, keepers: Record<string, string>) => planOf(() => new random.RandomPassword("verify", { length, special: false, keepers }));

        it("is replaced (a new secret) when its length or a keeper changes, naming terraform-provider-random's attribute", async () => {
            const base = await secret(40, { rotation: "1" });
            for (const [head, property] of [[await secret(41, { rotation: "1" }), "length"], [await secret(40, { rotation: "2" }), "keepers"]] as const) {
                const r = one(diffPlans(base, head), "random:index/randomPassword:RandomPassword");
                expect(r).to.include({ op: "replace", replacementKnown: true });
                expect(r.reasons.map((x) => [x.property, x.source])).to.deep.equal([[property, "hashicorp/terraform-provider-random internal/provider/resource_password.go@c054b4769837"]]);
            }
        });

        it("stays as it is when the rest of a PublicHttps EdgeCache changes", async () => {
            const before = await edge({ originAccess: EdgeOriginAccess.PublicHttps });
            expect(before.resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword")).to.have.length(1);
            const d = diffPlans(before, await edge({ originAccess: EdgeOriginAccess.PublicHttps, priceClass: EdgePriceClass.Class200 }));
            expect(one(d, DIST).op).to.equal("update");
            expect(d.resources.filter((r) => r.type.startsWith("random:"))).to.deep.equal([]);
            expect(d.resources.filter((r) => r.op === "replace")).to.deep.equal([]);
        });
    });
});
