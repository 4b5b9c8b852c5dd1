/**
 * A test harness for policy rules, yours and the pack's: build compliant and non-compliant resources
 * with the real provider SDKs (recorded offline by the same runtime as the offline preview), run
 * the rule over them with the engine's semantics, and assert.
 *
 * ```ts
 * import * as aws from "@pulumi/aws";
 * import { checkRule, Concern, resourceRule } from "scaling-toolkit/policies";
 *
 * const queuesHaveDlq = resourceRule({
 *     name: "sqs-dead-letter-queue", description: "Queues have a dead-letter queue.",
 *     why: "...", remediationSteps: "Set redrivePolicy.", concern: Concern.DataProtection,
 *     enforcementLevel: "advisory", severity: "low", types: ["aws:sqs/queue:Queue"],
 *     check: ({ props }) => props.redrivePolicy ? [] : ["no redrivePolicy"],
 * });
 *
 * it("sqs-dead-letter-queue", () => checkRule(queuesHaveDlq, {
 *     compliant: () => new aws.sqs.Queue("q", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:1:dlq", maxReceiveCount: 5 }) }),
 *     violating: () => new aws.sqs.Queue("q", {}),
 *     says: "no redrivePolicy",
 * }));
 * ```
 *
 * `checkRule` throws a `RuleTestFailure` (an `Error`, so any test framework reports it) naming the
 * rule, the fixture and what was found; it resolves with both fixtures' violations for further checks.
 */
// The recording runtime is loaded when a program is recorded, not when the policies are imported.
import type { RecordedResource, RuntimeOptions } from "../preview/runtime";
import { evaluatePolicies, EvaluateOptions, PolicyConfig, Violation } from "./evaluate";
import { Rule } from "./rule";
import { packSettings, PACK_SETTINGS } from "./rules/pack";

/** One compliant / non-compliant pair. */
export interface RuleCase {
    /** Builds resources the rule must accept (with the provider SDKs, as a Pulumi program would). */
    compliant: () => unknown;
    /** Builds resources the rule must flag. */
    violating: () => unknown;
    /** Text (or a pattern) that a violation message of the non-compliant fixture contains. */
    says?: string | RegExp;
    /** Policy config for both fixtures (levels, rule properties, `production`, `waivers`). */
    config?: PolicyConfig;
    /** Today for waiver expiry (`YYYY-MM-DD`). @default the current date */
    today?: string;
    /** Options for the recording runtime (stack config, look-ups...). */
    runtime?: RuntimeOptions;
}

export interface RuleCaseResult {
    compliant: Violation[];
    violating: Violation[];
}

/** A rule did not behave as its test case says. */
export class RuleTestFailure extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RuleTestFailure";
    }
}

/** Records `program` and returns the rule's violations over its resources (waived ones included). */
export async function violationsOfRule(rule: Rule, program: () => unknown, options: Omit<EvaluateOptions, "rules"> & { runtime?: RuntimeOptions } = {}): Promise<Violation[]> {
    const { record } = await import("../preview/runtime");
    const { graph } = await record(program, options.runtime);
    return violationsOfResources(rule, graph.resources, options);
}

/** The rule's violations over resources already recorded (or read from a plan). */
export function violationsOfResources(rule: Rule, resources: RecordedResource[], options: Omit<EvaluateOptions, "rules"> = {}): Violation[] {
    // pack-settings comes along so that `production` and waivers in the config take effect.
    const rules = rule.name === PACK_SETTINGS ? [rule] : [packSettings as Rule, rule];
    return evaluatePolicies(resources, { ...options, rules }).violations.filter((v) => v.policy === rule.name);
}

const describe = (found: Violation[]) => found.map((v) => `  [${v.level}${v.waived ? ", waived" : ""}] ${v.resourceName ?? "(stack)"}: ${v.message}`).join("\n");

/**
 * Asserts that the rule passes the compliant fixture and flags the non-compliant one, at the rule's
 * level (unwaived), with a message containing `says`.
 */
export async function checkRule(rule: Rule, c: RuleCase): Promise<RuleCaseResult> {
    const options = { config: c.config, today: c.today, runtime: c.runtime };
    const compliant = await violationsOfRule(rule, c.compliant, options);
    if (compliant.length > 0) {
        throw new RuleTestFailure(`${rule.name}: the compliant fixture has ${compliant.length} violation(s):\n${describe(compliant)}`);
    }
    const violating = await violationsOfRule(rule, c.violating, options);
    if (violating.length === 0) {
        throw new RuleTestFailure(`${rule.name}: the non-compliant fixture passes`);
    }
    const expectedLevel = (c.config?.all as string | undefined) === undefined && c.config?.[rule.name] === undefined ? rule.enforcementLevel : undefined;
    const wrong = violating.filter((v) => v.waived || (expectedLevel !== undefined && !v.unknown && v.level !== expectedLevel));
    if (wrong.length > 0) {
        throw new RuleTestFailure(`${rule.name}: expected unwaived ${expectedLevel ?? "violations"}, found:\n${describe(wrong)}`);
    }
    if (c.says !== undefined) {
        const matches = (m: string) => typeof c.says === "string" ? m.includes(c.says) : c.says!.test(m);
        if (!violating.some((v) => matches(v.message))) {
            throw new RuleTestFailure(`${rule.name}: no violation says ${String(c.says)}; found:\n${describe(violating)}`);
        }
    }
    return { compliant, violating };
}
