/**
 * Policy assertions over a recorded graph: run the pack's rules offline (exactly what the offline
 * preview and `npm run policy:check` do) and assert on the violations.
 */
import { expect } from "chai";
import { evaluatePolicies, EvaluateOptions, PolicyReport, Violation } from "../../policies/evaluate";
import { Graph, RecordedResource } from "../../preview/runtime";

export type { PolicyReport, Violation };

function resourcesOf(graph: Graph | RecordedResource[]): RecordedResource[] {
    return Array.isArray(graph) ? graph : graph.resources;
}

/** Evaluates every rule of the pack over a recorded graph. */
export function evaluate(graph: Graph | RecordedResource[], options: EvaluateOptions = {}): PolicyReport {
    return evaluatePolicies(resourcesOf(graph), options);
}

/** Unwaived mandatory violations, as "rule: resource: message" lines (readable in failures). */
export function blockingOf(report: PolicyReport): string[] {
    return report.violations.filter((v) => v.level === "mandatory" && !v.waived).map((v) => `${v.policy}: ${v.resourceName ?? "(stack)"}: ${v.message}`);
}

/** Asserts the graph passes every mandatory rule (production rules included when `production`). */
export function expectCompliant(graph: Graph | RecordedResource[], options: EvaluateOptions = {}): PolicyReport {
    const report = evaluate(graph, options);
    expect(blockingOf(report), "mandatory policy violations").to.deep.equal([]);
    return report;
}

/** The violations of one rule (waived ones included). */
export function violationsOf(graph: Graph | RecordedResource[], rule: string, options: EvaluateOptions = {}): Violation[] {
    return evaluate(graph, options).violations.filter((v) => v.policy === rule);
}
