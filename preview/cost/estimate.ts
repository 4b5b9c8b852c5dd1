/**
 * The estimate: every recorded resource priced (or said to be free, included elsewhere, or not
 * priced), summed per component and for the stack, fixed and usage-based parts apart, with the
 * assumptions it used, the snapshot's date, and the budget finding.
 */
import type { PlanResource } from "../plan";
import { AssumptionUse, CostContext, HOURS_PER_MONTH, Range, ResourceCost } from "./model";
import { priceResource } from "./families";
import { PriceBook, PriceSnapshot, SNAPSHOT } from "./priceBook";
import { BudgetAt, ConfigIssue, CostConfigError, CostSettings, describeConfigIssue, UsageConfig, validateCostSettings, validateUsage } from "./usage";

export interface ComponentCost {
    /** The component's name, or "(stack)" for resources declared by the program itself. */
    name: string;
    type: string;
    fixed: Range;
    usage: number;
    monthly: Range;
    resources: number;
    /** Unpriced items (whole resources and parts) in the component. */
    unpriced: number;
}

export interface BudgetFinding {
    maxMonthlyUsd: number;
    at: BudgetAt;
    estimate: number;
    exceeded: boolean;
    /** The largest resources, most expensive first. */
    contributors: { name: string; component: string; monthly: number }[];
    message: string;
}

export interface CostReport {
    currency: "USD";
    region: string;
    hoursPerMonth: number;
    snapshot: { date: string; oldestPriceUsed?: string; maxAgeDays: number; warning?: string };
    stack: { fixed: Range; usage: number; monthly: Range; unpriced: number };
    components: ComponentCost[];
    resources: ResourceCost[];
    /** Resources (or parts) without a price, said rather than counted as zero. */
    unpriced: { name: string; type: string; component: string; reason: string }[];
    assumptions: AssumptionUse[];
    budget?: BudgetFinding;
    /** Usage settings, kept so a base plan can be re-estimated with the same assumptions. */
    settings: { usage: UsageConfig; cost: CostSettings };
}

export interface EstimateOptions {
    region: string;
    usage?: UsageConfig;
    cost?: CostSettings;
    /** The date the age of the snapshot is measured at (default: today). */
    now?: Date;
    snapshot?: PriceSnapshot;
}

/** Sums keep four decimals (so deltas are exact to the cent); the renderers show cents. */
const round2 = (n: number) => Math.round(n * 10000) / 10000;
const add = (a: Range, b: Range): Range => ({ low: a.low + b.low, high: a.high + b.high });
const rounded = (r: Range): Range => ({ low: round2(r.low), high: round2(r.high) });

/** The nearest component ancestor of each resource (components are the non-custom resources other than the stack). */
function componentOf(resources: PlanResource[]): (r: PlanResource) => PlanResource | undefined {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    return (r) => {
        let current = r.parent ? byUrn.get(r.parent) : undefined;
        while (current) {
            if (!current.custom && current.type !== "pulumi:pulumi:Stack") {
                return current;
            }
            current = current.parent ? byUrn.get(current.parent) : undefined;
        }
        return undefined;
    };
}

function priceAll(plan: { resources: PlanResource[] }, ctx: CostContext): ResourceCost[] {
    const owner = componentOf(plan.resources);
    return plan.resources.filter((r) => r.custom).map((r): ResourceCost => {
        const p = priceResource(r, ctx);
        const fixed = p.lines.filter((l) => l.kind === "fixed");
        const usage = p.lines.filter((l) => l.kind === "usage").reduce((s, l) => s + l.monthly, 0);
        const fixedRange = { low: fixed.reduce((s, l) => s + l.monthly, 0), high: fixed.reduce((s, l) => s + (l.monthlyMax ?? l.monthly), 0) };
        const status = p.lines.length > 0 ? "priced" : p.free ? (p.free.included ? "included" : "free") : "not-priced";
        return {
            urn: r.urn,
            name: r.name,
            type: r.type,
            component: owner(r)?.name ?? "(stack)",
            status,
            lines: p.lines,
            fixed: rounded(fixedRange),
            usage: round2(usage),
            monthly: rounded({ low: fixedRange.low + usage, high: fixedRange.high + usage }),
            ...(p.free ? { note: p.free.note } : {}),
            ...(p.free?.source ? { source: p.free.source } : {}),
            notPriced: p.notPriced ?? [],
        };
    });
}

function summarise(resources: ResourceCost[], plan: { resources: PlanResource[] }): ComponentCost[] {
    const types = new Map(plan.resources.filter((r) => !r.custom).map((r) => [r.name, r.type]));
    const byName = new Map<string, ComponentCost>();
    for (const r of resources) {
        const c = byName.get(r.component) ?? { name: r.component, type: types.get(r.component) ?? "pulumi:pulumi:Stack", fixed: { low: 0, high: 0 }, usage: 0, monthly: { low: 0, high: 0 }, resources: 0, unpriced: 0 };
        c.fixed = add(c.fixed, r.fixed);
        c.usage += r.usage;
        c.monthly = add(c.monthly, r.monthly);
        c.resources += 1;
        c.unpriced += r.notPriced.length;
        byName.set(r.component, c);
    }
    return [...byName.values()]
        .map((c) => ({ ...c, fixed: rounded(c.fixed), usage: round2(c.usage), monthly: rounded(c.monthly) }))
        .sort((a, b) => b.monthly.high - a.monthly.high || a.name.localeCompare(b.name));
}

