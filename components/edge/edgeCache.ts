import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { alarmTopic, createAlarms } from "../common/alarms";
import { ComponentContext, typeToken } from "../common/component";
import { childName, CLOUDFRONT_REGION } from "../common/naming";
import { publish } from "../common/publish";
import { additionalMetrics, edgeAlarmSpecs } from "./alarms";
import { aliasRecords, viewerCertificate } from "./certificate";
import { apiOriginRequestPolicy, distribution, staticCachePolicy, vpcOrigin } from "./distribution";
import { accessLogBucket, accessLogDelivery } from "./logging";
import { COMPONENT, EdgeCacheArgs, EdgeOriginAccess, edgeSpec } from "./spec";
import { webAcl } from "./waf";

export { EdgeAlarmArgs, EdgeCacheArgs, EdgeCacheSettings, EdgeOriginAccess, EdgePriceClass, EdgeStaticCacheArgs, EdgeWafArgs } from "./spec";

/**
 * The managed prefix list of CloudFront's origin-facing addresses (the addresses CloudFront connects
 * to origins from). A public load balancer's security group admits it instead of 0.0.0.0/0.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/**
 * A CloudFront distribution in front of a load balancer: the guide's disk-based HTTP cache layer at
 * the edge. Static paths are cached (the path alone is the key); everything else passes through
 * uncached with every header, cookie and query string. Viewers get HTTPS only (HTTP redirects,
 * TLS 1.2_2021, HTTP/2 and HTTP/3, compression) with a DNS-validated certificate in us-east-1 and
 * alias records in the caller's zone. CloudFront reaches the load balancer through a VPC origin (so
 * it may be internal) or over public HTTPS, TLS 1.2 only. Access logs go to a secure bucket
 * (standard logging v2), a WAF web ACL with AWS managed rules and a per-IP rate limit filters
 * requests, and alarms watch the edge's 5xx rate and the origin's latency.
 */
export class EdgeCache extends pulumi.ComponentResource {
    /** The distribution's id. */
    public readonly distributionId!: pulumi.Output<string>;
    /** The distribution's ARN. */
    public readonly distributionArn!: pulumi.Output<string>;
    /** The distribution's own domain name (`d111111abcdef8.cloudfront.net`). */
    public readonly distributionDomainName!: pulumi.Output<string>;
    /** The Route 53 zone id of CloudFront's domain names, for alias records. */
    public readonly distributionHostedZoneId!: pulumi.Output<string>;
    /** `https://<domainName>`. */
    public readonly url!: pulumi.Output<string>;
    /** The viewer certificate (us-east-1), validated. */
    public readonly certificateArn!: pulumi.Output<string>;
    /** CloudFront's origin-facing managed prefix list: what a public load balancer's security group admits. */
    public readonly originPrefixListId!: pulumi.Output<string>;
    /** The WAF web ACL, when enabled. */
    public readonly webAclArn!: pulumi.Output<string | undefined>;
    /** The VPC origin, with `EdgeOriginAccess.VpcOrigin`. */
    public readonly vpcOriginId!: pulumi.Output<string | undefined>;
    /** The bucket receiving the access logs. */
    public readonly accessLogBucketName!: pulumi.Output<string>;
    /** The topic the alarms notify (us-east-1), when alarms are enabled. */
    public readonly alarmTopicArn!: pulumi.Output<string | undefined>;
    /**
     * With `EdgeOriginAccess.PublicHttps`: the secret value CloudFront sends in the `X-Origin-Verify`
     * header, which the load balancer's listener rules should require (a Pulumi secret).
     */
    public readonly originVerifyHeaderValue!: pulumi.Output<string | undefined>;

    constructor(name: string, args: EdgeCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = edgeSpec(name, args);
        super(typeToken(COMPONENT), name, {}, opts);
        const kit = new ComponentContext(this, COMPONENT, args);
        const tags = kit.tags;

        const certificateArn = viewerCertificate(name, spec.domainName, args.hostedZoneId, tags, kit.childOpts);
        const origin = spec.originAccess === EdgeOriginAccess.VpcOrigin ? vpcOrigin(spec, args.loadBalancerArn, tags, kit.childOpts) : undefined;
        const secret = spec.originAccess === EdgeOriginAccess.PublicHttps
            ? new random.RandomPassword(childName(name, "origin-verify"), { length: 40, special: false }, kit.childOpts).result
            : undefined;
        const acl = spec.waf.enabled ? webAcl(spec, tags, kit.childOpts) : undefined;
        const logs = accessLogBucket(spec, tags, kit.childOpts);
        const policies = { cache: staticCachePolicy(spec, kit.childOpts), api: apiOriginRequestPolicy(spec, kit.childOpts) };
        const cdn = distribution(spec, {
            loadBalancerArn: args.loadBalancerArn,
            loadBalancerDnsName: args.loadBalancerDnsName,
            certificateArn,
            webAclArn: acl?.arn,
            originSecret: secret,
        }, policies, origin, tags, kit.childOpts);
        aliasRecords(name, spec.domainName, args.hostedZoneId, cdn, kit.childOpts);
        accessLogDelivery(spec, cdn.arn, logs, tags, kit.childOpts);
        if (spec.additionalMetrics) {
            additionalMetrics(spec, cdn.id, kit.childOpts);
        }
        const topicArn = spec.alarms.enabled ? alarmTopic(name, spec.alarms.topicArn, tags, kit.childOpts, CLOUDFRONT_REGION) : undefined;
        if (topicArn !== undefined) {
            createAlarms(name, topicArn, edgeAlarmSpecs(spec, cdn.id), tags, kit.childOpts);
        }
        const prefixList = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, { parent: this });

        publish<EdgeCache>(this, {
            distributionId: cdn.id,
            distributionArn: cdn.arn,
            distributionDomainName: cdn.domainName,
            distributionHostedZoneId: cdn.hostedZoneId,
            url: pulumi.output(`https://${spec.domainName}`),
            certificateArn,
            originPrefixListId: prefixList.id,
            webAclArn: acl === undefined ? pulumi.output(undefined) : acl.arn,
            vpcOriginId: origin === undefined ? pulumi.output(undefined) : origin.id,
            accessLogBucketName: logs.bucket,
            alarmTopicArn: pulumi.output(topicArn),
            originVerifyHeaderValue: secret === undefined ? pulumi.output(undefined) : pulumi.secret(secret),
        });
    }
}
