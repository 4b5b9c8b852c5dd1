/**
 * Keys, secrets, storage, messaging, CI/CD and DNS: KMS keys (key-month and requests), Secrets
 * Manager secrets, S3 buckets and ECR repositories (storage), SNS topics (requests), CodePipeline
 * (V2 action minutes, V1 pipeline-month), CodeBuild (build minutes by compute type) and Route 53
 * (hosted zones and queries).
 */
import type { PlanResource } from "../../plan";
import { CostContext, fmt, Pricing, pricing } from "../model";
import { priceId } from "../priceBook";

export function kmsKey(key: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const requests = ctx.usage(key, "kmsRequestsPerMonth");
    if (key.inputs.enableKeyRotation === true) {
        notPriced.push("rotated key material (after the first rotation): not in the snapshot");
    }
    return pricing([
        ctx.line({ label: "customer-managed key", kind: "fixed", priceId: priceId("KMS", "customer-managed key"), quantity: 1, formula: "1 key-month" }, notPriced),
        ctx.line({ label: "symmetric requests (the free tier not applied)", kind: "usage", priceId: priceId("KMS", "symmetric API requests (beyond free tier)"), quantity: requests,
            assumption: "kmsRequestsPerMonth", formula: `${fmt(requests)} requests` }, notPriced),
    ], notPriced);
}

export function secret(s: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const calls = ctx.usage(s, "secretsManagerApiCallsPerMonth");
    return pricing([
        ctx.line({ label: "secret", kind: "fixed", priceId: priceId("Secrets Manager", "secret"), quantity: 1, formula: "1 secret-month" }, notPriced),
        ctx.line({ label: "API calls", kind: "usage", priceId: priceId("Secrets Manager", "API calls"), quantity: calls, assumption: "secretsManagerApiCallsPerMonth",
            formula: `${fmt(calls)} requests` }, notPriced),
    ], notPriced);
}

export function bucket(b: PlanResource, ctx: CostContext): Pricing {
    const notPriced = ["S3 requests and data transfer: not in the snapshot"];
    const gb = ctx.usage(b, "s3StorageGbPerMonth");
    return pricing([ctx.line({ label: "S3 Standard storage", kind: "usage", priceId: priceId("S3", "Standard storage, first 50 TB/month"), quantity: gb,
        assumption: "s3StorageGbPerMonth", formula: `${fmt(gb)} GB` }, notPriced)], notPriced);
}

export function ecrRepository(repo: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const gb = ctx.usage(repo, "ecrStorageGbPerMonth");
    return pricing([ctx.line({ label: "image storage", kind: "usage", priceId: priceId("ECR", "storage"), quantity: gb, assumption: "ecrStorageGbPerMonth",
        formula: `${fmt(gb)} GB` }, notPriced)], notPriced);
}

export function snsTopic(topic: PlanResource, ctx: CostContext): Pricing {
    const notPriced = ["notification deliveries (email, HTTP, SMS): not in the snapshot"];
    const requests = ctx.usage(topic, "snsRequestsPerMonth");
    return pricing([ctx.line({ label: "API requests (the 1M free not applied)", kind: "usage", priceId: priceId("SNS", "standard topic API requests (publish etc.)"), quantity: requests,
        assumption: "snsRequestsPerMonth", formula: `${fmt(requests)} requests` }, notPriced)], notPriced);
}

export function pipeline(p: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    if (p.inputs.pipelineType === "V2") {
        const minutes = ctx.usage(p, "codePipelineActionMinutesPerMonth");
        return pricing([ctx.line({ label: "V2 action execution minutes (the free minutes not applied)", kind: "usage", priceId: priceId("CodePipeline", "V2 action execution"),
            quantity: minutes, assumption: "codePipelineActionMinutesPerMonth", formula: `${fmt(minutes)} minutes` }, notPriced)], notPriced);
    }
    return pricing([ctx.line({ label: "V1 active pipeline", kind: "fixed", priceId: priceId("CodePipeline", "V1 active pipeline"), quantity: 1, formula: "1 pipeline-month" }, notPriced)], notPriced);
}

const COMPUTE: Record<string, Record<string, string>> = {
    LINUX_CONTAINER: { BUILD_GENERAL1_SMALL: "Linux x86 general1.small (on-demand EC2)", BUILD_GENERAL1_MEDIUM: "Linux x86 general1.medium (on-demand EC2)" },
    ARM_CONTAINER: { BUILD_GENERAL1_SMALL: "Linux ARM arm1.small (on-demand EC2)", BUILD_GENERAL1_MEDIUM: "Linux ARM arm1.medium (on-demand EC2)" },
};

export function codeBuildProject(project: PlanResource, ctx: CostContext): Pricing {
    const env = (project.inputs.environment as { type?: string; computeType?: string } | undefined) ?? {};
    const dimension = COMPUTE[env.type ?? ""]?.[env.computeType ?? ""];
    if (!dimension) {
        return { lines: [], notPriced: [`${env.type ?? "?"} ${env.computeType ?? "?"} builds: not in the snapshot`] };
    }
    const notPriced: string[] = [];
    const minutes = ctx.usage(project, "codeBuildMinutesPerMonth");
    return pricing([ctx.line({ label: `build minutes (${env.computeType}, ${env.type})`, kind: "usage", priceId: priceId("CodeBuild", dimension), quantity: minutes,
        assumption: "codeBuildMinutesPerMonth", formula: `${fmt(minutes)} minutes` }, notPriced)], notPriced);
}

export function hostedZone(_zone: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    return pricing([ctx.line({ label: "hosted zone (first 25 of the account)", kind: "fixed", priceId: priceId("Route 53", "hosted zone, first 25"), quantity: 1,
        formula: "1 hosted-zone-month" }, notPriced)], notPriced);
}

export function dnsRecord(record: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const queries = ctx.usage(record, "route53QueriesPerMonth");
    const alias = Array.isArray(record.inputs.aliases) && record.inputs.aliases.length > 0;
    return pricing([ctx.line({ label: alias ? "standard queries (alias to an AWS resource: priced as standard, an upper bound)" : "standard queries", kind: "usage",
        priceId: priceId("Route 53", "standard queries, first 1B/month"), quantity: queries, assumption: "route53QueriesPerMonth", formula: `${fmt(queries)} queries` }, notPriced)], notPriced);
}
