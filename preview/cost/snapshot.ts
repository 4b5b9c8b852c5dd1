/**
 * The shape of the price snapshot (prices.json) and how its ids are made: shared by the generator
 * (scripts/prices-snapshot.ts) and the cost model, so both name a price the same way.
 */

export interface SnapshotPrice {
    /** priceId(service, dimension) */
    id: string;
    service: string;
    dimension: string;
    region: string;
    unit: string;
    usd: number;
    /** `owner/repo@commit:path`, a page title with its address, or the AWS Price List API query. */
    source: string;
    /** The date the source states, or "undated". */
    asOf: string;
    sku?: string;
    /** Facts that are not prices (e.g. an instance class's vCPU count), as the Price List API states them. */
    attributes?: Record<string, string>;
}

export interface NoChargeEntry {
    types: string[];
    statement: string;
    source: string;
    sourceKind: "aws" | "transcription" | "third-party";
    asOf: string;
}

export interface PriceSnapshot {
    /** How the file was made; never edit it by hand. */
    generatedBy: string;
    /** The newest of the date the data was assembled and its entries' dates. */
    snapshotDate: string;
    /** sha256 of the aws-prices.json it was generated from. */
    sourceSha256: string;
    regions: string[];
    prices: SnapshotPrice[];
    noCharge: NoChargeEntry[];
}

/** A stable id from service and dimension: "ECS Fargate" + "Linux/x86_64 vCPU" -> "ecs-fargate/linux-x86-64-vcpu". */
export function priceId(service: string, dimension: string): string {
    const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9.]+/g, "-").replace(/^-+|-+$/g, "");
    return `${slug(service)}/${slug(dimension)}`;
}
