/** Production distributions have a WAF web ACL, and a CloudFront web ACL of the stack protects a distribution. */
import { Concern, isProduction, stackRule } from "../../rule";
import { DISTRIBUTION, WEB_ACL } from "./types";

export const cloudfrontWaf = stackRule({
    name: "cloudfront-waf",
    description: "Production CloudFront distributions have a WAF web ACL (webAclId), and every CLOUDFRONT-scope web ACL of the stack is attached to a distribution.",
    why: "The edge is the internet's way in: without a web ACL no rate limit or managed rule stops floods, scanners and known exploits before they reach the origin; an ACL configured but not attached protects nothing.",
    remediationSteps: "Create an aws.wafv2.WebAcl with scope \"CLOUDFRONT\" in us-east-1 (AWS managed rule groups and a rate-based rule) and set the distribution's webAclId to its ARN (an EdgeCache does this unless waf.enabled is false).",
    concern: Concern.LeastPrivilege,
    enforcementLevel: "advisory",
    severity: "medium",
    types: [DISTRIBUTION, WEB_ACL],
    check: (stack, _args, report) => {
        const distributions = stack.ofType(DISTRIBUTION);
        for (const d of distributions.filter((r) => isProduction(r.props))) {
            if (!d.props.webAclId && stack.referencedBy(d, "webAclId", [WEB_ACL]).length === 0) {
                report(d.urn, `production distribution "${d.name}" has no WAF web ACL (webAclId is unset)`);
            }
        }
        for (const acl of stack.ofType(WEB_ACL).filter((a) => a.props.scope === "CLOUDFRONT")) {
            if (!distributions.some((d) => stack.referencedBy(d, "webAclId", [WEB_ACL], "arn").some((a) => a.urn === acl.urn))) {
                report(acl.urn, `web ACL "${acl.name}" (scope CLOUDFRONT) is attached to no distribution of the stack: it protects nothing`);
            }
        }
    },
});
