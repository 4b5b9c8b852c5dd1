/**
 * What the estimate assumes about usage, and the stack's cost settings. Usage-based charges (load
 * balancer capacity units, NAT gigabytes, log ingestion, requests, build minutes, ...) cannot be
 * read from a plan: they come from the documented defaults below, which a stack overrides in its
 * config:
 *
 * ```yaml
 * scaling-toolkit:usage:
 *   defaults:                  # for every resource the key applies to
 *     natDataGbPerMonth: 200
 *   resources:                 # for one resource, by its name in the plan
 *     prod-network-flow-logs:
 *       logIngestionGbPerMonth: 30
 * scaling-toolkit:cost:
 *   maxMonthlyUsd: 2500        # the preview fails (exit 1) above this
 *   budgetAt: maximum          # compare the estimate at the autoscaling maximum (default) or minimum
 *   maxSnapshotAgeDays: 180    # warn when the price snapshot is older
 * ```
 *
 * Validated by a plain validator (the preview ships without zod); stacks/config.ts runs the same
 * validator so `pulumi up` rejects what the preview rejects.
 */

/** A usage assumption: its default and what it means (shown in the README and the output). */
export interface UsageKey {
    default: number;
    unit: string;
    description: string;
}

/** Every usage assumption the cost model reads, with its default. */
export const USAGE_KEYS = {
    albLcuPerHour: { default: 1, unit: "LCU", description: "average load balancer capacity units per hour, per Application Load Balancer" },
    natDataGbPerMonth: { default: 50, unit: "GB", description: "data processed per NAT gateway per month" },
    interfaceEndpointDataGbPerMonth: { default: 10, unit: "GB", description: "data processed per interface VPC endpoint per month" },
    logIngestionGbPerMonth: { default: 1, unit: "GB", description: "data ingested per CloudWatch log group per month (stored for its retention)" },
    s3StorageGbPerMonth: { default: 5, unit: "GB", description: "average S3 Standard storage per bucket" },
    ecrStorageGbPerMonth: { default: 5, unit: "GB", description: "average image storage per ECR repository" },
    kmsRequestsPerMonth: { default: 10000, unit: "requests", description: "symmetric API requests per KMS key per month" },
    secretsManagerApiCallsPerMonth: { default: 10000, unit: "requests", description: "API calls per Secrets Manager secret per month" },
    snsRequestsPerMonth: { default: 1000, unit: "requests", description: "API requests (publishes) per SNS topic per month" },
    codePipelineActionMinutesPerMonth: { default: 100, unit: "minutes", description: "action execution minutes per V2 pipeline per month" },
    codeBuildMinutesPerMonth: { default: 100, unit: "minutes", description: "build minutes per CodeBuild project per month" },
    lambdaRequestsPerMonth: { default: 100, unit: "requests", description: "invocations per Lambda function per month" },
    lambdaAverageDurationMs: { default: 1000, unit: "ms", description: "average duration of a Lambda invocation" },
    route53QueriesPerMonth: { default: 100000, unit: "queries", description: "standard DNS queries per Route 53 record per month" },
    rdsBackupGbBeyondFree: { default: 0, unit: "GB", description: "RDS backup storage beyond the free allocation (equal to the provisioned storage)" },
} satisfies Record<string, UsageKey>;

export type UsageKeyName = keyof typeof USAGE_KEYS;
export type UsageValues = Partial<Record<UsageKeyName, number>>;

export interface UsageConfig {
    defaults: UsageValues;
    resources: Record<string, UsageValues>;
}

export enum BudgetAt {
    Minimum = "minimum",
    Maximum = "maximum",
}

export interface CostSettings {
    /** Fail the preview when the stack's estimate is above this (USD per month). */
    maxMonthlyUsd?: number;
    /** Which end of the autoscaling range the budget compares. */
    budgetAt: BudgetAt;
    /** Warn when the price snapshot is older than this many days. */
    maxSnapshotAgeDays: number;
}

export const DEFAULT_MAX_SNAPSHOT_AGE_DAYS = 180;

