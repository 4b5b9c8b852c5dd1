/**
 * `npm run prices:update`: refreshes scripts/sources/pricing/aws-prices.json from the AWS Price
 * List API (GetProducts, through the official `@aws-sdk/client-pricing`) for a user with AWS
 * credentials, then regenerates preview/cost/prices.json. The preview itself never calls AWS.
 *
 * Each query below names the snapshot entry it refreshes (service + dimension, as in
 * aws-prices.json) and the product filters that select exactly one on-demand price per region.
 * An answer replaces that entry's price, SKU and date, and records its source as the API query
 * (and, for RDS instances, the vCPU count the proxy is priced by). Entries no query covers keep
 * their recorded source; a query with no single answer leaves its entry unchanged and is reported.
 *
 * The response shape (GetProducts returns `PriceList`, a list of JSON strings, each a product with
 * its `product.attributes`, `product.sku`, `terms.OnDemand[...].priceDimensions[...].pricePerUnit.USD`
 * and `publicationDate`) is the one @aws-sdk/client-pricing types (dist-types/models/models_0.d.ts,
 * GetProductsResponse) and AWS's "Reading the service price list file" page describes; the tests
 * drive this script with recorded responses of that shape through a custom requestHandler.
 */
import * as fs from "fs";
import { GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { buildSnapshot, PRICES_SOURCE, renderSnapshot, SNAPSHOT_FILE, SNAPSHOT_REGIONS, SourcePrice } from "./prices-snapshot";

/** AWS's usage-type prefix of each snapshot region (the prefix of `usagetype` attributes). */
const USAGE_PREFIX: Record<string, string> = { "us-east-1": "USE1", "eu-west-1": "EU", "us-west-2": "USW2", "eu-central-1": "EUC1" };

export interface PriceQuery {
    /** The aws-prices.json entry it refreshes. */
    service: string;
    dimension: string;
    serviceCode: string;
    /** TERM_MATCH filters besides the region (`regionCode`). */
    filters: (region: string) => Record<string, string>;
    /** Product attributes to keep on the entry (e.g. vcpu). */
    keep?: string[];
}

const fargate = (dimension: string, usage: string): PriceQuery => ({
    service: "ECS Fargate", dimension, serviceCode: "AmazonECS", filters: (r) => ({ usagetype: `${USAGE_PREFIX[r]}-${usage}` }),
});
const elasticache = (nodeType: string, engine: "Valkey" | "Redis"): PriceQuery => ({
    service: "ElastiCache", dimension: `${nodeType} node, ${engine === "Redis" ? "Redis OSS" : "Valkey"}`, serviceCode: "AmazonElastiCache",
    filters: () => ({ instanceType: nodeType, cacheEngine: engine }),
});
const rds = (instanceClass: string, deployment: "Single-AZ" | "Multi-AZ"): PriceQuery => ({
    service: "RDS for PostgreSQL", dimension: `${instanceClass} ${deployment}`, serviceCode: "AmazonRDS",
    filters: () => ({ instanceType: instanceClass, databaseEngine: "PostgreSQL", deploymentOption: deployment }), keep: ["vcpu"],
});

export const QUERIES: PriceQuery[] = [
    fargate("Linux/x86_64 vCPU", "Fargate-vCPU-Hours:perCPU"),
    fargate("Linux/x86_64 memory", "Fargate-GB-Hours"),
    fargate("Linux/ARM64 vCPU", "Fargate-ARM-vCPU-Hours:perCPU"),
    fargate("Linux/ARM64 memory", "Fargate-ARM-GB-Hours"),
    { service: "Elastic Load Balancing", dimension: "Application Load Balancer hour", serviceCode: "AWSELB", filters: (r) => ({ usagetype: `${USAGE_PREFIX[r]}-LoadBalancerUsage`, productFamily: "Load Balancer-Application" }) },
    { service: "Elastic Load Balancing", dimension: "Application Load Balancer LCU", serviceCode: "AWSELB", filters: (r) => ({ usagetype: `${USAGE_PREFIX[r]}-LCUUsage`, productFamily: "Load Balancer-Application" }) },
    { service: "VPC", dimension: "NAT gateway hour", serviceCode: "AmazonEC2", filters: (r) => ({ usagetype: `${USAGE_PREFIX[r]}-NatGateway-Hours` }) },
    { service: "VPC", dimension: "NAT gateway data processed", serviceCode: "AmazonEC2", filters: (r) => ({ usagetype: `${USAGE_PREFIX[r]}-NatGateway-Bytes` }) },
    ...["cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium", "cache.m7g.large", "cache.r7g.large", "cache.r7g.xlarge"].flatMap((n) => [elasticache(n, "Valkey"), elasticache(n, "Redis")]),
    ...["db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.t4g.large", "db.m7g.large", "db.m7g.xlarge", "db.r7g.large", "db.r7g.xlarge"].flatMap((c) => [rds(c, "Single-AZ"), rds(c, "Multi-AZ")]),
];

interface PriceListItem {
    product: { sku: string; attributes: Record<string, string> };
    terms: { OnDemand?: Record<string, { priceDimensions: Record<string, { unit: string; pricePerUnit: { USD?: string }; beginRange?: string; description?: string }> }> };
    publicationDate?: string;
}

/** A PriceList item: a JSON string (the wire form), a string-like wrapper, or already parsed. */
function parseItem(item: unknown): PriceListItem {
    return (typeof item === "object" && item !== null && "product" in item ? item : JSON.parse(String(item))) as PriceListItem;
}

/** The on-demand price of a product: its single non-zero first-tier price dimension. */
function onDemandPrice(item: PriceListItem): { usd: number; unit: string } | undefined {
    const dims = Object.values(item.terms.OnDemand ?? {}).flatMap((t) => Object.values(t.priceDimensions))
        .filter((d) => (d.beginRange ?? "0") === "0" && d.pricePerUnit.USD !== undefined);
    const priced = dims.filter((d) => Number(d.pricePerUnit.USD) > 0);
    const chosen = priced.length === 1 ? priced[0] : dims.length === 1 ? dims[0] : undefined;
    return chosen ? { usd: Number(chosen.pricePerUnit.USD), unit: chosen.unit } : undefined;
}

export interface UpdateResult {
    prices: SourcePrice[];
    updated: number;
    /** Queries that did not give exactly one price, with why. */
    problems: string[];
}

/** Runs every query for every snapshot region and merges the answers into `current`. */
export async function fetchPrices(client: PricingClient, current: SourcePrice[], regions: string[] = SNAPSHOT_REGIONS): Promise<UpdateResult> {
    const prices = current.map((p) => ({ ...p }));
    const problems: string[] = [];
    let updated = 0;
    for (const query of QUERIES) {
        for (const region of regions) {
            const filters = { ...query.filters(region), regionCode: region };
            const items: PriceListItem[] = [];
            let token: string | undefined;
            do {
                const page = await client.send(new GetProductsCommand({
                    ServiceCode: query.serviceCode,
                    FormatVersion: "aws_v1",
                    Filters: Object.entries(filters).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value })),
                    NextToken: token,
                }));
                items.push(...(page.PriceList ?? []).map(parseItem));
                token = page.NextToken;
            } while (token);
            const label = `${query.service} / ${query.dimension} in ${region}`;
            const all = items.map((i) => ({ item: i, price: onDemandPrice(i) })).filter((a) => a.price !== undefined);
            // A $0 variant (e.g. on Outposts) beside a priced one is not the list price.
            const answers = all.some((a) => a.price!.usd > 0) ? all.filter((a) => a.price!.usd > 0) : all;
            if (answers.length !== 1) {
                problems.push(`${label}: ${answers.length} on-demand prices matched ${JSON.stringify(filters)}`);
                continue;
            }
            const { item, price } = answers[0];
            const entry = prices.find((p) => p.service === query.service && p.dimension === query.dimension && p.region === region);
            const attributes = Object.fromEntries((query.keep ?? []).filter((k) => item.product.attributes[k] !== undefined).map((k) => [k, item.product.attributes[k]]));
            const refreshed: SourcePrice = {
                ...(entry ?? { service: query.service, dimension: query.dimension, region, unit: price!.unit }),
                usd: price!.usd,
                source: `AWS Price List API GetProducts ServiceCode=${query.serviceCode} ${Object.entries(filters).map(([k, v]) => `${k}=${v}`).join(" ")}`,
                asOf: (item.publicationDate ?? "").slice(0, 10) || "undated",
                sku: item.product.sku,
                unitFromSource: true,
                sourceKey: price!.unit,
                ...(Object.keys(attributes).length ? { attributes } : {}),
            };
            delete refreshed.note;
            if (entry) {
                delete entry.note;
                Object.assign(entry, refreshed);
            } else {
                prices.push(refreshed);
            }
            updated += 1;
        }
    }
    return { prices, updated, problems };
}

/** Refreshes aws-prices.json and the snapshot (the Price List API answers from us-east-1). */
export async function updatePrices(client: PricingClient = new PricingClient({ region: "us-east-1" })): Promise<UpdateResult> {
    const current = JSON.parse(fs.readFileSync(PRICES_SOURCE, "utf8")) as SourcePrice[];
    const result = await fetchPrices(client, current);
    fs.writeFileSync(PRICES_SOURCE, `${JSON.stringify(result.prices, null, 2)}\n`);
    fs.writeFileSync(SNAPSHOT_FILE, renderSnapshot(buildSnapshot()));
    return result;
}

if (require.main === module) {
    updatePrices().then((r) => {
        console.log(`updated ${r.updated} prices; wrote ${PRICES_SOURCE} and ${SNAPSHOT_FILE}`);
        for (const p of r.problems) {
            console.error(`not updated: ${p}`);
        }
    }, (err: Error) => {
        console.error(`error: ${err.message} (the Price List API needs AWS credentials with pricing:GetProducts)`);
        process.exit(2);
    });
}
