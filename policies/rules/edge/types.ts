/** The CloudFront and WAF type tokens the edge rules look at. */
export const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
export const VPC_ORIGIN = "aws:cloudfront/vpcOrigin:VpcOrigin";
export const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
export const LOG_DELIVERY_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource";
export const LOG_DELIVERY = "aws:cloudwatch/logDelivery:LogDelivery";
