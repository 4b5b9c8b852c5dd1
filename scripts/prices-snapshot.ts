/**
 * `npm run prices:snapshot`: writes preview/cost/prices.json, the price snapshot the cost estimate
 * ships with, from the recorded sources in scripts/sources/pricing/:
 *
 * - aws-prices.json: AWS on-demand list prices, each with its source and date (see the README
 *   beside it for provenance and what is missing). Copied from the team's shared pricing data;
 *   `npm run prices:update` refreshes it from the AWS Price List API.
 * - no-charge.json: resource types AWS does not bill for by themselves, each with its statement.
 *
 * Nothing is computed or typed here: entries are filtered to the snapshot's regions, given a stable
 * id and copied with their provenance. `--check` exits 1 when the committed snapshot is stale;
 * test/cost/snapshot.test.ts runs the same check.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { NoChargeEntry, PriceSnapshot, priceId, SnapshotPrice } from "../preview/cost/snapshot";

export type { PriceSnapshot };
export { priceId };

const ROOT = path.resolve(__dirname, "..");
export const SOURCES_DIR = path.join(ROOT, "scripts", "sources", "pricing");
export const PRICES_SOURCE = path.join(SOURCES_DIR, "aws-prices.json");
export const NO_CHARGE_SOURCE = path.join(SOURCES_DIR, "no-charge.json");
export const SNAPSHOT_FILE = path.join(ROOT, "preview", "cost", "prices.json");

/** The regions the snapshot must cover (the minimum). */
export const SNAPSHOT_REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "eu-central-1"];

/** One entry of aws-prices.json (the fields the snapshot keeps). */
export interface SourcePrice {
    service: string;
    dimension: string;
    region: string;
    unit: string;
    usd: number;
    source: string;
    asOf: string;
    sku?: string;
    sourceKey?: string;
    note?: string;
    unitFromSource?: boolean;
    /** Facts that are not prices (e.g. an instance class's vCPU count), as the Price List API states them. */
    attributes?: Record<string, string>;
}

/**
 * The snapshot's date: the newest of the date the shared data says it was assembled ("Snapshot
 * assembled YYYY-MM-DD" in its README) and the newest `asOf` (an API refresh dates its entries).
 */
function snapshotDate(prices: SourcePrice[], readme: string): string {
    const assembled = /Snapshot assembled (\d{4}-\d{2}-\d{2})/.exec(readme)?.[1];
    const dates = prices.map((p) => p.asOf).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d));
    return [...dates, ...(assembled ? [assembled] : [])].sort().pop() ?? "undated";
}

export function buildSnapshot(): PriceSnapshot {
    const raw = fs.readFileSync(PRICES_SOURCE, "utf8");
    const prices = JSON.parse(raw) as SourcePrice[];
    const readme = fs.existsSync(path.join(SOURCES_DIR, "README.md")) ? fs.readFileSync(path.join(SOURCES_DIR, "README.md"), "utf8") : "";
    const noCharge = (JSON.parse(fs.readFileSync(NO_CHARGE_SOURCE, "utf8")) as { entries: NoChargeEntry[] }).entries;
    const kept = prices
        .filter((p) => SNAPSHOT_REGIONS.includes(p.region) || p.region === "any" || p.region === "global")
        .map((p): SnapshotPrice => ({
            id: priceId(p.service, p.dimension),
            service: p.service,
            dimension: p.dimension,
            region: p.region,
            unit: p.unit,
            usd: p.usd,
            source: p.source,
            asOf: p.asOf,
            ...(p.sku ? { sku: p.sku } : {}),
            ...(p.attributes ? { attributes: p.attributes } : {}),
        }))
        .sort((a, b) => a.id.localeCompare(b.id) || a.region.localeCompare(b.region));
    const seen = new Set<string>();
    for (const p of kept) {
        const key = `${p.id} ${p.region}`;
        if (seen.has(key)) {
            throw new Error(`aws-prices.json holds two prices for ${p.service} / ${p.dimension} in ${p.region}`);
        }
        seen.add(key);
        if (!p.source || !p.asOf) {
            throw new Error(`aws-prices.json: ${p.service} / ${p.dimension} in ${p.region} has no source or date`);
        }
    }
    return {
        generatedBy: "scripts/prices-snapshot.ts from scripts/sources/pricing/ (npm run prices:snapshot)",
        snapshotDate: snapshotDate(prices, readme),
        sourceSha256: crypto.createHash("sha256").update(raw).digest("hex"),
        regions: SNAPSHOT_REGIONS,
        prices: kept,
        noCharge,
    };
}

export function renderSnapshot(snapshot: PriceSnapshot): string {
    return `${JSON.stringify(snapshot, null, 2)}\n`;
}

if (require.main === module) {
    const text = renderSnapshot(buildSnapshot());
    if (process.argv.includes("--check")) {
        const current = fs.existsSync(SNAPSHOT_FILE) ? fs.readFileSync(SNAPSHOT_FILE, "utf8") : "";
        if (current !== text) {
            console.error(`${path.relative(ROOT, SNAPSHOT_FILE)} is stale: run npm run prices:snapshot`);
            process.exit(1);
        }
    } else {
        fs.writeFileSync(SNAPSHOT_FILE, text);
        console.log(`wrote ${path.relative(ROOT, SNAPSHOT_FILE)}`);
    }
}
