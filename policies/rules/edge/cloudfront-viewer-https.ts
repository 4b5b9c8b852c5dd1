/** Viewers reach a distribution over HTTPS only. */
import { asList, Concern, resourceRule } from "../../rule";
import { DISTRIBUTION } from "./types";

const HTTPS = ["redirect-to-https", "https-only"];

export const cloudfrontViewerHttps = resourceRule({
    name: "cloudfront-viewer-https",
    description: "Every cache behaviour of a CloudFront distribution redirects HTTP to HTTPS or serves HTTPS only.",
    why: "A behaviour with viewerProtocolPolicy allow-all serves its paths over plain HTTP: requests, cookies and tokens cross the internet in clear text between the viewer and the edge.",
    remediationSteps: "Set viewerProtocolPolicy: \"redirect-to-https\" (or \"https-only\") on defaultCacheBehavior and on every orderedCacheBehaviors entry (an EdgeCache does this).",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "high",
    types: [DISTRIBUTION],
    check: ({ props }) => {
        const behaviours = [
            { where: "defaultCacheBehavior", b: props.defaultCacheBehavior ?? {} },
            ...(asList(props.orderedCacheBehaviors) as Record<string, unknown>[]).map((b, i) => ({ where: `orderedCacheBehaviors[${i}] (${String(b.pathPattern)})`, b })),
        ];
        return behaviours.filter(({ b }) => !HTTPS.includes(String(b.viewerProtocolPolicy)))
            .map(({ where, b }) => `${where} has viewerProtocolPolicy ${JSON.stringify(b.viewerProtocolPolicy)}: viewers may use plain HTTP; use "redirect-to-https"`);
    },
});
