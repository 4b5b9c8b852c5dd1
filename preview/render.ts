/**
 * How a plan is shown: a `pulumi preview`-like text report for terminals and a Markdown comment
 * (summary, deploy checks, policy results, Mermaid architecture diagram, diff) for pull requests.
 */
import { waiverLine } from "../policies/evaluate";
import { CostDelta, renderCostDeltaMarkdown, renderCostMarkdown, renderCostText } from "./cost";
import { blockingViolations } from "./policies";
import { Plan, PlanDiff, PlanResource } from "./plan";
import { ROOT_STACK_TYPE, urnName } from "./runtime";

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
    return [`     ${"Type".padEnd(width)}  Name`, ...rows.map(([m, t, n]) => ` ${m}   ${t}${" ".repeat(width - [...t].length)}  ${n}`)];
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

/** The text report printed by the CLI. */
export function renderText(plan: Plan, diff?: PlanDiff, costDelta?: CostDelta): string {
    const lines: string[] = [];
    lines.push(`Offline preview of ${plan.project}/${plan.stack} (SDK mock runtime: no Pulumi CLI, no cloud, no credentials)`, "");
    const marks = new Map<string, string>();
    if (diff) {
        for (const r of plan.resources) {
            marks.set(r.urn, " ");
        }
        diff.added.forEach((r) => marks.set(r.urn, "+"));
        diff.changed.forEach((c) => marks.set(c.urn, "~"));
    }
    lines.push(...renderTree(plan, marks), "");
    lines.push("Resources by type:");
    for (const [type, count] of Object.entries(plan.summary.byType)) {
        lines.push(`  ${String(count).padStart(4)}  ${type}`);
    }
    lines.push(`  ${String(plan.summary.total).padStart(4)}  total to create`, "");
    if (diff) {
        lines.push(...renderDiffText(diff), "");
    }
    lines.push(...renderDeployChecksText(plan));
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

function renderDiffText(diff: PlanDiff): string[] {
    const lines = [`Changes against the base plan: ${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove`];
    for (const r of diff.added) {
        lines.push(`  + ${r.type} ${r.name}`);
    }
    for (const c of diff.changed) {
        lines.push(`  ~ ${c.type} ${c.name}`);
        for (const ch of c.changes) {
            lines.push(`      ${ch.path}: ${JSON.stringify(ch.before)} => ${JSON.stringify(ch.after)}`);
        }
    }
    for (const r of diff.removed) {
        lines.push(`  - ${r.type} ${r.name}`);
    }
    return lines;
}

/** The marker that lets a workflow find and update its own pull-request comment. */
export function commentMarker(plan: Plan): string {
    return `<!-- scaling-toolkit-offline-preview:${plan.project}/${plan.stack} -->`;
}

const mermaidId = (urn: string) => `n${[...urn].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7).toString(36)}`;
const mermaidText = (s: string) => s.replace(/["<>]/g, "");

/**
 * A Mermaid diagram of the components and how they connect: an arrow from A to B when a resource
 * of component A takes an input from a resource of component B.
 */
export function renderMermaid(plan: Plan): string {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const components = plan.resources.filter((r) => !r.custom && r.type !== ROOT_STACK_TYPE);
    const componentUrns = new Set(components.map((c) => c.urn));
    const ownerOf = (urn: string): string | undefined => {
        let current = byUrn.get(urn);
        while (current) {
            if (componentUrns.has(current.urn)) {
                return current.urn;
            }
            current = current.parent ? byUrn.get(current.parent) : undefined;
        }
        return undefined;
    };
    const edges = new Set<string>();
    for (const r of plan.resources) {
        const from = ownerOf(r.urn);
        const deps = new Set([...r.dependencies, ...Object.values(r.propertyDependencies).flat()]);
        for (const d of deps) {
            const to = ownerOf(d);
            if (to && to !== from) {
                edges.add(`${from ?? "stack"}|${to}`);
            }
        }
    }
    const lines = ["flowchart LR"];
    for (const c of components) {
        const kind = c.type.split(":").pop() ?? c.type;
        lines.push(`  ${mermaidId(c.urn)}["${mermaidText(c.name)}<br/><small>${mermaidText(kind)}</small>"]`);
    }
    const standalone = plan.resources.filter((r) => r.custom && !ownerOf(r.urn));
    if (standalone.length > 0) {
        lines.push(`  stack["${mermaidText(plan.project)}/${mermaidText(plan.stack)}<br/><small>${standalone.length} stack-level resource(s)</small>"]`);
    }
    for (const edge of [...edges].sort()) {
        const [from, to] = edge.split("|");
        lines.push(`  ${from === "stack" ? "stack" : mermaidId(from)} -->|uses| ${mermaidId(to)}`);
    }
    return lines.join("\n");
}

/** The pull-request comment. */
export function renderMarkdown(plan: Plan, diff?: PlanDiff, costDelta?: CostDelta): string {
    const blocking = blockingViolations(plan.policies);
    const status = plan.policies.pack === null ? "⚪ policies not evaluated" : blocking.length ? `❌ ${blocking.length} mandatory policy violation(s)` : "✅ no mandatory policy violations";
    const findings = plan.deployChecks?.findings ?? [];
    const deployStatus = findings.length ? `❌ ${findings.length} deploy-check finding(s)` : "✅ deploy checks pass";
    const out: string[] = [commentMarker(plan), `### Offline preview: \`${plan.project}/${plan.stack}\``, ""];
    const changeLine = diff ? ` · **${diff.added.length}** to add, **${diff.changed.length}** to change, **${diff.removed.length}** to remove against the base branch` : "";
    out.push(`**${plan.summary.total}** resources${changeLine} · ${deployStatus} · ${status}`, "");
    if (diff) {
        out.push("#### Changes against the base branch", "");
        if (diff.added.length + diff.changed.length + diff.removed.length === 0) {
            out.push("No changes.", "");
        } else {
            out.push("| | type | name | what changes |", "| --- | --- | --- | --- |");
            diff.added.forEach((r) => out.push(`| ➕ | \`${r.type}\` | ${r.name} | created |`));
            diff.changed.forEach((c) => out.push(`| ✏️ | \`${c.type}\` | ${c.name} | ${c.changes.slice(0, 6).map((ch) => `\`${ch.path}\`: \`${JSON.stringify(ch.before)}\` → \`${JSON.stringify(ch.after)}\``).join("<br/>")}${c.changes.length > 6 ? `<br/>…and ${c.changes.length - 6} more` : ""} |`));
            diff.removed.forEach((r) => out.push(`| ➖ | \`${r.type}\` | ${r.name} | deleted |`));
            out.push("");
        }
    }
    out.push(...renderCostDeltaMarkdown(costDelta));
    if (plan.deployChecks) {
        out.push("#### Deploy checks", "", `What the real provider and AWS would reject (${plan.deployChecks.checked} AWS resources checked; README: Deploy checks).`, "");
        if (findings.length) {
            const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
            out.push("| rule | resource | input | value | problem | rule from |", "| --- | --- | --- | --- | --- | --- |");
            for (const f of findings) {
                out.push(`| ${f.rule} | ${shortName(f.urn)} | \`${cell(f.property)}\` | \`${cell(valueText(f.value))}\` | ${cell(f.message)} | ${cell(f.source)} |`);
            }
            out.push("");
        } else {
            out.push("No findings.", "");
        }
        out.push(...(plan.deployChecks.notes ?? []).map((n) => `> ${n}`), ...(plan.deployChecks.notes?.length ? [""] : []));
    }
    out.push("#### Policy results", "");
    if (plan.policies.pack === null) {
        out.push(plan.policies.note ?? "No policy pack installed.", "");
    } else if (plan.policies.violations.length === 0) {
        out.push(`Every rule of \`${plan.policies.pack}\` passes.`, "");
    } else {
        const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
        out.push("| level | severity | policy | resource | message | how to fix |", "| --- | --- | --- | --- | --- | --- |");
        for (const v of plan.policies.violations) {
            out.push(`| ${v.waived ? `waived: ${cell(v.waived.reason)}` : v.level} | ${v.severity} | [\`${v.policy}\`](${v.docs}) | ${shortName(v.urn)} | ${cell(v.message)} | ${cell(v.remediation)} |`);
        }
        out.push("");
    }
    if (plan.policies.waivers?.length) {
        out.push("<details><summary>Waivers</summary>", "", ...plan.policies.waivers.map((w) => `- ${waiverLine(w).replace(/\|/g, "\\|")}`), "", "</details>", "");
    }
    out.push(...renderCostMarkdown(plan.cost));
    out.push("#### Architecture", "", "```mermaid", renderMermaid(plan), "```", "");
    out.push("<details><summary>Resources by type</summary>", "", "| type | count |", "| --- | ---: |");
    for (const [type, count] of Object.entries(plan.summary.byType)) {
        out.push(`| \`${type}\` | ${count} |`);
    }
    out.push(`| **total** | **${plan.summary.total}** |`, "", "</details>", "", `<sub>${PLACEHOLDER_NOTE}</sub>`, "");
    return out.join("\n");
}