/** A problem in the cost config: the key path and what is allowed. */
export interface ConfigIssue {
    path: (string | number)[];
    message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function validateValues(value: unknown, path: (string | number)[], issues: ConfigIssue[]): UsageValues {
    const out: UsageValues = {};
    if (!isObject(value)) {
        issues.push({ path, message: "a map of usage assumptions" });
        return out;
    }
    for (const [key, v] of Object.entries(value)) {
        if (!(key in USAGE_KEYS)) {
            issues.push({ path: [...path, key], message: `a known usage assumption: ${Object.keys(USAGE_KEYS).join(", ")}` });
        } else if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
            issues.push({ path: [...path, key], message: `a number of ${USAGE_KEYS[key as UsageKeyName].unit}, 0 or more` });
        } else {
            out[key as UsageKeyName] = v;
        }
    }
    return out;
}

/** Validates `scaling-toolkit:usage` (undefined: every default). */
export function validateUsage(value: unknown, issues: ConfigIssue[] = []): UsageConfig {
    const config: UsageConfig = { defaults: {}, resources: {} };
    if (value === undefined) {
        return config;
    }
    if (!isObject(value)) {
        issues.push({ path: ["usage"], message: "a map with \"defaults\" and/or \"resources\"" });
        return config;
    }
    for (const key of Object.keys(value)) {
        if (key !== "defaults" && key !== "resources") {
            issues.push({ path: ["usage", key], message: "\"defaults\" or \"resources\"" });
        }
    }
    if (value.defaults !== undefined) {
        config.defaults = validateValues(value.defaults, ["usage", "defaults"], issues);
    }
    if (value.resources !== undefined) {
        if (!isObject(value.resources)) {
            issues.push({ path: ["usage", "resources"], message: "a map from resource name to usage assumptions" });
        } else {
            for (const [name, values] of Object.entries(value.resources)) {
                config.resources[name] = validateValues(values, ["usage", "resources", name], issues);
            }
        }
    }
    return config;
}

/** Validates `scaling-toolkit:cost`. */
export function validateCostSettings(value: unknown, issues: ConfigIssue[] = []): CostSettings {
    const settings: CostSettings = { budgetAt: BudgetAt.Maximum, maxSnapshotAgeDays: DEFAULT_MAX_SNAPSHOT_AGE_DAYS };
    if (value === undefined) {
        return settings;
    }
    if (!isObject(value)) {
        issues.push({ path: ["cost"], message: "a map with maxMonthlyUsd, budgetAt, maxSnapshotAgeDays" });
        return settings;
    }
    for (const [key, v] of Object.entries(value)) {
        if (key === "maxMonthlyUsd") {
            if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
                issues.push({ path: ["cost", key], message: "a positive number of USD per month" });
            } else {
                settings.maxMonthlyUsd = v;
            }
        } else if (key === "budgetAt") {
            if (v !== BudgetAt.Minimum && v !== BudgetAt.Maximum) {
                issues.push({ path: ["cost", key], message: "\"minimum\" or \"maximum\" (the end of the autoscaling range the budget compares)" });
            } else {
                settings.budgetAt = v;
            }
        } else if (key === "maxSnapshotAgeDays") {
            if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
                issues.push({ path: ["cost", key], message: "a positive whole number of days" });
            } else {
                settings.maxSnapshotAgeDays = v;
            }
        } else {
            issues.push({ path: ["cost", key], message: "one of maxMonthlyUsd, budgetAt, maxSnapshotAgeDays" });
        }
    }
    return settings;
}

/** A bad `scaling-toolkit:usage` or `scaling-toolkit:cost`: reported in one line (exit 2). */
export class CostConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

/** "scaling-toolkit:usage.defaults.natDataGbPerMonth" */
export function describeConfigIssue(namespace: string, issue: ConfigIssue): string {
    const [top, ...rest] = issue.path;
    return `stack config "${namespace}:${String(top)}${rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("")}" is invalid; allowed: ${issue.message}`;
}
