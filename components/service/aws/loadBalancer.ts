import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogsBucket } from "./accessLogs";
import { EdgeOriginAccess } from "../../edge/spec";
import { AwsContext } from "./context";
import { AwsServiceSpec } from "./spec";

export interface ServiceLoadBalancer {
    loadBalancer: aws.lb.LoadBalancer;
    targetGroup: aws.lb.TargetGroup;
    /** The HTTPS listener and the HTTP one that only redirects: the ECS service waits on both. */
    listeners: aws.lb.Listener[];
}

/** The ALB (with its access logs), the target group, the listeners and the alias record. */
export function loadBalancer(
    ctx: AwsContext,
    spec: AwsServiceSpec,
    inputs: { securityGroupId: pulumi.Input<string>; certificateArn: pulumi.Input<string> },
): ServiceLoadBalancer {
    const bucket = accessLogsBucket(ctx, spec);
    const lb = new aws.lb.LoadBalancer(ctx.child("alb"), {
        loadBalancerType: "application",
        internal: spec.internal,
        securityGroups: [inputs.securityGroupId],
        subnets: spec.internal ? spec.network.privateSubnetIds : spec.network.publicSubnetIds,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: spec.deletionProtection,
        desyncMitigationMode: "strictest",
        idleTimeout: 60,
        accessLogs: bucket !== undefined ? { bucket, enabled: true, prefix: ctx.name } : undefined,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
    const tg = targetGroup(ctx, spec);
    const listeners = [httpsListener(ctx, spec, lb, tg, inputs.certificateArn), httpRedirectListener(ctx, lb)];
    // Behind a CDN the edge writes the alias records for domainName.
    if (spec.domainName !== undefined && spec.hostedZoneId !== undefined && spec.cdn === undefined) {
        new aws.route53.Record(ctx.child("alias"), {
            zoneId: spec.hostedZoneId,
            name: spec.domainName,
            type: "A",
            aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }],
        }, ctx.kit.childOpts);
    }
    return { loadBalancer: lb, targetGroup: tg, listeners };
}

/**
 * A target group for the tasks: the shared health check, fast draining, optional stickiness. `tg`
 * is the service's; a native deployment strategy adds an identical alternate one (`tg-alt`).
 */
export function targetGroup(ctx: AwsContext, spec: AwsServiceSpec, suffix = "tg"): aws.lb.TargetGroup {
    const hc = spec.healthCheck;
    return new aws.lb.TargetGroup(ctx.child(suffix), {
        vpcId: spec.network.vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: spec.container.port,
        deregistrationDelay: spec.deregistrationDelaySeconds,
        healthCheck: {
            enabled: true,
            protocol: "HTTP",
            path: hc.path,
            port: "traffic-port",
            interval: hc.intervalSeconds,
            timeout: hc.timeoutSeconds,
            healthyThreshold: hc.healthyThreshold,
            unhealthyThreshold: hc.unhealthyThreshold,
            matcher: hc.matcher,
        },
        stickiness: spec.stickinessSeconds !== undefined
            ? { enabled: true, type: "lb_cookie", cookieDuration: spec.stickinessSeconds }
            : { enabled: false, type: "lb_cookie" },
        tags: ctx.tags,
    }, ctx.kit.childOpts);
}

function httpsListener(ctx: AwsContext, spec: AwsServiceSpec, lb: aws.lb.LoadBalancer, tg: aws.lb.TargetGroup, certificateArn: pulumi.Input<string>): aws.lb.Listener {
    return new aws.lb.Listener(ctx.child("https"), {
        loadBalancerArn: lb.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: spec.tlsPolicy,
        certificateArn,
        // Behind CloudFront over public HTTPS only requests with the edge's secret header are
        // forwarded (a listener rule, components/service/aws/cdn.ts); the rest get 403.
        defaultActions: spec.cdn?.originAccess === EdgeOriginAccess.PublicHttps
            ? [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" } }]
            : [{ type: "forward", targetGroupArn: tg.arn }],
        routingHttpResponseStrictTransportSecurityHeaderValue: spec.hstsMaxAgeSeconds > 0 ? `max-age=${spec.hstsMaxAgeSeconds}` : undefined,
        tags: ctx.tags,
    }, ctx.kit.childOpts);
}

/** Port 80 only redirects to HTTPS: no listener forwards plain HTTP. */
function httpRedirectListener(ctx: AwsContext, lb: aws.lb.LoadBalancer): aws.lb.Listener {
    return new aws.lb.Listener(ctx.child("http-redirect"), {
        loadBalancerArn: lb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
        }],
        tags: ctx.tags,
    }, ctx.kit.childOpts);
}
