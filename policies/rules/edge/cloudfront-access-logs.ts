/** Production distributions write access logs. */
import { asList, Concern, isProduction, stackRule } from "../../rule";
import { DISTRIBUTION, LOG_DELIVERY, LOG_DELIVERY_SOURCE } from "./types";

export const cloudfrontAccessLogs = stackRule({
    name: "cloudfront-access-logs",
    description: "Production CloudFront distributions write access logs: standard logging v2 (a log delivery of type ACCESS_LOGS) or the legacy loggingConfig.",
    why: "The edge's access logs are the only record of every viewer request, including those the cache answered and the WAF blocked: without them an incident at the edge cannot be reconstructed.",
    remediationSteps: "Add an aws.cloudwatch.LogDeliverySource (logType \"ACCESS_LOGS\", resourceArn the distribution's ARN, region us-east-1) with a LogDeliveryDestination and a LogDelivery, or set loggingConfig.bucket (an EdgeCache does the first).",
    concern: Concern.Logging,
    enforcementLevel: "advisory",
    severity: "medium",
    types: [DISTRIBUTION],
    check: (stack, args, report) => {
        const distributions = stack.ofType(DISTRIBUTION).filter((d) => isProduction(d.props));
        if (distributions.length === 0) {
            args.notApplicable("no production distributions");
        }
        const delivered = new Set(stack.ofType(LOG_DELIVERY)
            .flatMap((delivery) => stack.referencedBy(delivery, "deliverySourceName", [LOG_DELIVERY_SOURCE], "name"))
            .filter((source) => source.props.logType === "ACCESS_LOGS")
            .flatMap((source) => stack.referencedBy(source, "resourceArn", [DISTRIBUTION], "arn"))
            .map((d) => d.urn));
        for (const d of distributions) {
            const legacy = asList(d.props.loggingConfig as { bucket?: string }[]).some((c) => c?.bucket);
            if (!legacy && !delivered.has(d.urn)) {
                report(d.urn, `production distribution "${d.name}" writes no access logs (no ACCESS_LOGS delivery source with a delivery, no loggingConfig)`);
            }
        }
    },
});
