/**
 * The pull-request comment of a plan diffed against the base branch's plan. It fits GitHub's limit
 * (65,536 characters) on any stack: what decides a review comes first (summary, data loss, deploy
 * checks, policy results, the change table), details follow in collapsed `<details>` sections, and
 * when something must be cut the comment says what and points at the full report (the workflow's
 * `offline-preview` artifact).
 */
import { blockingDataLoss } from "./diff/dataLoss";
import { countsLine, formatChange, opMark, opWords, reasonSources } from "./diff/format";
import type { PlanDiff } from "./diff";
import { outputLines, providerLine } from "./diff/text";
import { renderMermaid } from "./diagram";
import type { Plan } from "./plan";
import { blockingViolations } from "./policies";

/** GitHub refuses issue and pull-request comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65536;

export interface CommentOptions {
    /** Most characters the comment may have. @default GITHUB_COMMENT_LIMIT */
    limit?: number;
    /** The policy results section (Markdown lines), as render.ts writes it. */
    policies: string[];
    /** Sections placed right after the data-loss findings, before the policy results (deploy checks, the cost change), each named for the cut note. */
    leading?: { label: string; rows: string[] }[];
    /** The note at the end (placeholders, secrets). */
    footnote: string;
    /** Where the full report is, named when the comment is cut. */
    fullReport?: string;
}

interface Section {
    head: string[];
    rows: string[];
    tail: string[];
    /** Kept (rows cut if needed) before any optional section. */
    required?: boolean;
    /** Named in the cut note when left out. */
    label: string;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, "<br/>");
const OP_ICON: Record<string, string> = { create: "➕", update: "✏️", replace: "♻️", delete: "🗑️" };
const LINE_LIMIT = 400;

function dataLossSection(diff: PlanDiff): Section | undefined {
    if (diff.dataLoss.length === 0) {
        return undefined;
    }
    return {
        label: "data-loss findings",
        required: true,
        head: ["#### ⚠️ Data at risk", "", "| level | resource | what happens |", "| --- | --- | --- |"],
        rows: diff.dataLoss.map((f) => `| ${f.level === "mandatory" ? "❌ mandatory" : "advisory"} | \`${f.type}\` ${cell(f.name)} | ${cell(f.message)} |`),
        tail: ["", "Mandatory in production unless waived with a written reason (rule `data-loss`: policy config `waivers`, tag `scaling-toolkit:waive:data-loss`); advisory elsewhere.", ""],
    };
}

function changesSection(diff: PlanDiff): Section {
    if (diff.resources.length === 0) {
        return { label: "changes", required: true, head: ["#### Changes", "", "No changes.", ""], rows: [], tail: [] };
    }
    return {
        label: "rows of the change table",
        required: true,
        head: ["#### Changes", "", "| | resource | type | what happens |", "| --- | --- | --- | --- |"],
        rows: diff.resources.map((c) => {
            const flags = [c.protect ? "🔒 protect" : "", c.retainOnDelete ? "retainOnDelete" : ""].filter(Boolean).join(", ");
            const sources = reasonSources(c).map((s) => `<sub>${cell(s)}</sub>`).join("<br/>");
            return `| ${OP_ICON[c.op]} \`${opMark(c)}\` | ${cell(c.name)} | \`${c.type}\` | ${cell(opWords(c))}${flags ? ` · ${flags}` : ""}${sources ? `<br/>${sources}` : ""} |`;
        }),
        tail: [""],
    };
}

function propertySection(diff: PlanDiff): Section | undefined {
    const changed = diff.resources.filter((c) => c.changes.length > 0);
    if (changed.length === 0) {
        return undefined;
    }
    return {
        label: "property changes",
        head: [`<details><summary>Property changes of ${changed.length} resource(s)</summary>`, ""],
        rows: changed.map((c) => [`**${opMark(c)} ${cell(c.name)}** (\`${c.type}\`): ${cell(opWords(c))}`, "```", ...c.changes.map((ch) => formatChange(ch).slice(0, LINE_LIMIT)), "```", ""].join("\n")),
        tail: ["</details>", ""],
    };
}

function partitioningSections(diff: PlanDiff): Section[] {
    return diff.partitioning.flatMap((p) => [
        { label: `partitioning changes of ${p.name}`, required: true, head: [`#### Partitioning of ${cell(p.name)}`, ""], rows: p.changes.map((c) => `- ${c}`), tail: [""] },
        ...(p.sqlDiff ? [{ label: `the SQL diff of ${p.name}`, head: ["<details><summary>SQL diff</summary>", "", "```diff"], rows: p.sqlDiff.split("\n"), tail: ["```", "", "</details>", ""] }] : []),
    ]);
}

function outputsSection(plan: Plan, diff: PlanDiff): Section {
    const changes = diff.outputs.map((o) => `- \`${cell(formatChange(o).slice(0, LINE_LIMIT))}\``);
    return {
        label: "stack outputs",
        head: [`<details><summary>Stack outputs (${diff.outputs.length} changed)</summary>`, "", ...(changes.length ? ["Changed:", ""] : ["No output changes.", ""])],
        rows: [...changes, ...(changes.length ? [""] : []), "All outputs:", "", "```", ...outputLines(plan.outputs).map((l) => l.slice(0, LINE_LIMIT)), "```"],
        tail: ["", "</details>", ""],
    };
}

