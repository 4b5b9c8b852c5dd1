/**
 * Dashboard widgets of the SLOs: per objective, the SLI over the last 30 days, the error budget left
 * and the burn rate by hour against the page and ticket thresholds.
 */
import { DashboardWidget } from "../common/dashboard";
import { ALB_NAMESPACE, CLOUDFRONT_NAMESPACE, metricRegion, ratioExpression, RATIO_ID, sliMetrics } from "./cloudwatch";
import { BUDGET_DAYS, BURN_RATE_RULES, errorBudget, ObjectiveSpec, SloMetricSource } from "./objectives";

/** A target whose id is known (dashboards are rendered once outputs resolve). */
export interface ResolvedTarget {
    source: SloMetricSource;
    id: string;
}

/** The expressions the widgets show, by objective: each reads the `ratio` query. */
export function widgetExpressions(objective: ObjectiveSpec): { sli: string; budgetLeft: string; burnRate: string } {
    const budget = errorBudget(objective.objectivePercent);
    return {
        sli: `100 * (1 - ${RATIO_ID})`,
        budgetLeft: `100 * (1 - ${RATIO_ID} / ${budget})`,
        burnRate: `${RATIO_ID} / ${budget}`,
    };
}

function metricRows(target: ResolvedTarget, objective: ObjectiveSpec): unknown[][] {
    const namespace = target.source === SloMetricSource.CloudFront ? CLOUDFRONT_NAMESPACE : ALB_NAMESPACE;
    const dims = target.source === SloMetricSource.CloudFront ? ["DistributionId", target.id, "Region", "Global"] : ["LoadBalancer", target.id];
    return [
        ...sliMetrics(target, objective).map(([id, metricName, stat]) => [namespace, metricName, ...dims, { id, stat, visible: false }]),
        [{ id: RATIO_ID, expression: ratioExpression(target, objective), visible: false }],
    ];
}

/** Three widgets per objective; `stackRegion` is where load balancer metrics are (CloudFront's are in us-east-1). */
export function sloWidgets(title: string, target: ResolvedTarget, objectives: ObjectiveSpec[], stackRegion: string): DashboardWidget[] {
    const region = metricRegion(target) ?? stackRegion;
    return objectives.flatMap((objective) => {
        const rows = metricRows(target, objective);
        const e = widgetExpressions(objective);
        const heading = `${title} ${objective.id} (${objective.objectivePercent}%${objective.thresholdMs === undefined ? " not 5xx" : ` within ${objective.thresholdMs} ms`})`;
        const single = (what: string, expression: string, label: string): DashboardWidget => ({
            type: "metric", width: 8, height: 6,
            properties: {
                title: `${heading}: ${what}`, view: "singleValue", region, start: `-P${BUDGET_DAYS}D`, setPeriodToTimeRange: true,
                metrics: [...rows, [{ id: what === "SLI" ? "sli" : "budget", expression, label }]],
            },
        });
        return [
            single("SLI", e.sli, `requests meeting the objective, last ${BUDGET_DAYS} days (%)`),
            single("error budget left", e.budgetLeft, `error budget left of ${BUDGET_DAYS} days (%)`),
            {
                type: "metric", width: 8, height: 6,
                properties: {
                    title: `${heading}: burn rate`, view: "timeSeries", region, start: "-P7D", period: 3600,
                    metrics: [...rows, [{ id: "burn", expression: e.burnRate, label: "burn rate (1 = the budget lasts exactly 30 days)" }]],
                    annotations: { horizontal: BURN_RATE_RULES.map((r) => ({ value: r.burnRate, label: `${r.id} (${r.burnRate}x)` })) },
                },
            },
        ];
    });
}
