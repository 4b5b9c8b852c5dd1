/**
 * How the estimate is shown: a section of the text report and of the pull-request comment (stack
 * total, per component, the unpriced line, the assumptions, the snapshot's date, the budget), and
 * the delta against the base branch.
 */
import { CostDelta, formatDelta } from "./delta";
import { CostReport } from "./estimate";
import { Range } from "./model";

/** "$1,234.50" or "$90.57..$252.75" */
export function usd(r: Range | number): string {
    const one = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    if (typeof r === "number") {
        return one(r);
    }
    return r.low === r.high ? one(r.low) : `${one(r.low)}..${one(r.high)}`;
}

function heading(cost: CostReport): string {
    return `Estimated monthly cost (USD, ${cost.region}, ${cost.hoursPerMonth} h/month; price snapshot of ${cost.snapshot.date}${cost.snapshot.oldestPriceUsed ? `, oldest price used ${cost.snapshot.oldestPriceUsed}` : ""})`;
}

function unpricedSummary(cost: CostReport): string {
    const whole = cost.resources.filter((r) => r.status === "not-priced");
    const parts = cost.unpriced.length - whole.reduce((n, r) => n + r.notPriced.length, 0);
    const names = whole.map((r) => `${r.name} (${r.type.split(":").pop()})`);
    const shown = names.slice(0, 6).join(", ");
    return `unpriced: ${whole.length} resource(s) with no price${whole.length ? ` (${shown}${names.length > 6 ? ", ..." : ""})` : ""}, and ${parts} part(s) of priced resources; not counted, never as $0`;
}

/** The unpriced items grouped by reason: "EventBridge rules: ...: prod-api-cd-failed [prod-api-cd]". */
function groupedUnpriced(cost: CostReport): string[] {
    const byReason = new Map<string, string[]>();
    for (const u of cost.unpriced) {
        byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), `${u.name} [${u.component}]`]);
    }
    return [...byReason.entries()].map(([reason, names]) => `${reason}: ${names.join(", ")}`);
}

/** The assumptions, one per key and value: "natDataGbPerMonth = 50 GB (default) for 3 resource(s)". */
function assumptionLines(cost: CostReport): string[] {
    return cost.assumptions.map((a) => `${a.key} = ${a.value} ${a.unit} (${a.from}) for ${a.resources.length} resource(s): ${a.description}`);
}

export function renderCostText(cost: CostReport | undefined, delta?: CostDelta): string[] {
    if (!cost) {
        return [];
    }
    const lines = [`${heading(cost)}:`];
    const width = Math.max(9, ...cost.components.map((c) => c.name.length));
    lines.push(`  ${"component".padEnd(width)}  ${"fixed".padStart(22)}  ${"usage*".padStart(10)}  ${"total".padStart(22)}`);
    for (const c of cost.components) {
        lines.push(`  ${c.name.padEnd(width)}  ${usd(c.fixed).padStart(22)}  ${usd(c.usage).padStart(10)}  ${usd(c.monthly).padStart(22)}`);
    }
    lines.push(`  ${"stack".padEnd(width)}  ${usd(cost.stack.fixed).padStart(22)}  ${usd(cost.stack.usage).padStart(10)}  ${usd(cost.stack.monthly).padStart(22)}`);
    lines.push("  ranges are the autoscaling minimum..maximum; * usage-based figures rest on the assumptions below");
    lines.push(`  ${unpricedSummary(cost)}`);
    lines.push(...groupedUnpriced(cost).map((l) => `    - ${l}`));
    lines.push("  assumptions (override in scaling-toolkit:usage):");
    lines.push(...assumptionLines(cost).map((l) => `    - ${l}`));
    if (cost.snapshot.warning) {
        lines.push(`  warning: ${cost.snapshot.warning}`);
    }
    if (cost.budget) {
        lines.push(`  [${cost.budget.exceeded ? "budget exceeded" : "budget ok"}] ${cost.budget.message}`);
    }
    if (delta) {
        lines.push(`  against the base plan: ${formatDelta(delta.delta)}/month (${usd(delta.base)} -> ${usd(delta.head)})`);
        for (const c of delta.components) {
            lines.push(`    ${c.component}: ${formatDelta(c.delta)}/month`);
            lines.push(...c.reasons.map((r) => `      ${r}`));
        }
    }
    return lines;
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

/** The cost delta for the pull-request comment. */
export function renderCostDeltaMarkdown(delta: CostDelta | undefined): string[] {
    if (!delta) {
        return [];
    }
    const out = ["#### Cost against the base branch", "", `**${formatDelta(delta.delta)}/month** (${usd(delta.base)} → ${usd(delta.head)})`, ""];
    if (delta.components.length > 0) {
        out.push("| component | monthly delta | why |", "| --- | ---: | --- |");
        for (const c of delta.components) {
            out.push(`| ${cell(c.component)} | ${formatDelta(c.delta)} | ${c.reasons.map(cell).join("<br/>")} |`);
        }
        out.push("");
    }
    return out;
}

export function renderCostMarkdown(cost: CostReport | undefined): string[] {
    if (!cost) {
        return [];
    }
    const out = ["#### Estimated monthly cost", "", `${heading(cost)}. Ranges are the autoscaling minimum..maximum.`, ""];
    if (cost.budget) {
        out.push(`${cost.budget.exceeded ? "❌" : "✅"} ${cost.budget.message}`, "");
    }
    if (cost.snapshot.warning) {
        out.push(`⚠️ ${cost.snapshot.warning}`, "");
    }
    out.push("| component | fixed | usage (assumed) | total |", "| --- | ---: | ---: | ---: |");
    for (const c of cost.components) {
        out.push(`| ${cell(c.name)} | ${usd(c.fixed)} | ${usd(c.usage)} | ${usd(c.monthly)} |`);
    }
    out.push(`| **stack** | **${usd(cost.stack.fixed)}** | **${usd(cost.stack.usage)}** | **${usd(cost.stack.monthly)}** |`, "");
    out.push(unpricedSummary(cost).replace(/^unpriced/, "**Unpriced**"), "");
    out.push("<details><summary>Per resource</summary>", "", "| resource | component | monthly | how |", "| --- | --- | ---: | --- |");
    for (const r of cost.resources.filter((x) => x.status === "priced")) {
        out.push(`| ${cell(r.name)} (${r.type.split(":").pop()}) | ${cell(r.component)} | ${usd(r.monthly)} | ${r.lines.map((l) => cell(`${l.label}: ${l.formula}${l.assumption ? " (assumed)" : ""}`)).join("<br/>")} |`);
    }
    out.push("", "</details>", "");
    if (cost.unpriced.length > 0) {
        out.push("<details><summary>Not priced</summary>", "");
        out.push(...groupedUnpriced(cost).map((l) => `- ${l}`), "", "</details>", "");
    }
    out.push("<details><summary>Assumptions (override in <code>scaling-toolkit:usage</code>)</summary>", "");
    out.push(...assumptionLines(cost).map((l) => `- ${l}`), "", "</details>", "");
    return out;
}
