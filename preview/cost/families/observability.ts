/**
 * CloudWatch: metric alarms (standard or high resolution), dashboards, and log groups (ingestion and
 * storage for the group's retention, from a usage assumption).
 */
import type { PlanResource } from "../../plan";
import { CostContext, fmt, num, Pricing, pricing } from "../model";
import { priceId } from "../priceBook";

/** Months of storage a log group keeps at steady state: retention in days / 30 (never-expiring groups: 12, stated). */
function retentionMonths(group: PlanResource): { months: number; how: string } {
    const days = num(group.inputs.retentionInDays);
    if (days === undefined || days === 0) {
        return { months: 12, how: "never expires: 12 months of data counted" };
    }
    return { months: days / 30, how: `${days}-day retention / 30` };
}

export function logGroup(group: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    if (group.inputs.logGroupClass !== undefined && group.inputs.logGroupClass !== "STANDARD") {
        return { lines: [], notPriced: [`${String(group.inputs.logGroupClass)} log class: not in the snapshot`] };
    }
    const gb = ctx.usage(group, "logIngestionGbPerMonth");
    const { months, how } = retentionMonths(group);
    return pricing([
        ctx.line({ label: "log ingestion (Standard class)", kind: "usage", priceId: priceId("CloudWatch", "logs ingestion, Standard class (custom logs)"), quantity: gb,
            assumption: "logIngestionGbPerMonth", formula: `${fmt(gb)} GB` }, notPriced),
        ctx.line({ label: "log storage", kind: "usage", priceId: priceId("CloudWatch", "logs storage"), quantity: gb * months, assumption: "logIngestionGbPerMonth",
            formula: `${fmt(gb)} GB/month * ${fmt(months)} months (${how})` }, notPriced),
    ], notPriced);
}

/** The shortest period an alarm evaluates: under 60 s is a high-resolution alarm. */
function alarmPeriod(alarm: PlanResource): number {
    const queries = (alarm.inputs.metricQueries as { metric?: { period?: unknown } }[] | undefined) ?? [];
    const periods = [num(alarm.inputs.period), ...queries.map((q) => num(q.metric?.period))].filter((p): p is number => p !== undefined);
    return periods.length ? Math.min(...periods) : 60;
}

export function metricAlarm(alarm: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    const high = alarmPeriod(alarm) < 60;
    const metrics = ((alarm.inputs.metricQueries as { metric?: unknown }[] | undefined) ?? []).filter((q) => q.metric !== undefined).length;
    const dimension = high ? "high-resolution metric alarm" : "standard-resolution metric alarm";
    const line = ctx.line({ label: high ? "high-resolution alarm" : "standard-resolution alarm", kind: "fixed", priceId: priceId("CloudWatch", dimension), quantity: 1,
        formula: metrics > 1 ? `1 alarm (metric math over ${metrics} metrics)` : "1 alarm" }, notPriced);
    if (metrics > 1) {
        notPriced.push(`metric math over ${metrics} metrics: AWS bills alarms per metric, the snapshot's unit is per alarm (priced as one)`);
    }
    return pricing([line], notPriced);
}

export function dashboard(_dashboard: PlanResource, ctx: CostContext): Pricing {
    const notPriced: string[] = [];
    return pricing([ctx.line({ label: "dashboard (the account's 3 free dashboards not applied)", kind: "fixed", priceId: priceId("CloudWatch", "dashboard (beyond the free ones)"),
        quantity: 1, formula: "1 dashboard" }, notPriced)], notPriced);
}
