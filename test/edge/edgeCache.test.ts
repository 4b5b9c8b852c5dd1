import { expect } from "chai";
import { EdgeCache, EdgeCacheArgs, EdgeOriginAccess } from "../../components";
import { CACHING_DISABLED_POLICY_ID } from "../../components/edge/distribution";
import { COUNTED_COMMON_RULES } from "../../components/edge/waf";
import { expectValidationError, parseJson, record, RuntimeOptionsWithPrefixList, Unknown } from "./support";

const DIST = "aws:cloudfront/distribution:Distribution";
const ALB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/0123456789abcdef";
const BASE: EdgeCacheArgs = {
    loadBalancerArn: ALB_ARN,
    loadBalancerDnsName: "internal-api-123.eu-west-1.elb.amazonaws.com",
    domainName: "api.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
};

const build = (args: Partial<EdgeCacheArgs> = {}) => record(() => new EdgeCache("edge", { ...BASE, ...args }), RuntimeOptionsWithPrefixList);

describe("EdgeCache", () => {
    describe("with default arguments (VPC origin, WAF on)", () => {
        let rec: Awaited<ReturnType<typeof build>>;
        before(async () => {
            rec = await build();
        });
        const dist = () => rec.graph.inputsOf(rec.graph.one(DIST));

        it("registers as a scaling-toolkit component that parents every child", () => {
            const component = rec.graph.one("scaling-toolkit:index:EdgeCache");
            expect(rec.graph.descendantsOf(component).filter((r) => r.custom).length).to.equal(rec.graph.customResources.length);
        });

        it("reaches the load balancer through a VPC origin, HTTPS only with TLS 1.2, so the load balancer can be internal", () => {
            const origin = rec.graph.inputsOf(rec.graph.one("aws:cloudfront/vpcOrigin:VpcOrigin")).vpcOriginEndpointConfig;
            expect(origin.arn).to.equal(ALB_ARN);
            expect(origin.originProtocolPolicy).to.equal("https-only");
            expect(origin.httpsPort).to.equal(443);
            expect(origin.originSslProtocols).to.deep.equal({ items: ["TLSv1.2"], quantity: 1 });
            const [o] = dist().origins;
            expect(o.vpcOriginConfig.vpcOriginId).to.equal("(known after apply: edge-vpc-origin.id)");
            expect(o.customOriginConfig).to.equal(undefined);
            expect(o.domainName).to.equal(BASE.loadBalancerDnsName);
        });

        it("serves viewers HTTPS only: HTTP redirects, TLSv1.2_2021 with SNI, HTTP/2 and HTTP/3, IPv6, compression", () => {
            const d = dist();
            expect(d.viewerCertificate).to.deep.include({ minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" });
            expect(d.viewerCertificate.cloudfrontDefaultCertificate).to.not.equal(true);
            expect(d.httpVersion).to.equal("http2and3");
            expect(d.isIpv6Enabled).to.equal(true);
            for (const b of [d.defaultCacheBehavior, ...d.orderedCacheBehaviors]) {
                expect(b.viewerProtocolPolicy).to.equal("redirect-to-https");
                expect(b.compress).to.equal(true);
            }
            expect(d.aliases).to.deep.equal(["api.example.com"]);
        });

        it("caches the static paths by path alone and passes every other path through uncached with headers, cookies and query strings", () => {
            const d = dist();
            expect(d.orderedCacheBehaviors.map((b: { pathPattern: string }) => b.pathPattern)).to.deep.equal(["/static/*", "/assets/*"]);
            expect(d.orderedCacheBehaviors.every((b: { cachePolicyId: string; allowedMethods: string[] }) =>
                b.cachePolicyId === "(known after apply: edge-static.id)" && b.allowedMethods.join() === "GET,HEAD")).to.equal(true);
            const cache = rec.graph.inputsOf(rec.graph.one("aws:cloudfront/cachePolicy:CachePolicy"));
            expect([cache.minTtl, cache.defaultTtl, cache.maxTtl]).to.deep.equal([0, 86400, 31536000]);
            expect(cache.parametersInCacheKeyAndForwardedToOrigin).to.deep.include({
                cookiesConfig: { cookieBehavior: "none" }, headersConfig: { headerBehavior: "none" }, queryStringsConfig: { queryStringBehavior: "none" },
            });
            expect(d.defaultCacheBehavior.cachePolicyId).to.equal(CACHING_DISABLED_POLICY_ID);
            expect(d.defaultCacheBehavior.allowedMethods).to.include.members(["POST", "PUT", "PATCH", "DELETE"]);
            const forward = rec.graph.inputsOf(rec.graph.one("aws:cloudfront/originRequestPolicy:OriginRequestPolicy"));
            expect(forward.headersConfig).to.deep.equal({ headerBehavior: "allViewer" });
            expect(forward.cookiesConfig).to.deep.equal({ cookieBehavior: "all" });
            expect(forward.queryStringsConfig).to.deep.equal({ queryStringBehavior: "all" });
            expect(d.defaultCacheBehavior.originRequestPolicyId).to.equal("(known after apply: edge-api.id)");
        });

        it("gets a DNS-validated certificate in us-east-1 and points A and AAAA aliases at the distribution", () => {
            const cert = rec.graph.inputsOf(rec.graph.one("aws:acm/certificate:Certificate"));
            expect(cert).to.deep.include({ domainName: "api.example.com", validationMethod: "DNS", region: "us-east-1" });
            expect(rec.graph.inputsOf(rec.graph.one("aws:acm/certificateValidation:CertificateValidation")).region).to.equal("us-east-1");
            expect(dist().viewerCertificate.acmCertificateArn).to.equal("(known after apply: edge-cert.arn)");
            const aliases = rec.graph.byType("aws:route53/record:Record").filter((r) => rec.graph.inputsOf(r).aliases);
            expect(aliases.map((r) => rec.graph.inputsOf(r).type).sort()).to.deep.equal(["A", "AAAA"]);
            const cdn = rec.graph.one(DIST).urn;
            for (const a of aliases) {
                expect(rec.graph.inputsOf(a).zoneId).to.equal(BASE.hostedZoneId);
                expect(rec.graph.inputsOf(a).name).to.equal("api.example.com");
                // The distribution's domain name and zone are known after apply: the alias takes them from it.
                expect(rec.graph.inputsOf(a).aliases[0].name).to.be.instanceOf(Unknown);
                expect(a.propertyDependencies.aliases).to.include(cdn);
            }
        });

        it("attaches a CLOUDFRONT web ACL in us-east-1 with a per-IP rate limit and the three AWS managed rule groups", () => {
            const acl = rec.graph.inputsOf(rec.graph.one("aws:wafv2/webAcl:WebAcl"));
            expect(acl.scope).to.equal("CLOUDFRONT");
            expect(acl.region).to.equal("us-east-1");
            expect(acl.defaultAction).to.deep.equal({ allow: {} });
            const rate = acl.rules.find((r: { name: string }) => r.name === "rate-limit");
            expect(rate.statement.rateBasedStatement).to.deep.equal({ limit: 2000, evaluationWindowSec: 300, aggregateKeyType: "IP" });
            expect(rate.action).to.deep.equal({ block: {} });
            const groups = acl.rules.filter((r: { statement: object }) => "managedRuleGroupStatement" in r.statement);
            expect(groups.map((r: { statement: { managedRuleGroupStatement: { name: string } } }) => r.statement.managedRuleGroupStatement.name)).to.deep.equal([
                "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
            ]);
            expect(groups.every((r: { overrideAction: object }) => JSON.stringify(r.overrideAction) === JSON.stringify({ none: {} }))).to.equal(true);
            const common = groups[1].statement.managedRuleGroupStatement;
            expect(common.ruleActionOverrides.map((o: { name: string }) => o.name)).to.deep.equal(COUNTED_COMMON_RULES);
            expect(new Set(acl.rules.map((r: { priority: number }) => r.priority)).size).to.equal(4);
            expect(dist().webAclId).to.equal("(known after apply: edge-waf.arn)");
        });

        it("delivers access logs (standard logging v2) to a secure bucket whose policy admits only this account's delivery source", () => {
            const source = rec.graph.inputsOf(rec.graph.one("aws:cloudwatch/logDeliverySource:LogDeliverySource"));
            expect(source).to.deep.include({ logType: "ACCESS_LOGS", region: "us-east-1", resourceArn: "(known after apply: edge-cdn.arn)" });
            const destination = rec.graph.inputsOf(rec.graph.one("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination"));
            expect(destination.deliveryDestinationConfiguration.destinationResourceArn).to.equal("(known after apply: edge-access-logs.arn)");
            expect(rec.graph.inputsOf(rec.graph.one("aws:cloudwatch/logDelivery:LogDelivery")).region).to.equal("us-east-1");
            expect(rec.graph.inputsOf(rec.graph.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls")).rule.objectOwnership).to.equal("BucketOwnerEnforced");
            const policy = parseJson(rec.graph.inputsOf(rec.graph.one("aws:s3/bucketPolicy:BucketPolicy")).policy);
            const delivery = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudFrontAccessLogDelivery");
            expect(delivery.Principal).to.deep.equal({ Service: "delivery.logs.amazonaws.com" });
            expect(delivery.Action).to.deep.equal(["s3:PutObject"]);
            expect(delivery.Condition.StringEquals["aws:SourceAccount"]).to.equal("(offline: account id)");
            expect(delivery.Condition.ArnLike["aws:SourceArn"]).to.equal("arn:aws:logs:us-east-1:(offline: account id):delivery-source:edge-access-logs");
            expect(policy.Statement.some((s: { Sid: string }) => s.Sid === "DenyInsecureTransport")).to.equal(true);
        });

        it("alarms in us-east-1 on the edge's 5xx rate and the origin's p99 latency (Region=Global), with the additional metrics on", () => {
            const alarms = rec.graph.byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => rec.graph.inputsOf(a));
            expect(alarms.map((a) => a.metricName).sort()).to.deep.equal(["5xxErrorRate", "OriginLatency"]);
            for (const a of alarms) {
                expect(a.namespace).to.equal("AWS/CloudFront");
                expect(a.region).to.equal("us-east-1");
                expect(a.dimensions).to.deep.equal({ DistributionId: "(known after apply: edge-cdn.id)", Region: "Global" });
                expect(a.alarmActions).to.deep.equal(["(known after apply: edge-alarms.arn)"]);
            }
            expect(alarms.find((a) => a.metricName === "5xxErrorRate")).to.deep.include({ threshold: 5, statistic: "Average" });
            expect(alarms.find((a) => a.metricName === "OriginLatency")).to.deep.include({ threshold: 1000, extendedStatistic: "p99" });
            const topic = rec.graph.inputsOf(rec.graph.one("aws:sns/topic:Topic"));
            expect(topic.region).to.equal("us-east-1");
            const sub = rec.graph.inputsOf(rec.graph.one("aws:cloudfront/monitoringSubscription:MonitoringSubscription"));
            expect(sub.monitoringSubscription.realtimeMetricsSubscriptionConfig.realtimeMetricsSubscriptionStatus).to.equal("Enabled");
        });

        it("publishes the distribution, the prefix list, the web ACL and the VPC origin", () => {
            const outputs = rec.graph.one("scaling-toolkit:index:EdgeCache").outputs!;
            expect(outputs.distributionId).to.equal("(known after apply: edge-cdn.id)");
            expect(outputs.originPrefixListId).to.equal("pl-offline-cloudfront");
            expect(outputs.webAclArn).to.equal("(known after apply: edge-waf.arn)");
            expect(outputs.vpcOriginId).to.equal("(known after apply: edge-vpc-origin.id)");
            expect(outputs.url).to.equal("https://api.example.com");
            expect(outputs.originVerifyHeaderValue).to.equal(undefined);
            const lookup = rec.lookups.find((l) => l.token === "aws:ec2/getManagedPrefixList:getManagedPrefixList");
            expect(lookup?.inputs.name).to.equal("com.amazonaws.global.cloudfront.origin-facing");
        });
    });

    describe("over public HTTPS, WAF off, custom static paths", () => {
        let rec: Awaited<ReturnType<typeof build>>;
        before(async () => {
            rec = await build({
                originAccess: EdgeOriginAccess.PublicHttps,
                originPort: 8443,
                waf: { enabled: false },
                staticCache: { pathPatterns: ["/img/*", "*.js"], defaultTtlSeconds: 600, maxTtlSeconds: 3600 },
                originDomainName: "origin.api.example.com",
            });
        });

        it("connects HTTPS only, TLS 1.2 only, with a secret verify header, and creates no VPC origin", () => {
            expect(rec.graph.byType("aws:cloudfront/vpcOrigin:VpcOrigin")).to.have.length(0);
            const [o] = rec.graph.inputsOf(rec.graph.one(DIST)).origins;
            expect(o.customOriginConfig).to.deep.include({ originProtocolPolicy: "https-only", httpsPort: 8443 });
            expect(o.customOriginConfig.originSslProtocols).to.deep.equal(["TLSv1.2"]);
            expect(o.domainName).to.equal("origin.api.example.com");
            expect(o.customHeaders[0].name).to.equal("X-Origin-Verify");
            const outputs = rec.graph.one("scaling-toolkit:index:EdgeCache").outputs!;
            expect(String(outputs.originVerifyHeaderValue)).to.not.equal("undefined");
        });

        it("forwards every viewer header but Host when the origin has a name of its own", () => {
            const forward = rec.graph.inputsOf(rec.graph.one("aws:cloudfront/originRequestPolicy:OriginRequestPolicy"));
            expect(forward.headersConfig).to.deep.equal({ headerBehavior: "allExcept", headers: { items: ["Host"] } });
        });

        it("creates no web ACL and attaches none", () => {
            expect(rec.graph.byType("aws:wafv2/webAcl:WebAcl")).to.have.length(0);
            expect(rec.graph.inputsOf(rec.graph.one(DIST)).webAclId).to.equal(undefined);
            expect(rec.graph.one("scaling-toolkit:index:EdgeCache").outputs!.webAclArn).to.equal(undefined);
        });

        it("caches the given paths with the given TTLs", () => {
            const d = rec.graph.inputsOf(rec.graph.one(DIST));
            expect(d.orderedCacheBehaviors.map((b: { pathPattern: string }) => b.pathPattern)).to.deep.equal(["/img/*", "*.js"]);
            const cache = rec.graph.inputsOf(rec.graph.one("aws:cloudfront/cachePolicy:CachePolicy"));
            expect([cache.minTtl, cache.defaultTtl, cache.maxTtl]).to.deep.equal([0, 600, 3600]);
        });
    });

    it("with the additional metrics off, raises no origin-latency alarm and subscribes to nothing", async () => {
        const rec = await build({ additionalMetrics: false });
        expect(rec.graph.byType("aws:cloudfront/monitoringSubscription:MonitoringSubscription")).to.have.length(0);
        expect(rec.graph.byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => rec.graph.inputsOf(a).metricName)).to.deep.equal(["5xxErrorRate"]);
    });

    it("with a caller's topic, creates no topic or key and notifies the given one", async () => {
        const topicArn = "arn:aws:sns:us-east-1:123456789012:ops";
        const rec = await build({ alarms: { topicArn } });
        expect(rec.graph.byType("aws:sns/topic:Topic")).to.have.length(0);
        expect(rec.graph.byType("aws:kms/key:Key")).to.have.length(0);
        expect(rec.graph.byType("aws:cloudwatch/metricAlarm:MetricAlarm").every((a) => rec.graph.inputsOf(a).alarmActions[0] === topicArn)).to.equal(true);
    });

    describe("validation", () => {
        const make = (args: Partial<EdgeCacheArgs>) => () => new EdgeCache("edge", { ...BASE, ...args });
        it("rejects a domain that is not a DNS name", () => expectValidationError(make({ domainName: "not a domain" }), "EdgeCache", "domainName"));
        it("rejects a catch-all static path", () => expectValidationError(make({ staticCache: { pathPatterns: ["/*"] } }), "EdgeCache", "staticCache.pathPatterns[0]"));
        it("rejects more static paths than CloudFront's behaviour quota", () => expectValidationError(make({ staticCache: { pathPatterns: [...Array(25).keys()].map((i) => `/p${i}/*`) } }), "EdgeCache", "staticCache.pathPatterns"));
        it("rejects a default TTL above the maximum", () => expectValidationError(make({ staticCache: { defaultTtlSeconds: 7200, maxTtlSeconds: 3600 } }), "EdgeCache", "staticCache.defaultTtlSeconds"));
        it("rejects a WAF rate window WAF does not offer", () => expectValidationError(make({ waf: { rateWindowSeconds: 90 } }), "EdgeCache", "waf.rateWindowSeconds"));
        it("rejects a rate limit below WAF's minimum", () => expectValidationError(make({ waf: { rateLimit: 5 } }), "EdgeCache", "waf.rateLimit"));
        it("rejects an unknown origin access mode", () => expectValidationError(make({ originAccess: "Direct" as EdgeOriginAccess }), "EdgeCache", "originAccess"));
        it("reports every problem at once", () => {
            const error = expectValidationError(make({ domainName: "", originPort: 0, originReadTimeoutSeconds: 0 }), "EdgeCache", "originPort");
            expect(error.problems.map((p) => p.argument)).to.include.members(["domainName", "originPort", "originReadTimeoutSeconds"]);
        });
    });
});
