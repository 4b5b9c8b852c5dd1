import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { secureBucket } from "../../common/bucket";
import { AwsContext } from "./context";
import { AwsServiceSpec } from "./spec";

/** The bucket the load balancer writes access logs to: none, the caller's, or one created for it. */
export function accessLogsBucket(ctx: AwsContext, spec: AwsServiceSpec): pulumi.Input<string> | undefined {
    if (spec.accessLogs === undefined) {
        return undefined;
    }
    if (spec.accessLogs.bucketName !== undefined) {
        return spec.accessLogs.bucketName;
    }
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: ctx.parent });
    const bucket = secureBucket(ctx.child("access-logs"), {
        versioning: false,
        expireAfterDays: spec.accessLogs.retentionDays,
        forceDestroy: true,
        extraStatements: (arn) => [{
            sid: "ElbLogDelivery",
            principals: { AWS: elbAccount.arn, Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
            actions: ["s3:PutObject"],
            // The load balancer writes under its prefix (the service name), then AWSLogs/<account>.
            resources: [pulumi.interpolate`${arn}/${ctx.name}/AWSLogs/${ctx.accountId}/*`],
        }],
    }, ctx.tags, ctx.kit.childOpts);
    return bucket.id;
}
