import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsContext } from "./context";
import { AwsServiceSpec } from "./spec";

/** The HTTPS listener's certificate: the caller's, or a DNS-validated one for the domain. */
export function certificate(ctx: AwsContext, spec: AwsServiceSpec): pulumi.Input<string> {
    if (spec.certificateArn !== undefined) {
        return spec.certificateArn;
    }
    const cert = new aws.acm.Certificate(ctx.child("cert"), {
        domainName: spec.domainName,
        validationMethod: "DNS",
        keyAlgorithm: "EC_prime256v1",
        tags: ctx.tags,
    }, ctx.kit.opts({ deleteBeforeReplace: false }));
    const dvo = cert.domainValidationOptions[0];
    const validationRecord = new aws.route53.Record(ctx.child("cert-validation"), {
        zoneId: spec.hostedZoneId!,
        name: dvo.resourceRecordName,
        type: dvo.resourceRecordType,
        records: [dvo.resourceRecordValue],
        ttl: 60,
        allowOverwrite: true,
    }, ctx.kit.childOpts);
    const validation = new aws.acm.CertificateValidation(ctx.child("cert"), {
        certificateArn: cert.arn,
        validationRecordFqdns: [validationRecord.fqdn],
    }, ctx.kit.childOpts);
    return validation.certificateArn;
}
