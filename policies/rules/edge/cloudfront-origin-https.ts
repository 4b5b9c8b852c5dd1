/** CloudFront speaks HTTPS with TLS 1.2 to custom and VPC origins. */
import { asList, Concern, resourceRule } from "../../rule";
import { DISTRIBUTION, VPC_ORIGIN } from "./types";

const WEAK = ["SSLv3", "TLSv1", "TLSv1.1"];

/** A distribution origin as the provider takes it (the parts this rule reads). */
interface Origin {
    originId?: string;
    customOriginConfig?: { originProtocolPolicy?: string; originSslProtocols?: string[] };
}

/** What is wrong with an origin's protocol settings. */
function originProblems(where: string, protocolPolicy: unknown, sslProtocols: unknown): string[] {
    const problems: string[] = [];
    if (protocolPolicy !== "https-only") {
        problems.push(`${where} has originProtocolPolicy ${JSON.stringify(protocolPolicy)}: CloudFront may reach the origin over plain HTTP; use "https-only"`);
    }
    const weak = (asList(sslProtocols as string[]) as string[]).filter((p) => WEAK.includes(p));
    if (weak.length > 0) {
        problems.push(`${where} allows ${weak.join(", ")} to the origin: allow TLSv1.2 only`);
    }
    return problems;
}

export const cloudfrontOriginHttps = resourceRule({
    name: "cloudfront-origin-https",
    description: "CloudFront reaches custom and VPC origins over HTTPS only, with TLS 1.2 only.",
    why: "Between the edge and the origin the request crosses the internet (or the VPC); http-only or match-viewer sends it in clear text, and SSLv3/TLS 1.0/1.1 are broken or deprecated.",
    remediationSteps: "Set customOriginConfig (or the VpcOrigin's vpcOriginEndpointConfig) originProtocolPolicy: \"https-only\" and originSslProtocols: [\"TLSv1.2\"] (an EdgeCache does this).",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "high",
    types: [DISTRIBUTION, VPC_ORIGIN],
    check: ({ type, props }, args) => {
        if (type === VPC_ORIGIN) {
            const c = props.vpcOriginEndpointConfig ?? {};
            return originProblems("vpcOriginEndpointConfig", c.originProtocolPolicy, c.originSslProtocols?.items);
        }
        const custom = (asList(props.origins) as Origin[]).filter((o) => o.customOriginConfig !== undefined);
        if (custom.length === 0) {
            args.notApplicable("no custom origins (S3 and VPC origins carry their protocol elsewhere)");
        }
        return custom.flatMap((o) => originProblems(`origin "${String(o.originId)}"`, o.customOriginConfig?.originProtocolPolicy, o.customOriginConfig?.originSslProtocols));
    },
});
