/**
 * The viewer certificate (ACM, in us-east-1: the only region CloudFront takes certificates from),
 * validated by DNS in the caller's hosted zone, and the alias records pointing the domain at the
 * distribution.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, CLOUDFRONT_REGION } from "../common/naming";

/** A DNS-validated certificate for `domainName` in us-east-1; returns the validated ARN. */
export function viewerCertificate(
    name: string,
    domainName: string,
    hostedZoneId: pulumi.Input<string>,
    tags: Record<string, string>,
    opts: pulumi.CustomResourceOptions,
): pulumi.Output<string> {
    const cert = new aws.acm.Certificate(childName(name, "cert"), {
        domainName,
        validationMethod: "DNS",
        region: CLOUDFRONT_REGION,
        tags,
    }, opts);
    const option = cert.domainValidationOptions[0];
    const record = new aws.route53.Record(childName(name, "cert-validation"), {
        zoneId: hostedZoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
    }, opts);
    const validation = new aws.acm.CertificateValidation(childName(name, "cert"), {
        certificateArn: cert.arn,
        validationRecordFqdns: [record.fqdn],
        region: CLOUDFRONT_REGION,
    }, opts);
    return validation.certificateArn;
}

/** A and AAAA alias records for `domainName` pointing at the distribution. */
export function aliasRecords(
    name: string,
    domainName: string,
    hostedZoneId: pulumi.Input<string>,
    distribution: aws.cloudfront.Distribution,
    opts: pulumi.CustomResourceOptions,
): aws.route53.Record[] {
    return (["A", "AAAA"] as const).map((type) => new aws.route53.Record(childName(name, `alias-${type.toLowerCase()}`), {
        zoneId: hostedZoneId,
        name: domainName,
        type,
        aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }],
    }, opts));
}
