/**
 * The policy section of a plan: the toolkit's policy pack evaluated on the recorded resources, with
 * the same rules, levels and waivers `pulumi preview --policy-pack policies` applies.
 */
import { evaluatePolicies, PolicyConfig, WaiverSummary } from "../policies/evaluate";
import packageJson from "../policies/package.json";
import { PACK_NAME } from "../policies/engine";
import * as fs from "fs";
import * as path from "path";
import { RecordedResource } from "./runtime";

export interface PolicyViolation {
    policy: string;
    /** "mandatory" fails the preview; "advisory" is reported only. */
    level: string;
    urn: string;
    message: string;
    /** critical, high, medium or low. */
    severity: string;
    /** How to fix it. */
    remediation: string;
    /** Where the rule is documented (README anchor). */
    docs: string;
    /** Set when a written waiver covers this violation: reported, never dropped. */
    waived?: { reason: string; source?: string; owner?: string; expires?: string };
    /** Set when the waiver that covered it has expired: it counts again. */
    waiverExpired?: { expires: string; reason: string; owner?: string };
}

export interface PolicySection {
    /** The pack that ran (`name@version`), or null when none ran. */
    pack: string | null;
    note?: string;
    /** Rules that ran, with their enforcement level. */
    rules?: { name: string; level: string }[];
    violations: PolicyViolation[];
    /** Every waiver declared, with whether it waives (active, expired, invalid, unused). */
    waivers?: WaiverSummary[];
}

/** Evaluates the policy pack on a recorded graph. */
export function evaluatePlanPolicies(resources: RecordedResource[], config?: PolicyConfig): PolicySection {
    const report = evaluatePolicies(resources.filter((r) => !r.type.startsWith("pulumi:providers:")), { config });
    return {
        pack: `${PACK_NAME}@${packageJson.version}`,
        rules: report.policies.map((p) => ({ name: p.name, level: p.level })),
        violations: report.violations.map((v) => ({
            policy: v.policy,
            level: v.level,
            urn: v.urn,
            message: v.message,
            severity: v.severity,
            remediation: v.remediation,
            docs: v.docs,
            ...(v.waived ? { waived: { reason: v.waived.reason, source: v.waived.source, owner: v.waived.owner, expires: v.waived.expires } } : {}),
            ...(v.waiverExpired ? { waiverExpired: { expires: v.waiverExpired.expires, reason: v.waiverExpired.reason, owner: v.waiverExpired.owner } } : {}),
        })),
        waivers: report.waivers,
    };
}

/** Violations that fail the preview (mandatory and not waived). */
export function blockingViolations(section: PolicySection): PolicyViolation[] {
    return section.violations.filter((v) => v.level === "mandatory" && !v.waived);
}

/**
 * The plan's policy findings as SARIF 2.1.0, pointing at the stack's config file
 * (`<stackConfigDir>/Pulumi.<stack>.yaml`, relative to the working directory, which CI runs at the repository root).
 */
export function planSarif(plan: { stack: string; policies: PolicySection }, stackConfigDir: string): string {
    const file = ["yaml", "yml"].map((ext) => path.join(stackConfigDir, `Pulumi.${plan.stack}.${ext}`)).find((f) => fs.existsSync(f))
        ?? path.join(stackConfigDir, `Pulumi.${plan.stack}.yaml`);
    const levels = Object.fromEntries((plan.policies.rules ?? []).map((r) => [r.name, r.level]));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for --sarif only
    const { sarifText } = require("../policies/sarif") as typeof import("../policies/sarif");
    return sarifText(plan.policies.violations, { artifact: path.relative(process.cwd(), file), stack: plan.stack, levels });
}
