import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ORIGIN_VERIFY_HEADER } from "../../edge/distribution";
import { EdgeCache } from "../../edge/edgeCache";
import { EdgeOriginAccess } from "../../edge/spec";
import { AwsContext } from "./context";
import { ServiceLoadBalancer } from "./loadBalancer";
import { AwsServiceSpec } from "./spec";

/**
 * The service's CDN, when `cdn` is given: an EdgeCache in front of the load balancer, serving
 * `domainName`. Over public HTTPS the load balancer admits 443 only from CloudFront's origin-facing
 * prefix list, and the HTTPS listener forwards only requests carrying the edge's secret header.
 */
export function serviceCdn(
    ctx: AwsContext,
    spec: AwsServiceSpec,
    lb: ServiceLoadBalancer,
    loadBalancerSecurityGroupId: pulumi.Input<string>,
): EdgeCache | undefined {
    if (spec.cdn === undefined) {
        return undefined;
    }
    const edge = new EdgeCache(ctx.child("cdn"), {
        ...spec.cdn.args,
        loadBalancerArn: lb.loadBalancer.arn,
        loadBalancerDnsName: lb.loadBalancer.dnsName,
        originPort: 443,
        domainName: spec.domainName!,
        hostedZoneId: spec.hostedZoneId!,
        tags: ctx.tags,
    }, { parent: ctx.parent });
    if (spec.cdn.originAccess === EdgeOriginAccess.PublicHttps) {
        requireEdge(ctx, lb, edge, loadBalancerSecurityGroupId);
    }
    return edge;
}

/** 443 from CloudFront's origin-facing addresses only, and a forward rule on the secret header. */
function requireEdge(ctx: AwsContext, lb: ServiceLoadBalancer, edge: EdgeCache, securityGroupId: pulumi.Input<string>): void {
    new aws.vpc.SecurityGroupIngressRule(ctx.child("lb-443-cloudfront"), {
        securityGroupId,
        prefixListId: edge.originPrefixListId,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        description: "HTTPS from CloudFront's origin-facing addresses",
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    const https = lb.listeners[0];
    new aws.lb.ListenerRule(ctx.child("https-from-cdn"), {
        listenerArn: https.arn,
        priority: 1,
        conditions: [{ httpHeader: { httpHeaderName: ORIGIN_VERIFY_HEADER, values: [edge.originVerifyHeaderValue.apply((v) => v ?? "")] } }],
        actions: [{ type: "forward", targetGroupArn: lb.targetGroup.arn }],
        tags: ctx.tags,
    }, ctx.kit.childOpts);
}
