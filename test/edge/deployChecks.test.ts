/** The deploy checks know the edge's types: EdgeCache and ServiceLevelObjectives pass, bad values are caught. */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { EdgeCache, EdgeOriginAccess, ServiceLevelObjectives, SloMetricSource } from "../../components";
import { runDeployChecks } from "../../preview/deployChecks";
import { FACTS } from "../../preview/deployChecks/knownFacts";
import { record, RuntimeOptionsWithPrefixList } from "./support";

const EDGE = {
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/0123456789abcdef",
    loadBalancerDnsName: "internal-api-123.eu-west-1.elb.amazonaws.com",
    domainName: "api.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
};

describe("deploy checks on the edge's types", () => {
    it("the extract holds the API model's enums of the distribution and the web ACL, with their sources", () => {
        const rule = (type: string, property: string) => FACTS.values.find((v) => v.type === type && v.property === property);
        expect(rule("aws:cloudfront/distribution:Distribution", "httpVersion")?.enum).to.include("http2and3");
        expect(rule("aws:cloudfront/distribution:Distribution", "defaultCacheBehavior.viewerProtocolPolicy")?.source).to.contain("DefaultCacheBehavior.ViewerProtocolPolicy");
        expect(rule("aws:wafv2/webAcl:WebAcl", "scope")?.enum).to.deep.equal(["CLOUDFRONT", "REGIONAL"]);
        expect(FACTS.schema.types["aws:cloudfront/vpcOrigin:VpcOrigin"].r).to.deep.equal(["vpcOriginEndpointConfig"]);
    });

    it("EdgeCache and ServiceLevelObjectives (load balancer and CloudFront) raise no finding", async () => {
        const { graph } = await record(() => {
            const edge = new EdgeCache("edge", EDGE);
            new ServiceLevelObjectives("api", { loadBalancerArnSuffix: "app/api/0123456789abcdef" });
            new ServiceLevelObjectives("api-edge", { source: SloMetricSource.CloudFront, distributionId: edge.distributionId });
        }, RuntimeOptionsWithPrefixList);
        expect(graph.byType("aws:cloudfront/distribution:Distribution")).to.have.length(1);
        expect(runDeployChecks(graph.resources, { region: "eu-west-1" }).findings).to.deep.equal([]);
    });

    it("a PublicHttps EdgeCache (its secret header a random_password) raises no finding either", async () => {
        const { graph } = await record(() => new EdgeCache("edge", { ...EDGE, originAccess: EdgeOriginAccess.PublicHttps, waf: { enabled: false } }), RuntimeOptionsWithPrefixList);
        expect(graph.byType("random:index/randomPassword:RandomPassword")).to.have.length(1);
        expect(runDeployChecks(graph.resources, { region: "eu-west-1" }).findings).to.deep.equal([]);
    });

    it("catches a value the API refuses: an HTTP version, a viewer protocol policy, a web ACL scope", async () => {
        const { graph } = await record(() => {
            new aws.cloudfront.Distribution("cdn", {
                enabled: true,
                httpVersion: "http4",
                origins: [{ originId: "o", domainName: "example.com", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] } }],
                defaultCacheBehavior: { targetOriginId: "o", viewerProtocolPolicy: "https-first", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
                viewerCertificate: { cloudfrontDefaultCertificate: true },
                restrictions: { geoRestriction: { restrictionType: "none" } },
            });
            new aws.wafv2.WebAcl("waf", { scope: "GLOBAL", defaultAction: { allow: {} }, visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "m", sampledRequestsEnabled: true } });
        });
        const found = runDeployChecks(graph.resources).findings.map((f) => `${f.property}: ${f.message}`);
        expect(found.some((f) => f.startsWith("httpVersion:") && f.includes("http2and3"))).to.equal(true);
        expect(found.some((f) => f.startsWith("defaultCacheBehavior.viewerProtocolPolicy:") && f.includes("redirect-to-https"))).to.equal(true);
        expect(found.some((f) => f.startsWith("scope:") && f.includes("CLOUDFRONT"))).to.equal(true);
    });
});
