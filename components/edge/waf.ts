/**
 * The WAF web ACL in front of the distribution (scope CLOUDFRONT, which AWS manages from us-east-1):
 * a per-IP rate limit and three AWS managed rule groups.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, CLOUDFRONT_REGION, wafMetricName } from "../common/naming";
import { EdgeSpec } from "./spec";

/**
 * The AWS managed rule groups the ACL runs, in priority order after the rate limit (names as the
 * AWS WAF Developer Guide, "AWS Managed Rules rule groups list", gives them).
 */
export const MANAGED_RULE_GROUPS = [
    { id: "ip-reputation", name: "AWSManagedRulesAmazonIpReputationList" },
    { id: "common", name: "AWSManagedRulesCommonRuleSet" },
    { id: "known-bad-inputs", name: "AWSManagedRulesKnownBadInputsRuleSet" },
] as const;

/**
 * Rules of the common rule set counted instead of blocking: `SizeRestrictions_BODY` blocks every
 * request body over 8 KB, which an API's uploads and JSON documents exceed.
 */
export const COUNTED_COMMON_RULES = ["SizeRestrictions_BODY"];

const visibility = (name: string, rule?: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: wafMetricName(name, rule) });

/** The rules of the ACL, as data (the tests and the README read them). */
export function wafRules(spec: EdgeSpec): aws.types.input.wafv2.WebAclRule[] {
    const rate: aws.types.input.wafv2.WebAclRule = {
        name: "rate-limit",
        priority: 0,
        action: spec.waf.countOnly ? { count: {} } : { block: {} },
        statement: { rateBasedStatement: { limit: spec.waf.rateLimit, evaluationWindowSec: spec.waf.rateWindowSeconds, aggregateKeyType: "IP" } },
        visibilityConfig: visibility(spec.name, "rate-limit"),
    };
    const managed = MANAGED_RULE_GROUPS.map((group, i): aws.types.input.wafv2.WebAclRule => ({
        name: group.id,
        priority: i + 1,
        overrideAction: spec.waf.countOnly ? { count: {} } : { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group.name,
                ruleActionOverrides: group.id === "common" ? COUNTED_COMMON_RULES.map((name) => ({ name, actionToUse: { count: {} } })) : undefined,
            },
        },
        visibilityConfig: visibility(spec.name, group.id),
    }));
    return [rate, ...managed];
}

/** The web ACL; its ARN is the distribution's `webAclId`. */
export function webAcl(spec: EdgeSpec, tags: Record<string, string>, opts: pulumi.CustomResourceOptions): aws.wafv2.WebAcl {
    return new aws.wafv2.WebAcl(childName(spec.name, "waf"), {
        description: `Edge rules of ${spec.domainName}`,
        scope: "CLOUDFRONT",
        region: CLOUDFRONT_REGION,
        defaultAction: { allow: {} },
        rules: wafRules(spec),
        visibilityConfig: visibility(spec.name),
        tags,
    }, opts);
}
