/**
 * The cost estimate of a plan: what each recorded resource costs a month in the stack's region,
 * per component and for the stack, from the pinned price snapshot and documented usage
 * assumptions; the delta of a pull request; the budget finding.
 */
export { costDelta, formatDelta } from "./delta";
export type { CostChange, CostDelta, CostedPlan } from "./delta";
export { costSettingsFromConfig, estimateCost, estimateFromConfig } from "./estimate";
export type { BudgetFinding, ComponentCost, CostReport, EstimateOptions } from "./estimate";
export { HOURS_PER_MONTH } from "./model";
export type { CostLine, Range, ResourceCost } from "./model";
export { renderCostDeltaMarkdown, renderCostMarkdown, renderCostText, usd } from "./render";
export { BudgetAt, USAGE_KEYS, validateCostSettings, validateUsage } from "./usage";
export type { CostSettings, UsageConfig } from "./usage";
