/**
 * The policy section of a plan. The offline preview evaluates the toolkit's policy pack on the
 * recorded resources, with the same rules `pulumi preview --policy-pack policies` runs.
 */
import { RecordedResource } from "./runtime";

export interface PolicyViolation {
    policy: string;
    /** "mandatory" fails the preview; "advisory" is reported only. */
    level: string;
    urn: string;
    message: string;
    /** Set when a written waiver covers this violation: reported, never dropped. */
    waived?: { reason: string };
}

export interface PolicySection {
    /** The pack that ran, or null when none is installed. */
    pack: string | null;
    note?: string;
    violations: PolicyViolation[];
}

/** Evaluates the policy pack on a recorded graph. */
export function evaluatePlanPolicies(_resources: RecordedResource[], _config?: Record<string, unknown>): PolicySection {
    return { pack: null, note: "no policy pack is installed yet: policies were not evaluated", violations: [] };
}

/** Violations that fail the preview (mandatory and not waived). */
export function blockingViolations(section: PolicySection): PolicyViolation[] {
    return section.violations.filter((v) => v.level === "mandatory" && !v.waived);
}
