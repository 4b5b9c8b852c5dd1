/**
 * The distribution: one origin (the load balancer, through a VPC origin or over public HTTPS), a
 * cached behaviour per static path pattern and an uncached default behaviour forwarding everything
 * an API needs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, edgeOriginId, edgePolicyName } from "../common/naming";
import { EdgeOriginAccess, EdgeSpec } from "./spec";

/**
 * CloudFront's managed cache policy `Managed-CachingDisabled` (a fixed id in every account, as the
 * CloudFront Developer Guide, "Use managed cache policies", lists it).
 */
export const CACHING_DISABLED_POLICY_ID = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/** The viewer TLS policy: TLS 1.2 or newer with forward-secret ciphers (CloudFront's `TLSv1.2_2021`). */
export const VIEWER_TLS_POLICY = "TLSv1.2_2021";
/** The only protocol CloudFront may speak to the origin. */
export const ORIGIN_TLS_PROTOCOLS = ["TLSv1.2"];
/** The header a public origin requires, carrying a secret only CloudFront knows. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

const ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
const READ_METHODS = ["GET", "HEAD"];

/** What the distribution is built from, besides the spec. */
export interface DistributionInputs {
    loadBalancerArn: pulumi.Input<string>;
    loadBalancerDnsName: pulumi.Input<string>;
    certificateArn: pulumi.Input<string>;
    webAclArn?: pulumi.Input<string>;
    /** The secret a public origin checks (PublicHttps only). */
    originSecret?: pulumi.Input<string>;
}

/** The VPC origin of an internal load balancer: HTTPS only, TLS 1.2. */
export function vpcOrigin(spec: EdgeSpec, loadBalancerArn: pulumi.Input<string>, tags: Record<string, string>, opts: pulumi.CustomResourceOptions): aws.cloudfront.VpcOrigin {
    return new aws.cloudfront.VpcOrigin(childName(spec.name, "vpc-origin"), {
        vpcOriginEndpointConfig: {
            name: childName(spec.name, "vpc-origin"),
            arn: loadBalancerArn,
            httpPort: 80,
            httpsPort: spec.originPort,
            originProtocolPolicy: "https-only",
            originSslProtocols: { items: ORIGIN_TLS_PROTOCOLS, quantity: ORIGIN_TLS_PROTOCOLS.length },
        },
        tags,
    }, opts);
}

/** The cache policy of the static paths: the path alone is the key, compressed variants cached apart. */
export function staticCachePolicy(spec: EdgeSpec, opts: pulumi.CustomResourceOptions): aws.cloudfront.CachePolicy {
    return new aws.cloudfront.CachePolicy(childName(spec.name, "static"), {
        name: edgePolicyName(spec.name, "static"),
        comment: `Static paths of ${spec.name}: ${spec.staticCache.pathPatterns.join(", ")}`,
        minTtl: spec.staticCache.minTtlSeconds,
        defaultTtl: spec.staticCache.defaultTtlSeconds,
        maxTtl: spec.staticCache.maxTtlSeconds,
        parametersInCacheKeyAndForwardedToOrigin: {
            cookiesConfig: { cookieBehavior: "none" },
            headersConfig: { headerBehavior: "none" },
            queryStringsConfig: { queryStringBehavior: "none" },
            enableAcceptEncodingBrotli: true,
            enableAcceptEncodingGzip: true,
        },
    }, opts);
}

/**
 * What the uncached paths forward: every viewer header, cookie and query string. Host is forwarded
 * (so the load balancer's certificate for the viewer's domain verifies) unless `originDomainName`
 * names the host CloudFront should use instead.
 */
export function apiOriginRequestPolicy(spec: EdgeSpec, opts: pulumi.CustomResourceOptions): aws.cloudfront.OriginRequestPolicy {
    return new aws.cloudfront.OriginRequestPolicy(childName(spec.name, "api"), {
        name: edgePolicyName(spec.name, "api"),
        comment: `Uncached paths of ${spec.name}: everything the API reads`,
        headersConfig: spec.originDomainName === undefined
            ? { headerBehavior: "allViewer" }
            : { headerBehavior: "allExcept", headers: { items: ["Host"] } },
        cookiesConfig: { cookieBehavior: "all" },
        queryStringsConfig: { queryStringBehavior: "all" },
    }, opts);
}

/** The distribution's one origin. */
function origin(spec: EdgeSpec, inputs: DistributionInputs, vpc: aws.cloudfront.VpcOrigin | undefined): aws.types.input.cloudfront.DistributionOrigin {
    const common = { originId: edgeOriginId(spec.name), domainName: spec.originDomainName ?? inputs.loadBalancerDnsName };
    if (vpc !== undefined) {
        return { ...common, vpcOriginConfig: { vpcOriginId: vpc.id, originReadTimeout: spec.originReadTimeoutSeconds } };
    }
    return {
        ...common,
        customOriginConfig: {
            httpPort: 80,
            httpsPort: spec.originPort,
            originProtocolPolicy: "https-only",
            originSslProtocols: ORIGIN_TLS_PROTOCOLS,
            originReadTimeout: spec.originReadTimeoutSeconds,
        },
        customHeaders: inputs.originSecret === undefined ? [] : [{ name: ORIGIN_VERIFY_HEADER, value: inputs.originSecret }],
    };
}

/** The distribution: HTTPS only for viewers (TLS 1.2_2021), HTTP/2 and HTTP/3, IPv6, compression. */
export function distribution(
    spec: EdgeSpec,
    inputs: DistributionInputs,
    policies: { cache: aws.cloudfront.CachePolicy; api: aws.cloudfront.OriginRequestPolicy },
    vpc: aws.cloudfront.VpcOrigin | undefined,
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): aws.cloudfront.Distribution {
    const target = edgeOriginId(spec.name);
    return new aws.cloudfront.Distribution(childName(spec.name, "cdn"), {
        enabled: true,
        comment: `${spec.domainName} (${spec.name})`,
        aliases: [spec.domainName],
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        priceClass: spec.priceClass,
        origins: [origin(spec, inputs, spec.originAccess === EdgeOriginAccess.VpcOrigin ? vpc : undefined)],
        defaultCacheBehavior: {
            targetOriginId: target,
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ALL_METHODS,
            cachedMethods: READ_METHODS,
            compress: true,
            cachePolicyId: CACHING_DISABLED_POLICY_ID,
            originRequestPolicyId: policies.api.id,
        },
        orderedCacheBehaviors: spec.staticCache.pathPatterns.map((pathPattern) => ({
            pathPattern,
            targetOriginId: target,
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: READ_METHODS,
            cachedMethods: READ_METHODS,
            compress: true,
            cachePolicyId: policies.cache.id,
        })),
        viewerCertificate: {
            acmCertificateArn: inputs.certificateArn,
            sslSupportMethod: "sni-only",
            minimumProtocolVersion: VIEWER_TLS_POLICY,
        },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        webAclId: inputs.webAclArn,
        tags,
    }, opts);
}
