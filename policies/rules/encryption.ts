/** Encryption at rest: databases, caches, buckets, registries, build artifacts, logs and topics. */
import { asList, Concern, resourceRule, stackRule } from "../rule";
import { BUCKET_TYPES } from "./tls";
import facts from "../facts.generated.json";

/** The algorithms S3 accepts for default encryption (facts.generated.json, from the @pulumi/aws types). */
export const SSE_ALGORITHMS: readonly string[] = facts.s3SseAlgorithms.values;

export const SSE_CONFIGURATION_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];

export const rdsStorageEncrypted = resourceRule({
    name: "rds-storage-encrypted",
    description: "RDS instances and clusters encrypt their storage.",
    why: "Unencrypted storage exposes data, automated backups and snapshots to anyone who obtains a copy; encryption cannot be turned on later without a restore.",
    remediationSteps: "Set storageEncrypted: true (and kmsKeyId for a customer-managed key).",
    concern: Concern.Encryption,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    check: ({ props }) => {
        if (props.replicateSourceDb !== undefined) {
            return []; // a read replica is encrypted exactly when its source is
        }
        return props.storageEncrypted === true ? [] : ["storageEncrypted is not true"];
    },
});

export const elasticacheAtRestEncryption = resourceRule({
    name: "elasticache-at-rest-encryption",
    description: "ElastiCache replication groups encrypt data at rest.",
    why: "Without it, data swapped to disk and backups (snapshots) are stored unencrypted.",
    remediationSteps: "Set atRestEncryptionEnabled: true (and kmsKeyId for a customer-managed key).",
    concern: Concern.Encryption,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check: ({ props }) => props.atRestEncryptionEnabled === true ? [] : ["atRestEncryptionEnabled is not true"],
});

export const s3DefaultEncryption = stackRule({
    name: "s3-default-encryption",
    description: "Every S3 bucket declares default server-side encryption with an algorithm S3 accepts (AES256, aws:kms, aws:kms:dsse).",
    why: "Declaring the encryption makes the choice (and any customer key) explicit and reviewable instead of depending on account defaults.",
    remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with applyServerSideEncryptionByDefault.sseAlgorithm \"aws:kms\", \"aws:kms:dsse\" or \"AES256\" (the values S3 accepts).",
    concern: Concern.Encryption,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: BUCKET_TYPES,
    check: (stack, _args, report) => {
        for (const bucket of stack.ofType(...BUCKET_TYPES)) {
            const inline = bucket.props.serverSideEncryptionConfiguration?.rule?.applyServerSideEncryptionByDefault?.sseAlgorithm;
            const separate = stack.referencing(bucket, SSE_CONFIGURATION_TYPES, "bucket", "bucket")
                .flatMap((c) => asList(c.props.rules) as Record<string, Record<string, unknown>>[])
                .map((r) => r.applyServerSideEncryptionByDefault?.sseAlgorithm);
            const declared = [inline, ...separate].filter((a) => a !== undefined && a !== null && a !== "");
            if (declared.length === 0) {
                report(bucket.urn, `bucket "${bucket.name}" declares no default encryption`);
            }
            for (const algorithm of declared.filter((a) => !SSE_ALGORITHMS.includes(a as string))) {
                report(bucket.urn, `bucket "${bucket.name}": default encryption algorithm ${JSON.stringify(algorithm)} is not one S3 accepts (${SSE_ALGORITHMS.join(", ")})`);
            }
        }
    },
});

export const ecrEncryption = resourceRule({
    name: "ecr-encryption",
    description: "ECR repositories declare their encryption at rest (KMS or AES256).",
    why: "Images carry code and often configuration; declaring the encryption keeps the choice, and any customer key, explicit.",
    remediationSteps: "Set encryptionConfigurations: [{ encryptionType: \"KMS\" }] (with kmsKey for a customer key) or [{ encryptionType: \"AES256\" }].",
    concern: Concern.Encryption,
    enforcementLevel: "mandatory",
    severity: "low",
    types: ["aws:ecr/repository:Repository"],
    check: ({ props }) => {
        const types = (asList(props.encryptionConfigurations) as Record<string, unknown>[]).map((c) => c.encryptionType);
        return types.some((t) => t === "KMS" || t === "AES256") ? [] : ["no encryptionConfigurations with encryptionType KMS or AES256"];
    },
});

export const codebuildArtifactEncryption = resourceRule({
    name: "codebuild-artifact-encryption",
    description: "CodeBuild projects keep artifact and S3 log encryption on.",
    why: "Build artifacts are what gets deployed and build logs often contain secrets; turning encryption off stores them in clear.",
    remediationSteps: "Remove encryptionDisabled: true from artifacts, secondaryArtifacts and logsConfig.s3Logs; set encryptionKey for a customer key.",
    concern: Concern.Encryption,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:codebuild/project:Project"],
    check: ({ props }) => {
        const problems: string[] = [];
        if (props.artifacts?.encryptionDisabled === true) {
            problems.push("artifacts.encryptionDisabled is true");
        }
        (asList(props.secondaryArtifacts) as Record<string, unknown>[]).forEach((a, i) => {
            if (a.encryptionDisabled === true) {
                problems.push(`secondaryArtifacts[${i}].encryptionDisabled is true`);
            }
        });
        if (props.logsConfig?.s3Logs?.encryptionDisabled === true) {
            problems.push("logsConfig.s3Logs.encryptionDisabled is true");
        }
        return problems;
    },
});

