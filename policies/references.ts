/**
 * The Checkov and cdk-nag checks each rule corresponds to (the same concern on the same kind of
 * resource; ours may be stricter), looked up in their sources: bridgecrewio/checkov
 * (checkov/terraform/checks/resource/aws/*.py, checkov/terraform/checks/data/aws/*.py,
 * checkov/kubernetes/checks/resource/k8s/*.py and the
 * graph checks under checkov/terraform/checks/graph_checks/aws/) and cdklabs/cdk-nag (RULES.md and
 * src/rules/<service>/*.ts): Checkov at commit 03d5fdad8d61 (2026-08-20), cdk-nag at ca6d1b54e1cf
 * (2026-06-29). cdk-nag ids are its AwsSolutions pack's (`AwsSolutions-XX`) or, where that pack has
 * no such rule, the rule's own name as its NIST 800-53, HIPAA and PCI packs use it. An empty list:
 * that tool has no such check.
 */
export interface RuleReferences {
    checkov: string[];
    cdkNag: string[];
}

export const REFERENCES: Record<string, RuleReferences> = {
    "lb-listener-tls": { checkov: ["CKV_AWS_2", "CKV_AWS_103", "CKV_AWS_376", "CKV2_AWS_20"], cdkNag: ["ELBTlsHttpsListenersOnly", "ALBHttpToHttpsRedirection"] },
    "elasticache-transit-encryption": { checkov: ["CKV_AWS_30", "CKV_AWS_31"], cdkNag: ["AwsSolutions-AEC3", "AwsSolutions-AEC6"] },
    "rds-force-ssl": { checkov: ["CKV2_AWS_69"], cdkNag: [] },
    "s3-tls-only": { checkov: ["CKV_AWS_379"], cdkNag: ["AwsSolutions-S10"] },
    "rds-storage-encrypted": { checkov: ["CKV_AWS_16"], cdkNag: ["AwsSolutions-RDS2"] },
    "elasticache-at-rest-encryption": { checkov: ["CKV_AWS_29"], cdkNag: ["AwsSolutions-AEC3"] },
    "s3-default-encryption": { checkov: ["CKV_AWS_19", "CKV_AWS_145"], cdkNag: ["S3DefaultEncryptionKMS"] },
    "ecr-encryption": { checkov: ["CKV_AWS_136"], cdkNag: [] },
    "codebuild-artifact-encryption": { checkov: ["CKV_AWS_78", "CKV_AWS_311"], cdkNag: ["AwsSolutions-CB4"] },
    "log-group-kms": { checkov: ["CKV_AWS_158"], cdkNag: ["CloudWatchLogGroupEncrypted"] },
    "sns-topic-kms": { checkov: ["CKV_AWS_26"], cdkNag: ["SNSEncryptedKMS"] },
    "kms-key-rotation": { checkov: ["CKV_AWS_7"], cdkNag: ["AwsSolutions-KMS5"] },
    "ebs-encryption": { checkov: ["CKV_AWS_3", "CKV_AWS_8"], cdkNag: ["AwsSolutions-EC26"] },
    "sqs-encryption": { checkov: ["CKV_AWS_27"], cdkNag: ["AwsSolutions-SQS2"] },
    "iam-no-wildcard-actions": { checkov: ["CKV_AWS_62", "CKV_AWS_63"], cdkNag: ["AwsSolutions-IAM5"] },
    "iam-no-wildcard-resources": { checkov: ["CKV_AWS_355"], cdkNag: ["AwsSolutions-IAM5"] },
    "iam-no-admin-policies": { checkov: ["CKV_AWS_274", "CKV2_AWS_56"], cdkNag: ["AwsSolutions-IAM4"] },
    "iam-no-wildcard-trust": { checkov: ["CKV_AWS_60"], cdkNag: [] },
    "security-group-open-ingress": { checkov: ["CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277"], cdkNag: ["AwsSolutions-EC23"] },
    "security-group-unrestricted-egress": { checkov: ["CKV_AWS_382"], cdkNag: [] },
    "datastore-not-public": { checkov: ["CKV_AWS_17", "CKV_AWS_323"], cdkNag: ["RDSInstancePublicAccess", "AwsSolutions-AEC1"] },
    "s3-public-access-block": { checkov: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"], cdkNag: ["AwsSolutions-S2"] },
    "eks-public-endpoint": { checkov: ["CKV_AWS_38", "CKV_AWS_39"], cdkNag: ["AwsSolutions-EKS1"] },
    "iam-trust-account-condition": { checkov: ["CKV_AWS_61"], cdkNag: [] },
    "iam-github-oidc-sub": { checkov: ["CKV_AWS_358", "CKV_AWS_393"], cdkNag: [] },
    "iam-privilege-escalation": { checkov: ["CKV_AWS_286", "CKV_AWS_287"], cdkNag: [] },
    "resource-policy-public": { checkov: ["CKV_AWS_70", "CKV_AWS_168", "CKV_AWS_169", "CKV_AWS_32", "CKV_AWS_33"], cdkNag: ["AwsSolutions-ECR1"] },
    "iam-aws-managed-policies": { checkov: [], cdkNag: ["AwsSolutions-IAM4"] },
    "k8s-pod-security-restricted": { checkov: ["CKV_K8S_16", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19", "CKV_K8S_20", "CKV_K8S_23", "CKV_K8S_26", "CKV_K8S_28", "CKV_K8S_31", "CKV_K8S_37"], cdkNag: [] },
    "k8s-read-only-root-filesystem": { checkov: ["CKV_K8S_22"], cdkNag: [] },
    "k8s-resource-limits": { checkov: ["CKV_K8S_11", "CKV_K8S_13"], cdkNag: [] },
    "k8s-rbac-no-wildcards": { checkov: ["CKV_K8S_49"], cdkNag: [] },
    "k8s-rbac-escalation": { checkov: ["CKV_K8S_157", "CKV_K8S_158"], cdkNag: [] },
    "k8s-automount-sa-token": { checkov: ["CKV_K8S_38"], cdkNag: [] },
    "k8s-default-service-account": { checkov: ["CKV_K8S_41", "CKV_K8S_42"], cdkNag: [] },
    "k8s-resource-requests": { checkov: ["CKV_K8S_10", "CKV_K8S_12"], cdkNag: [] },
    "rds-deletion-protection": { checkov: ["CKV_AWS_139", "CKV_AWS_293"], cdkNag: ["AwsSolutions-RDS10"] },
    "rds-backup-retention": { checkov: ["CKV_AWS_133"], cdkNag: ["AwsSolutions-RDS13"] },
    "elasticache-snapshot-retention": { checkov: ["CKV_AWS_134"], cdkNag: ["ElastiCacheRedisClusterAutomaticBackup"] },
    "s3-versioning": { checkov: ["CKV_AWS_21"], cdkNag: ["S3BucketVersioningEnabled"] },
    "lb-access-logs": { checkov: ["CKV_AWS_91"], cdkNag: ["AwsSolutions-ELB2"] },
    "s3-access-logs": { checkov: ["CKV_AWS_18"], cdkNag: ["AwsSolutions-S1"] },
    "secret-rotation": { checkov: ["CKV2_AWS_57", "CKV_AWS_304"], cdkNag: ["AwsSolutions-SMG4"] },
    "plaintext-secrets-env": { checkov: [], cdkNag: ["AwsSolutions-ECS2"] },
    "image-tag-pinned": { checkov: ["CKV_K8S_14"], cdkNag: [] },
    "image-digest-production": { checkov: ["CKV_K8S_43"], cdkNag: [] },
    "lambda-deprecated-runtime": { checkov: ["CKV_AWS_363"], cdkNag: ["AwsSolutions-L1"] },
    // Edge rules: Checkov CloudfrontDistributionEncryption.py (CKV_AWS_34) @1cc2823576601, CloudfrontTLS12.py (CKV_AWS_174)
    // @04a1b6070947, CloudfrontDistributionLogging.py (CKV_AWS_86) @1e481cbd1abe, WAFEnabled.py (CKV_AWS_68); cdk-nag AwsSolutions-CFR2..CFR5.
    "cloudfront-viewer-https": { checkov: ["CKV_AWS_34"], cdkNag: [] },
    "cloudfront-viewer-tls": { checkov: ["CKV_AWS_174"], cdkNag: ["AwsSolutions-CFR4"] },
    "cloudfront-origin-https": { checkov: [], cdkNag: ["AwsSolutions-CFR5"] },
    "cloudfront-access-logs": { checkov: ["CKV_AWS_86"], cdkNag: ["AwsSolutions-CFR3"] },
    "cloudfront-waf": { checkov: ["CKV_AWS_68"], cdkNag: ["AwsSolutions-CFR2"] },
};

/** The references of a rule (empty lists when none are recorded). */
export function referencesOf(rule: string): RuleReferences {
    return REFERENCES[rule] ?? { checkov: [], cdkNag: [] };
}
