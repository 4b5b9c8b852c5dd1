/**
 * The data-loss guard: replacing or deleting a resource that holds data deletes that data. In
 * production (the policy pack's `production` setting, or the resource tagged `Production: "true"`)
 * such a finding is mandatory (it fails the preview) unless a waiver with a written reason covers it;
 * elsewhere it is advisory. Waivers use the policy pack's conventions (rule `data-loss`): policy config
 * `waivers: [{ rule: "data-loss", name | urn, reason }]`, the tag `scaling-toolkit:waive:data-loss`, or
 * the Kubernetes annotation `scaling-toolkit.io/waive.data-loss`.
 */
import { resolveConfig, type PolicyConfig } from "../../policies/evaluate";
import { isProduction } from "../../policies/rule";
import { ALL_RULES } from "../../policies/rules";
import { DEFAULT_SETTINGS, findWaiver, PackSettings, withSettings } from "../../policies/settings";
import type { PlanResource } from "../plan";
import type { ReplaceReason } from "./replacement";

/** The rule name a waiver names. */
export const DATA_LOSS_RULE = "data-loss";

/** Types that hold data, and what is lost with them. */
export const STATEFUL_TYPES: Record<string, string> = {
    "aws:rds/instance:Instance": "the database and its automated backups (a final snapshot only if configured)",
    "aws:rds/cluster:Cluster": "the cluster's databases and automated backups",
    "aws:elasticache/replicationGroup:ReplicationGroup": "the cached data (a final snapshot only if configured)",
    "aws:elasticache/cluster:Cluster": "the cached data",
    "aws:s3/bucket:Bucket": "every object in the bucket",
    "aws:s3/bucketV2:BucketV2": "every object in the bucket",
    "aws:secretsmanager/secret:Secret": "the secret's values (recoverable only within its recovery window)",
    "aws:kms/key:Key": "the key: data encrypted with it becomes unreadable once the deletion window ends",
    "aws:ecr/repository:Repository": "every image in the repository",
    "aws:cloudwatch/logGroup:LogGroup": "every log event in the group",
    "aws:ebs/volume:Volume": "the volume's data (a snapshot only if final_snapshot is set)",
    "aws:dynamodb/table:Table": "every item in the table",
    "aws:efs/fileSystem:FileSystem": "every file in the file system",
    "kubernetes:core/v1:PersistentVolumeClaim": "the volume's data, when its reclaim policy is Delete",
};

export interface DataLossFinding {
    urn: string;
    type: string;
    name: string;
    op: "replace" | "delete";
    /** What is lost. */
    loses: string;
    /** Mandatory (fails the preview) in production unless waived; advisory elsewhere, or when retained. */
    level: "mandatory" | "advisory";
    production: boolean;
    /** The properties forcing a replacement. */
    reasons: ReplaceReason[];
    protect?: boolean;
    retainOnDelete?: boolean;
    waived?: { reason: string; source: string };
    /** A waiver whose reason is too short to count. */
    invalidWaiver?: string;
    message: string;
}

/** The pack settings (production, waivers) from policy config, as the policy pack reads them. */
export function packSettingsFrom(config: PolicyConfig | undefined): PackSettings {
    return config ? resolveConfig(config, ALL_RULES).settings : DEFAULT_SETTINGS;
}

/** A data-loss finding for a resource being replaced or deleted, or undefined when it holds no data. */
export function dataLossOf(resource: PlanResource, op: "replace" | "delete", reasons: ReplaceReason[], settings: PackSettings): DataLossFinding | undefined {
    const loses = STATEFUL_TYPES[resource.type];
    if (!loses || !resource.custom) {
        return undefined;
    }
    const production = withSettings(settings, () => isProduction(resource.inputs));
    const waiver = findWaiver(DATA_LOSS_RULE, { urn: resource.urn, name: resource.name, props: resource.inputs }, settings);
    const retained = resource.retainOnDelete === true;
    const level = production && !retained && !waiver?.valid ? "mandatory" : "advisory";
    const why = op === "replace"
        ? `replaced (${reasons.map((r) => r.property).join(", ")} forces it): the new one starts empty and the old one is deleted with ${loses}`
        : `deleted, with ${loses}`;
    const notes = [
        retained ? "retainOnDelete is set: the old resource is left in the account with its data, no longer managed" : "",
        resource.protect ? "protect is set: pulumi up will refuse until protect is removed" : "",
        waiver?.valid ? `waived (${waiver.source}): ${waiver.reason}` : waiver?.expired ? `waiver ignored: it expired on ${waiver.expires}` : waiver ? `waiver ignored: its reason "${waiver.reason}" is shorter than 10 characters, or its date cannot be read` : "",
    ].filter(Boolean);
    return {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        op,
        loses,
        level,
        production,
        reasons,
        ...(resource.protect ? { protect: true } : {}),
        ...(retained ? { retainOnDelete: true } : {}),
        ...(waiver?.valid ? { waived: { reason: waiver.reason, source: waiver.source } } : {}),
        ...(waiver && !waiver.valid ? { invalidWaiver: waiver.reason } : {}),
        message: `${resource.name} would be ${why}${notes.length ? `; ${notes.join("; ")}` : ""}`,
    };
}

/** Findings that fail the preview. */
export function blockingDataLoss(findings: DataLossFinding[]): DataLossFinding[] {
    return findings.filter((f) => f.level === "mandatory");
}