/** Fits sections into `budget` characters: whole, else with rows cut, else left out. */
function fit(sections: Section[], budget: number): { text: string[]; cut: string[] } {
    const size = (lines: string[]) => lines.reduce((n, l) => n + l.length + 1, 0);
    const out: string[] = [];
    const cut: string[] = [];
    let used = 0;
    const ordered = [...sections.filter((s) => s.required), ...sections.filter((s) => !s.required)];
    const placed = new Map<Section, string[]>();
    const frameOf = (s: Section) => size(s.head) + size(s.tail) + size(s.rows.slice(0, 3)) + 100;
    ordered.forEach((s, i) => {
        // What later required sections need at least (their frame and first rows) stays free.
        const reserved = ordered.slice(i + 1).filter((x) => x.required).reduce((n, x) => n + frameOf(x), 0);
        const room = budget - reserved;
        const whole = [...s.head, ...s.rows, ...s.tail];
        if (used + size(whole) <= room) {
            placed.set(s, whole);
            used += size(whole);
            return;
        }
        const frame = size(s.head) + size(s.tail) + 80;
        if (s.rows.length === 0 || used + frame > room) {
            cut.push(s.label);
            return;
        }
        const rows: string[] = [];
        for (const r of s.rows) {
            if (used + frame + size(rows) + r.length + 1 > room) {
                break;
            }
            rows.push(r);
        }
        const left = s.rows.length - rows.length;
        const lines = [...s.head, ...rows, ...(left ? [`*…${left} more left out here: see the full report.*`] : []), ...s.tail];
        placed.set(s, lines);
        used += size(lines);
        cut.push(`${left} of ${s.rows.length} ${s.label}`);
    });
    for (const s of sections) {
        out.push(...(placed.get(s) ?? []));
    }
    return { text: out, cut };
}

/** The pull-request comment for a plan diffed against the base branch. */
export function renderComment(plan: Plan, diff: PlanDiff, marker: string, options: CommentOptions): string {
    const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
    const blocking = blockingViolations(plan.policies).length;
    const loss = blockingDataLoss(diff.dataLoss).length;
    const status = [
        loss ? `❌ ${loss} data-loss finding(s) in production` : diff.dataLoss.length ? `⚠️ ${diff.dataLoss.length} advisory data-loss finding(s)` : "✅ no data at risk",
        ...(plan.deployChecks ? [plan.deployChecks.findings.length ? `❌ ${plan.deployChecks.findings.length} deploy-check finding(s)` : "✅ deploy checks pass"] : []),
        plan.policies.pack === null ? "⚪ policies not evaluated" : blocking ? `❌ ${blocking} mandatory policy violation(s)` : "✅ no mandatory policy violations",
        ...(plan.cost?.budget ? [plan.cost.budget.exceeded ? `❌ over the monthly budget: ${plan.cost.budget.message}` : "✅ within the monthly budget"] : []),
    ].join(" · ");
    const head = [marker, `### Offline preview: \`${plan.project}/${plan.stack}\``, "", `**Against the base branch:** ${countsLine(diff)}`, "", status, ""];
    const sections: Section[] = [];
    const dataLoss = dataLossSection(diff);
    if (dataLoss) {
        sections.push(dataLoss);
    }
    for (const block of options.leading ?? []) {
        sections.push({ label: block.label, required: true, head: [], rows: block.rows, tail: [""] });
    }
    sections.push({ label: "policy results", required: true, head: [], rows: options.policies, tail: [] });
    sections.push(changesSection(diff), ...partitioningSections(diff));
    const property = propertySection(diff);
    if (property) {
        sections.push(property);
    }
    sections.push(outputsSection(plan, diff));
    sections.push({ label: "providers", head: ["<details><summary>Where resources go</summary>", ""], rows: (plan.providers ?? []).map((p) => `- ${cell(providerLine(p))}`), tail: ["", "</details>", ""] });
    sections.push({ label: "the architecture diagram", head: ["#### Architecture (components that change are outlined)", ""], rows: ["```mermaid", renderMermaid(plan, diff), "```"], tail: [""] });
    sections.push({
        label: "resources by type",
        head: ["<details><summary>Resources by type</summary>", "", "| type | count |", "| --- | ---: |"],
        rows: [...Object.entries(plan.summary.byType).map(([type, count]) => `| \`${type}\` | ${count} |`), `| **total** | **${plan.summary.total}** |`],
        tail: ["", "</details>", ""],
    });
    const foot = ["", `<sub>${options.footnote}</sub>`, ""];
    const reserve = 700;
    const size = (lines: string[]) => lines.join("\n").length + 1;
    const { text, cut } = fit(sections, limit - size(head) - size(foot) - reserve);
    const note = cut.length
        ? ["", `> ✂️ **Cut to fit ${limit === GITHUB_COMMENT_LIMIT ? "GitHub's " : ""}${limit.toLocaleString("en-US")}-character comment limit:** left out ${cut.join("; ")}. ` +
            `The full report is ${options.fullReport ?? "in the workflow run's `offline-preview` artifact"}.`, ""]
        : [];
    const body = [...head, ...text, ...note, ...foot].join("\n");
    return body.length > limit ? `${body.slice(0, limit - 200)}\n\n> ✂️ Cut at the comment limit; the full report is in the workflow artifact.\n` : body;
}

