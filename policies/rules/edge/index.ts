/** The edge rules: CloudFront distributions, their origins, logs and WAF (one rule per file). */
import { cloudfrontAccessLogs } from "./cloudfront-access-logs";
import { cloudfrontOriginHttps } from "./cloudfront-origin-https";
import { cloudfrontViewerHttps } from "./cloudfront-viewer-https";
import { cloudfrontViewerTls } from "./cloudfront-viewer-tls";
import { cloudfrontWaf } from "./cloudfront-waf";

export { cloudfrontAccessLogs, cloudfrontOriginHttps, cloudfrontViewerHttps, cloudfrontViewerTls, cloudfrontWaf };

export const EDGE_RULES = [cloudfrontViewerHttps, cloudfrontViewerTls, cloudfrontOriginHttps, cloudfrontAccessLogs, cloudfrontWaf];
