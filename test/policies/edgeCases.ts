/**
 * Compliant and non-compliant fixtures of the edge rules (policies/rules/edge/), built from the
 * provider SDK's resources; rules.test.ts runs them with the others. Each breaks one property.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const PROD = { Production: "true" };
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/1234";

interface DistributionOptions {
    viewerProtocolPolicy?: string;
    staticViewerProtocolPolicy?: string;
    viewerCertificate?: aws.types.input.cloudfront.DistributionViewerCertificate;
    originProtocolPolicy?: string;
    originSslProtocols?: string[];
    webAclId?: pulumi.Input<string>;
    tags?: Record<string, string>;
}

/** A distribution in front of a public load balancer, secure unless an option weakens it. */
function distribution(o: DistributionOptions = {}): aws.cloudfront.Distribution {
    return new aws.cloudfront.Distribution("cdn", {
        enabled: true,
        origins: [{
            originId: "alb",
            domainName: "api-123.eu-west-1.elb.amazonaws.com",
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: o.originProtocolPolicy ?? "https-only", originSslProtocols: o.originSslProtocols ?? ["TLSv1.2"] },
        }],
        defaultCacheBehavior: {
            targetOriginId: "alb", viewerProtocolPolicy: o.viewerProtocolPolicy ?? "redirect-to-https",
            allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        },
        orderedCacheBehaviors: [{
            pathPattern: "/static/*", targetOriginId: "alb", viewerProtocolPolicy: o.staticViewerProtocolPolicy ?? "https-only",
            allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        }],
        viewerCertificate: o.viewerCertificate ?? { acmCertificateArn: CERT, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        webAclId: o.webAclId,
        tags: o.tags,
    });
}

function vpcOrigin(protocolPolicy: string, protocols: string[]): void {
    new aws.cloudfront.VpcOrigin("origin", {
        vpcOriginEndpointConfig: {
            name: "origin", arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/1", httpPort: 80, httpsPort: 443,
            originProtocolPolicy: protocolPolicy, originSslProtocols: { items: protocols, quantity: protocols.length },
        },
    });
}

/** A production distribution with standard logging v2; `logType` breaks it. */
function loggedDistribution(logType = "ACCESS_LOGS"): void {
    const cdn = distribution({ tags: PROD, webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1" });
    const source = new aws.cloudwatch.LogDeliverySource("logs", { name: "cdn-logs", logType, resourceArn: cdn.arn, region: "us-east-1" });
    const destination = new aws.cloudwatch.LogDeliveryDestination("logs", { name: "cdn-logs", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::logs" }, region: "us-east-1" });
    new aws.cloudwatch.LogDelivery("logs", { deliverySourceName: source.name, deliveryDestinationArn: destination.arn, region: "us-east-1" });
}

function webAcl(): aws.wafv2.WebAcl {
    return new aws.wafv2.WebAcl("waf", {
        scope: "CLOUDFRONT", region: "us-east-1", defaultAction: { allow: {} },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "waf", sampledRequestsEnabled: true },
    });
}

export const EDGE_CASES: { rule: string; compliant: () => void; violating: () => void; says: string }[] = [
    { rule: "cloudfront-viewer-https", compliant: () => distribution(), violating: () => distribution({ viewerProtocolPolicy: "allow-all" }), says: "defaultCacheBehavior has viewerProtocolPolicy \"allow-all\"" },
    { rule: "cloudfront-viewer-https", compliant: () => distribution(), violating: () => distribution({ staticViewerProtocolPolicy: "allow-all" }), says: "orderedCacheBehaviors[0] (/static/*)" },
    { rule: "cloudfront-viewer-tls", compliant: () => distribution(), violating: () => distribution({ viewerCertificate: { acmCertificateArn: CERT, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2019" } }), says: "\"TLSv1.2_2019\": use TLSv1.2_2021 or newer" },
    { rule: "cloudfront-viewer-tls", compliant: () => distribution({ viewerCertificate: { acmCertificateArn: CERT, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.3_2025" } }), violating: () => distribution({ viewerCertificate: { cloudfrontDefaultCertificate: true } }), says: "default *.cloudfront.net certificate" },
    { rule: "cloudfront-origin-https", compliant: () => distribution(), violating: () => distribution({ originProtocolPolicy: "match-viewer" }), says: "originProtocolPolicy \"match-viewer\"" },
    { rule: "cloudfront-origin-https", compliant: () => distribution(), violating: () => distribution({ originSslProtocols: ["TLSv1.1", "TLSv1.2"] }), says: "allows TLSv1.1 to the origin" },
    { rule: "cloudfront-origin-https", compliant: () => vpcOrigin("https-only", ["TLSv1.2"]), violating: () => vpcOrigin("http-only", ["TLSv1.2"]), says: "vpcOriginEndpointConfig has originProtocolPolicy \"http-only\"" },
    { rule: "cloudfront-access-logs", compliant: () => loggedDistribution(), violating: () => loggedDistribution("APPLICATION_LOGS"), says: "writes no access logs" },
    { rule: "cloudfront-waf", compliant: () => distribution({ tags: PROD, webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1" }), violating: () => distribution({ tags: PROD }), says: "has no WAF web ACL" },
    {
        rule: "cloudfront-waf",
        compliant: () => {
            distribution({ webAclId: webAcl().arn });
        },
        violating: () => {
            webAcl();
            distribution();
        },
        says: "attached to no distribution",
    },
];