function budgetFinding(stack: string, monthly: Range, resources: ResourceCost[], settings: CostSettings): BudgetFinding | undefined {
    if (settings.maxMonthlyUsd === undefined) {
        return undefined;
    }
    const at = settings.budgetAt;
    const pick = (r: Range) => (at === BudgetAt.Maximum ? r.high : r.low);
    const estimate = pick(monthly);
    const contributors = [...resources].sort((a, b) => pick(b.monthly) - pick(a.monthly) || a.name.localeCompare(b.name)).slice(0, 3)
        .map((r) => ({ name: r.name, component: r.component, monthly: pick(r.monthly) }));
    const exceeded = estimate > settings.maxMonthlyUsd;
    const list = contributors.map((c) => `${c.name} (${c.component}) $${c.monthly.toFixed(2)}`).join(", ");
    const message = exceeded
        ? `${stack}: estimated $${estimate.toFixed(2)}/month at the autoscaling ${at} exceeds the budget maxMonthlyUsd $${settings.maxMonthlyUsd.toFixed(2)}; largest contributors: ${list}`
        : `${stack}: estimated $${estimate.toFixed(2)}/month at the autoscaling ${at} is within the budget maxMonthlyUsd $${settings.maxMonthlyUsd.toFixed(2)}`;
    return { maxMonthlyUsd: settings.maxMonthlyUsd, at, estimate: round2(estimate), exceeded, contributors, message };
}

function daysBetween(from: string, to: Date): number {
    const start = Date.parse(`${from}T00:00:00Z`);
    return Number.isNaN(start) ? Infinity : Math.floor((to.getTime() - start) / 86_400_000);
}

/** Estimates the monthly cost of a plan's resources. */
export function estimateCost(plan: { stack: string; resources: PlanResource[] }, options: EstimateOptions): CostReport {
    const usage = options.usage ?? validateUsage(undefined);
    const cost = options.cost ?? validateCostSettings(undefined);
    const snapshot = options.snapshot ?? SNAPSHOT;
    const ctx = new CostContext(plan, new PriceBook(options.region, snapshot), usage);
    const resources = priceAll(plan, ctx);
    const components = summarise(resources, plan);
    const monthly = components.reduce((s, c) => add(s, c.monthly), { low: 0, high: 0 });
    const fixed = components.reduce((s, c) => add(s, c.fixed), { low: 0, high: 0 });
    const unpriced = resources.flatMap((r) => r.notPriced.map((reason) => ({ name: r.name, type: r.type, component: r.component, reason })));
    const ageDays = daysBetween(snapshot.snapshotDate, options.now ?? new Date());
    const regionNote = snapshot.regions.includes(options.region) ? "" : ` The snapshot has no prices for ${options.region} (it covers ${snapshot.regions.join(", ")}).`;
    const warning = ageDays > cost.maxSnapshotAgeDays
        ? `the price snapshot is from ${snapshot.snapshotDate}, ${ageDays} days old (more than maxSnapshotAgeDays ${cost.maxSnapshotAgeDays}): run npm run prices:update.${regionNote}`
        : regionNote.trim() || undefined;
    return {
        currency: "USD",
        region: options.region,
        hoursPerMonth: HOURS_PER_MONTH,
        snapshot: { date: snapshot.snapshotDate, ...(ctx.oldestPriceDate() ? { oldestPriceUsed: ctx.oldestPriceDate() } : {}), maxAgeDays: cost.maxSnapshotAgeDays, ...(warning ? { warning } : {}) },
        stack: { fixed: rounded(fixed), usage: round2(monthly.low - fixed.low), monthly: rounded(monthly), unpriced: unpriced.length },
        components,
        resources,
        unpriced,
        assumptions: ctx.assumptions(),
        ...(budgetFinding(plan.stack, monthly, resources, cost) ? { budget: budgetFinding(plan.stack, monthly, resources, cost) } : {}),
        settings: { usage, cost },
    };
}

export const USAGE_CONFIG_KEY = "scaling-toolkit:usage";
export const COST_CONFIG_KEY = "scaling-toolkit:cost";

/** Reads `scaling-toolkit:usage` and `scaling-toolkit:cost` (objects, or JSON strings as `pulumi config` stores them). */
export function costSettingsFromConfig(config: Record<string, unknown>): { region: string; usage: UsageConfig; cost: CostSettings } {
    const parse = (v: unknown) => {
        if (typeof v === "string") {
            try {
                return JSON.parse(v) as unknown;
            } catch {
                return v;
            }
        }
        return v;
    };
    const issues: ConfigIssue[] = [];
    const usage = validateUsage(parse(config[USAGE_CONFIG_KEY]), issues);
    const cost = validateCostSettings(parse(config[COST_CONFIG_KEY]), issues);
    if (issues.length > 0) {
        throw new CostConfigError(issues.map((i) => describeConfigIssue("scaling-toolkit", i)).join("; "));
    }
    return { region: String(config["aws:region"] ?? "us-east-1"), usage, cost };
}

/** The estimate for a plan, configured by the stack's config. */
export function estimateFromConfig(plan: { stack: string; resources: PlanResource[] }, config: Record<string, unknown>, now?: Date): CostReport {
    const { region, usage, cost } = costSettingsFromConfig(config);
    return estimateCost(plan, { region, usage, cost, now });
}