export const logGroupKms = resourceRule({
    name: "log-group-kms",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    why: "Logs are encrypted by CloudWatch anyway; a customer key adds an audit trail and a way to revoke access to the data.",
    remediationSteps: "Pass kmsKeyId (for a Network: flowLogKmsKeyArn) with a key whose policy lets logs.<region>.amazonaws.com use it.",
    concern: Concern.Encryption,
    enforcementLevel: "advisory",
    severity: "low",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: ({ props }) => props.kmsKeyId ? [] : ["no kmsKeyId: the log group uses CloudWatch's own key"],
});

export const snsTopicKms = resourceRule({
    name: "sns-topic-kms",
    description: "SNS topics are encrypted with KMS.",
    why: "Notifications can carry resource names and error details; server-side encryption keeps them encrypted at rest.",
    remediationSteps: "Set kmsMasterKeyId (\"alias/aws/sns\" or a customer key).",
    concern: Concern.Encryption,
    enforcementLevel: "advisory",
    severity: "low",
    types: ["aws:sns/topic:Topic"],
    check: ({ props }) => props.kmsMasterKeyId ? [] : ["no kmsMasterKeyId"],
});

export const kmsKeyRotation = resourceRule({
    name: "kms-key-rotation",
    description: "Symmetric customer-managed KMS keys rotate their key material automatically.",
    why: "Rotation limits how much data one key version protects and how long a leaked or mishandled version stays useful; AWS rotates at no extra cost and old data stays readable.",
    remediationSteps: "Set enableKeyRotation: true (and rotationPeriodInDays if a year is too long).",
    concern: Concern.Encryption,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:kms/key:Key"],
    check: ({ props }, args) => {
        const spec = props.customerMasterKeySpec ?? props.keySpec;
        if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") {
            args.notApplicable(`KMS rotates only symmetric encryption keys; this key is ${spec}`);
        }
        return props.enableKeyRotation === true ? [] : ["enableKeyRotation is not true"];
    },
});

export const ebsEncryption = resourceRule({
    name: "ebs-encryption",
    description: "EBS volumes, instance block devices and launch-template block devices are encrypted.",
    why: "An unencrypted volume, and every snapshot of it, can be read by anyone who can copy or share the snapshot.",
    remediationSteps: "Set encrypted: true (volumes, rootBlockDevice, ebsBlockDevices, launch template blockDeviceMappings[].ebs), with kmsKeyId for a customer key; also turn on aws.ebs.EncryptionByDefault for the account.",
    concern: Concern.Encryption,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:ebs/volume:Volume", "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"],
    check: ({ type, props }) => {
        const on = (v: unknown) => v === true || v === "true";
        if (type === "aws:ebs/volume:Volume") {
            return on(props.encrypted) ? [] : ["encrypted is not true"];
        }
        if (type === "aws:ec2/instance:Instance") {
            return [
                ...(on(props.rootBlockDevice?.encrypted) ? [] : ["rootBlockDevice.encrypted is not true"]),
                ...(asList(props.ebsBlockDevices) as Record<string, unknown>[]).flatMap((d, i) => on(d.encrypted) ? [] : [`ebsBlockDevices[${i}] (${d.deviceName}) is not encrypted`]),
            ];
        }
        return (asList(props.blockDeviceMappings) as Record<string, Record<string, unknown> | undefined>[])
            .flatMap((m, i) => m.ebs === undefined || on(m.ebs.encrypted) ? [] : [`blockDeviceMappings[${i}] (${m.deviceName}) is not encrypted`]);
    },
});

export const sqsEncryption = resourceRule({
    name: "sqs-encryption",
    description: "SQS queues declare server-side encryption (SSE-SQS or SSE-KMS).",
    why: "Messages often carry customer data and tokens; declaring the encryption keeps it, and any customer key, explicit and reviewable.",
    remediationSteps: "Set kmsMasterKeyId (a customer key, or \"alias/aws/sqs\") or sqsManagedSseEnabled: true.",
    concern: Concern.Encryption,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:sqs/queue:Queue"],
    check: ({ props }) => props.kmsMasterKeyId || props.sqsManagedSseEnabled === true ? [] : ["neither kmsMasterKeyId nor sqsManagedSseEnabled: true is set"],
});

export const ENCRYPTION_RULES = [
    rdsStorageEncrypted, elasticacheAtRestEncryption, s3DefaultEncryption, ecrEncryption, codebuildArtifactEncryption, logGroupKms, snsTopicKms,
    kmsKeyRotation, ebsEncryption, sqsEncryption,
];
