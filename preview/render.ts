/**
 * How a plan is shown: a `pulumi preview`-like text report for terminals and a Markdown comment
 * (summary, deploy checks, policy results, Mermaid architecture diagram, diff) for pull requests.
 */
import { waiverLine } from "../policies/evaluate";
import { CostDelta, renderCostDeltaMarkdown, renderCostMarkdown, renderCostText } from "./cost";
import { blockingViolations } from "./policies";
import { renderComment } from "./comment";
import { renderMermaid } from "./diagram";
import { changeTree, diffDetailLines, diffHeadline, outputLines, providerLine } from "./diff/text";
import { Plan, PlanDiff, PlanResource } from "./plan";
import { urnName } from "./runtime";

const PLACEHOLDER_NOTE = "Values shown as \"(known after apply: <resource>.<property>)\" are computed by the cloud and are not known offline; " +
    "\"(offline: ...)\" marks a look-up the offline preview could not answer for real; \"[secret]\" is a redacted secret.";

function childrenIndex(plan: Plan): Map<string | undefined, PlanResource[]> {
    const index = new Map<string | undefined, PlanResource[]>();
    const urns = new Set(plan.resources.map((r) => r.urn));
    for (const r of plan.resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
        index.set(parent, [...(index.get(parent) ?? []), r]);
    }
    for (const list of index.values()) {
        list.sort((a, b) => Number(a.custom) - Number(b.custom) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    }
    return index;
}

/** The resource tree, components first at each level, like `pulumi preview`. */
export function renderTree(plan: Plan, marks?: Map<string, string>): string[] {
    const index = childrenIndex(plan);
    const rows: [string, string, string][] = [];
    const walk = (parent: string | undefined, prefix: string) => {
        const children = index.get(parent) ?? [];
        children.forEach((r, i) => {
            const last = i === children.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            rows.push([marks?.get(r.urn) ?? "+", `${prefix}${branch}${r.type}`, r.name]);
            walk(r.urn, parent === undefined ? "" : `${prefix}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, "");
    const width = Math.max(4, ...rows.map(([, t]) => [...t].length));
    return [`     ${"Type".padEnd(width)}  Name`, ...rows.map(([m, t, n]) => ` ${m.padEnd(2)}  ${t}${" ".repeat(width - [...t].length)}  ${n}`)];
}

function policySummary(plan: Plan): string {
    if (plan.policies.pack === null) {
        return plan.policies.note ?? "no policy pack installed";
    }
    const blocking = blockingViolations(plan.policies).length;
    const advisory = plan.policies.violations.filter((v) => v.level !== "mandatory" && !v.waived).length;
    const waived = plan.policies.violations.filter((v) => v.waived).length;
    return `${blocking} mandatory, ${advisory} advisory, ${waived} waived`;
}

function shortName(urn: string): string {
    return urnName(urn) || urn;
}

const valueText = (value: unknown) => {
    const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? "(none)";
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/** The deploy-check findings: what the real provider or AWS would reject (exit 1, apart from policies). */
function renderDeployChecksText(plan: Plan): string[] {
    const section = plan.deployChecks;
    if (!section) {
        return [];
    }
    const lines = [`Deploy checks (what the provider and AWS would reject; ${section.checked} AWS resources checked): ${section.findings.length ? `${section.findings.length} finding(s)` : "none"}`];
    for (const f of section.findings) {
        lines.push(`  [${f.rule}] ${shortName(f.urn)}: ${f.property} = ${valueText(f.value)}`, `      ${f.message}`, `      rule from: ${f.source}`);
    }
    lines.push(...(section.notes ?? []).map((n) => `  note: ${n}`));
    return [...lines, ""];
}

/** The text report printed by the CLI; with a diff, it leads with the counts and shows only what changes. */
export function renderText(plan: Plan, diff?: PlanDiff, costDelta?: CostDelta): string {
    const lines: string[] = [];
    lines.push(`Offline preview of ${plan.project}/${plan.stack} (SDK mock runtime: no Pulumi CLI, no cloud, no credentials)`, "");
    if (diff) {
        lines.push(diffHeadline(diff), "");
        const changed = changeTree(plan, diff);
        if (changed.plan.resources.length > 0) {
            lines.push(...renderTree(changed.plan, changed.marks), "");
        }
        lines.push(...diffDetailLines(diff), "");
    } else {
        lines.push(...renderTree(plan), "");
        lines.push("Resources by type:");
        for (const [type, count] of Object.entries(plan.summary.byType)) {
            lines.push(`  ${String(count).padStart(4)}  ${type}`);
        }
        lines.push(`  ${String(plan.summary.total).padStart(4)}  total to create`, "");
        lines.push("Stack outputs:", ...outputLines(plan.outputs), "");
    }
    lines.push(...renderDeployChecksText(plan));
    lines.push("Where resources go:", ...(plan.providers ?? []).map((p) => `  ${providerLine(p)}`), "");
    lines.push(`Policies (${plan.policies.pack ?? "none"}): ${policySummary(plan)}`);
    for (const v of plan.policies.violations) {
        const level = v.waived ? "waived" : v.level;
        lines.push(`  [${level}/${v.severity}] ${v.policy}: ${shortName(v.urn)}: ${v.message}`, `      fix: ${v.remediation} (${v.docs})`);
    }
    if (plan.policies.waivers?.length) {
        lines.push(`Waivers (${plan.policies.waivers.length}):`, ...plan.policies.waivers.map((w) => `  ${waiverLine(w)}`));
    }
    lines.push("");
    if (plan.cost) {
        lines.push(...renderCostText(plan.cost, costDelta), "");
    }
    if (plan.lookups.length > 0) {
        lines.push("Look-ups answered offline:");
        for (const l of plan.lookups) {
            lines.push(`  ${l.token}: ${Object.entries(l.result).filter(([k]) => k !== "id").map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ")}`);
        }
        lines.push("");
    }
    lines.push(PLACEHOLDER_NOTE);
    return `${lines.join("\n")}\n`;
}

/** The marker that lets a workflow find and update its own pull-request comment. */
export function commentMarker(plan: Plan): string {
    return `<!-- scaling-toolkit-offline-preview:${plan.project}/${plan.stack} -->`;
}

export { renderMermaid } from "./diagram";

/** The deploy checks section of the comment: what the real provider and AWS would reject. */
function deployChecksSection(plan: Plan): string[] {
    if (!plan.deployChecks) {
        return [];
    }
    const findings = plan.deployChecks.findings;
    const out = ["#### Deploy checks", "", `What the real provider and AWS would reject (${plan.deployChecks.checked} AWS resources checked; README: Deploy checks).`, ""];
    if (findings.length) {
        const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
        out.push("| rule | resource | input | value | problem | rule from |", "| --- | --- | --- | --- | --- | --- |");
        for (const f of findings) {
            out.push(`| ${f.rule} | ${cell(shortName(f.urn))} | \`${cell(f.property)}\` | \`${cell(valueText(f.value))}\` | ${cell(f.message)} | ${cell(f.source)} |`);
        }
        out.push("");
    } else {
        out.push("No findings.", "");
    }
    out.push(...(plan.deployChecks.notes ?? []).map((n) => `> ${n}`), ...(plan.deployChecks.notes?.length ? [""] : []));
    return out;
}

/** The policy results section of the comment. */
function policySection(plan: Plan): string[] {
    const out = ["#### Policy results", ""];
    if (plan.policies.pack === null) {
        out.push(plan.policies.note ?? "No policy pack installed.", "");
    } else if (plan.policies.violations.length === 0) {
        out.push(`Every rule of \`${plan.policies.pack}\` passes.`, "");
    } else {
        const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
        out.push("| level | severity | policy | resource | message | how to fix |", "| --- | --- | --- | --- | --- | --- |");
        for (const v of plan.policies.violations) {
            out.push(`| ${v.waived ? `waived: ${cell(v.waived.reason)}` : v.level} | ${v.severity} | [\`${v.policy}\`](${v.docs}) | ${cell(shortName(v.urn))} | ${cell(v.message)} | ${cell(v.remediation)} |`);
        }
        out.push("");
    }
    if (plan.policies.waivers?.length) {
        out.push("<details><summary>Waivers</summary>", "", ...plan.policies.waivers.map((w) => `- ${waiverLine(w).replace(/\|/g, "\\|")}`), "", "</details>", "");
    }
    return out;
}

export interface MarkdownOptions {
    /** Most characters the comment may have (diff comments). @default GitHub's 65,536 */
    limit?: number;
    /** Where the uncut report is, named when the comment is cut. */
    fullReport?: string;
    /** The monthly cost change against the base plan (`--diff`). */
    costDelta?: CostDelta;
}

/** The pull-request comment; with a diff, the diff comment of preview/comment.ts (size-limited). */
export function renderMarkdown(plan: Plan, diff?: PlanDiff, options: MarkdownOptions = {}): string {
    const deployChecks = deployChecksSection(plan);
    if (diff) {
        const leading = [
            ...(deployChecks.length ? [{ label: "deploy checks", rows: deployChecks }] : []),
            ...(options.costDelta ? [{ label: "the cost change", rows: renderCostDeltaMarkdown(options.costDelta) }] : []),
        ];
        return renderComment(plan, diff, commentMarker(plan), { limit: options.limit, fullReport: options.fullReport, policies: policySection(plan), leading, footnote: PLACEHOLDER_NOTE });
    }
    const blocking = blockingViolations(plan.policies);
    const status = plan.policies.pack === null ? "⚪ policies not evaluated" : blocking.length ? `❌ ${blocking.length} mandatory policy violation(s)` : "✅ no mandatory policy violations";
    const findings = plan.deployChecks?.findings ?? [];
    const deployStatus = findings.length ? `❌ ${findings.length} deploy-check finding(s)` : "✅ deploy checks pass";
    const out: string[] = [commentMarker(plan), `### Offline preview: \`${plan.project}/${plan.stack}\``, ""];
    out.push(`**${plan.summary.total}** resources · ${deployStatus} · ${status}`, "");
    out.push(...deployChecks, ...policySection(plan), ...renderCostMarkdown(plan.cost));
    out.push("#### Architecture", "", "```mermaid", renderMermaid(plan), "```", "");
    out.push("<details><summary>Stack outputs</summary>", "", "```", ...outputLines(plan.outputs), "```", "", "</details>", "");
    out.push("<details><summary>Where resources go</summary>", "", ...(plan.providers ?? []).map((p) => `- ${providerLine(p)}`), "", "</details>", "");
    out.push("<details><summary>Resources by type</summary>", "", "| type | count |", "| --- | ---: |");
    for (const [type, count] of Object.entries(plan.summary.byType)) {
        out.push(`| \`${type}\` | ${count} |`);
    }
    out.push(`| **total** | **${plan.summary.total}** |`, "", "</details>", "", `<sub>${PLACEHOLDER_NOTE}</sub>`, "");
    return out.join("\n");
}
