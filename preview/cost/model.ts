/**
 * The cost model's vocabulary: a priced line (quantity x unit price, fixed or usage-based), what a
 * resource costs, and the context a service family prices a resource in (its region's prices, the
 * usage assumptions, the plan's other resources).
 */
import type { PlanResource } from "../plan";
import { PriceBook, SnapshotPrice } from "./priceBook";
import { USAGE_KEYS, UsageConfig, UsageKeyName } from "./usage";

/** Hours in the month the estimate prices (AWS's own calculator uses 730). */
export const HOURS_PER_MONTH = 730;

/** A low..high range in USD per month (they differ where autoscaling decides the count). */
export interface Range {
    low: number;
    high: number;
}

export interface CostLine {
    /** What is charged ("vCPU (x86_64)"). */
    label: string;
    /** fixed: runs by the hour (or month) whatever the traffic; usage: depends on an assumption. */
    kind: "fixed" | "usage";
    /** Quantity per month in `unit`s (low end of the range). */
    quantity: number;
    /** Quantity at the autoscaling maximum, where it differs. */
    quantityMax?: number;
    unit: string;
    usdPerUnit: number;
    monthly: number;
    monthlyMax?: number;
    /** The snapshot price id and its provenance. */
    price: { id: string; source: string; asOf: string };
    /** The usage assumption the quantity comes from. */
    assumption?: UsageKeyName;
    /** The arithmetic, written out ("2 tasks * 0.25 vCPU * 730 h"). */
    formula: string;
}

export type ResourceStatus = "priced" | "free" | "included" | "not-priced";

export interface ResourceCost {
    urn: string;
    name: string;
    type: string;
    /** The component the resource belongs to (its nearest component ancestor), or "(stack)". */
    component: string;
    status: ResourceStatus;
    lines: CostLine[];
    fixed: Range;
    usage: number;
    monthly: Range;
    /** Why it costs nothing by itself (free: AWS's statement; included: where its cost is counted). */
    note?: string;
    /** Source of a free statement. */
    source?: string;
    /** What of it is not priced (the whole resource when status is "not-priced"). */
    notPriced: string[];
}

/** What a family function returns for a resource. */
export interface Pricing {
    lines: CostLine[];
    notPriced?: string[];
    /** No charge of its own: the statement and its source, or where its cost is counted. */
    free?: { note: string; source?: string; included?: boolean };
}

/** The usage assumptions one estimate used: key, value and where the value came from. */
export interface AssumptionUse {
    key: UsageKeyName;
    value: number;
    unit: string;
    from: "default" | "stack config";
    description: string;
    resources: string[];
}

export class CostContext {
    readonly byUrn: Map<string, PlanResource>;
    private readonly uses = new Map<string, AssumptionUse>();
    private readonly pricesUsed = new Map<string, SnapshotPrice>();

    constructor(readonly plan: { resources: PlanResource[] }, readonly prices: PriceBook, readonly usageConfig: UsageConfig) {
        this.byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    }

    get region(): string {
        return this.prices.region;
    }

    /** A usage assumption for a resource: its own override, the stack's default, else the documented default. */
    usage(resource: PlanResource, key: UsageKeyName): number {
        const own = this.usageConfig.resources[resource.name]?.[key];
        const stack = this.usageConfig.defaults[key];
        const value = own ?? stack ?? USAGE_KEYS[key].default;
        const from = own !== undefined || stack !== undefined ? "stack config" : "default";
        const id = `${key}|${value}|${from}`;
        const use = this.uses.get(id) ?? { key, value, unit: USAGE_KEYS[key].unit, from, description: USAGE_KEYS[key].description, resources: [] };
        use.resources.push(resource.name);
        this.uses.set(id, use);
        return value;
    }

    assumptions(): AssumptionUse[] {
        return [...this.uses.values()].sort((a, b) => a.key.localeCompare(b.key) || a.value - b.value);
    }

    /** The oldest source date among the prices this estimate used. */
    oldestPriceDate(): string | undefined {
        return [...this.pricesUsed.values()].map((p) => p.asOf).filter((d) => /^\d/.test(d)).sort()[0];
    }

    /** The resources a resource's inputs refer to (by property, or all). */
    referenced(resource: PlanResource, property?: string): PlanResource[] {
        const urns = property ? resource.propertyDependencies[property] ?? [] : [...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()];
        return [...new Set(urns)].map((u) => this.byUrn.get(u)).filter((r): r is PlanResource => r !== undefined);
    }

    /** The resources whose inputs refer to `resource`. */
    referencing(resource: PlanResource): PlanResource[] {
        return this.plan.resources.filter((r) => r.urn !== resource.urn && (r.dependencies.includes(resource.urn) || Object.values(r.propertyDependencies).some((d) => d.includes(resource.urn))));
    }

    /**
     * A priced line, or the reason it cannot be priced (pushed to `notPriced`): the snapshot has no
     * price for `priceId` in the region.
     */
    line(spec: { label: string; kind: "fixed" | "usage"; priceId: string; quantity: number; quantityMax?: number; assumption?: UsageKeyName; formula: string },
        notPriced: string[]): CostLine | undefined {
        const price = this.prices.get(spec.priceId);
        if (!price) {
            notPriced.push(`${spec.label}: no price "${spec.priceId}" for ${this.region} in the snapshot`);
            return undefined;
        }
        this.pricesUsed.set(`${price.id}@${price.region}`, price);
        const round = (n: number) => Math.round(n * 1e6) / 1e6;
        const line: CostLine = {
            label: spec.label,
            kind: spec.kind,
            quantity: round(spec.quantity),
            unit: price.unit,
            usdPerUnit: price.usd,
            monthly: round(spec.quantity * price.usd),
            price: { id: price.id, source: price.source, asOf: price.asOf },
            formula: `${spec.formula} * $${plainNumber(price.usd)}/${price.unit}`,
        };
        if (spec.quantityMax !== undefined && spec.quantityMax !== spec.quantity) {
            line.quantityMax = round(spec.quantityMax);
            line.monthlyMax = round(spec.quantityMax * price.usd);
        }
        if (spec.assumption) {
            line.assumption = spec.assumption;
        }
        return line;
    }
}

/** Collects lines (skipping the ones that could not be priced) into a Pricing. */
export function pricing(lines: (CostLine | undefined)[], notPriced: string[] = []): Pricing {
    return { lines: lines.filter((l): l is CostLine => l !== undefined), notPriced };
}

/** A plan input as a number (plans carry numbers, and strings for some provider fields). */
export function num(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value === "string" && /^\d+(\.\d+)?$/.test(value)) {
        return Number(value);
    }
    return undefined;
}

/** A price as written, without exponent notation: 5e-7 -> "0.0000005". */
function plainNumber(n: number): string {
    return n.toFixed(12).replace(/0+$/, "").replace(/\.$/, "");
}

/** Trims a float for a formula: 0.25, 2, 0.5. */
export function fmt(n: number): string {
    return String(Math.round(n * 1e6) / 1e6);
}
