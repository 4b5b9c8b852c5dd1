/** Viewers negotiate TLS 1.2 or newer with a distribution. */
import { Concern, resourceRule } from "../../rule";
import { DISTRIBUTION } from "./types";

/**
 * CloudFront security policies that accept TLS 1.2 or newer with forward-secret ciphers only:
 * TLSv1.2_2021 and the later 1.2 and 1.3 policies (TLSv1.2_2018 and TLSv1.2_2019 still offer
 * CBC and non-forward-secret ciphers; CloudFront Developer Guide, "Supported protocols and ciphers
 * between viewers and CloudFront").
 */
export const MODERN_VIEWER_POLICY = /^TLSv1\.2_20(2[1-9]|[3-9]\d)$|^TLSv1\.3_20\d\d$/;

export const cloudfrontViewerTls = resourceRule({
    name: "cloudfront-viewer-tls",
    description: "CloudFront distributions use their own certificate with a minimum viewer protocol of TLSv1.2_2021 or newer.",
    why: "The default *.cloudfront.net certificate and the older security policies let viewers negotiate TLS 1.0/1.1 or ciphers without forward secrecy.",
    remediationSteps: "Set viewerCertificate: { acmCertificateArn (a us-east-1 certificate), sslSupportMethod: \"sni-only\", minimumProtocolVersion: \"TLSv1.2_2021\" } (an EdgeCache does this).",
    concern: Concern.Tls,
    enforcementLevel: "mandatory",
    severity: "high",
    types: [DISTRIBUTION],
    check: ({ props }) => {
        const cert = props.viewerCertificate ?? {};
        if (cert.cloudfrontDefaultCertificate === true) {
            return ["viewerCertificate uses the default *.cloudfront.net certificate, whose minimum protocol is TLSv1: use an ACM certificate with minimumProtocolVersion TLSv1.2_2021"];
        }
        const policy = cert.minimumProtocolVersion;
        return typeof policy === "string" && MODERN_VIEWER_POLICY.test(policy) ? []
            : [`viewerCertificate.minimumProtocolVersion is ${policy === undefined ? "unset (CloudFront's default is TLSv1)" : JSON.stringify(policy)}: use TLSv1.2_2021 or newer`];
    },
});
