/** Logging in production: load balancer access logs and S3 server access logs. */
import { Concern, requireProduction, resourceRule, stackRule } from "../rule";
import { productionDataBuckets } from "./data-protection";
import { LB_TYPES } from "./least-privilege";
import { BUCKET_TYPES } from "./tls";

const BUCKET_LOGGING_TYPES = ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"];

export const lbAccessLogs = resourceRule({
    name: "lb-access-logs",
    description: "Production application and network load balancers write access logs.",
    why: "Access logs are the record of who called what and when: without them an incident cannot be reconstructed or a client's complaint checked.",
    remediationSteps: "Set accessLogs: { enabled: true, bucket } (a LoadBalancedService: accessLogs: { enabled: true }).",
    concern: Concern.Logging,
    enforcementLevel: "advisory",
    severity: "medium",
    types: LB_TYPES,
    check: ({ props }, args) => {
        requireProduction(args, props);
        if (props.loadBalancerType === "gateway") {
            args.notApplicable("Gateway Load Balancers have no access logs");
        }
        return props.accessLogs?.enabled === true && props.accessLogs?.bucket ? [] : ["access logs are off"];
    },
});

export const s3AccessLogs = stackRule({
    name: "s3-access-logs",
    description: "Production buckets holding data have server access logging (log-destination buckets are exempt).",
    why: "Server access logs record every request to the bucket, including denied and anonymous ones; CloudTrail records object-level calls only where data events are on.",
    remediationSteps: "Add an aws.s3.BucketLogging for the bucket with targetBucket a log bucket of the account (or turn on CloudTrail S3 data events and waive with that reason).",
    concern: Concern.Logging,
    enforcementLevel: "advisory",
    severity: "low",
    types: BUCKET_TYPES,
    check: (stack, args, report) => {
        for (const bucket of productionDataBuckets(stack, args)) {
            if (!bucket.props.logging && stack.referencing(bucket, BUCKET_LOGGING_TYPES, "bucket", "bucket").length === 0) {
                report(bucket.urn, `production bucket "${bucket.name}" has no server access logging`);
            }
        }
    },
});

export const LOGGING_RULES = [lbAccessLogs, s3AccessLogs];
