/**
 * `npm run policy:check -- <resources.json|plan.json> [--json] [--config <policy-config.json>] [--sarif <results.sarif>]`
 *
 * Evaluates the pack offline over a JSON array of resources in the offline preview's shape
 * (`{ urn, type, name, parent?, inputs, dependencies?, propertyDependencies? }`) or a plan file
 * with such an array in `resources`. Exit codes: 0 clean (advisory findings and waived violations
 * allowed), 1 unwaived mandatory violations, 2 unreadable input or config.
 */
import * as fs from "fs";
import * as path from "path";
import { blocking, evaluatePolicies, PolicyConfig, PolicyConfigError, PolicyReport, PolicyResource, waiverLine } from "./evaluate";
import { sarifText } from "./sarif";

export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_UNREADABLE = 2;

class InputError extends Error {}

function readJson(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new InputError(`cannot read ${what} ${file}: ${(err as Error).message}`);
    }
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new InputError(`${what} ${file} is not JSON: ${(err as Error).message}`);
    }
}

/** The resources of a resource list or plan file; throws InputError when the shape is wrong. */
export function resourcesFrom(doc: unknown, file: string): PolicyResource[] {
    const list = Array.isArray(doc) ? doc : (doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>).resources : undefined);
    if (!Array.isArray(list)) {
        throw new InputError(`${file}: expected a JSON array of resources or a plan with a "resources" array`);
    }
    list.forEach((r, i) => {
        const ok = r !== null && typeof r === "object" && ["urn", "type", "name"].every((k) => typeof (r as Record<string, unknown>)[k] === "string")
            && typeof (r as Record<string, unknown>).inputs === "object";
        if (!ok) {
            throw new InputError(`${file}: resources[${i}] is not a resource (needs string urn, type and name, and an inputs object)`);
        }
    });
    return list as PolicyResource[];
}

/** Human-readable report lines: each finding with its severity, fix and docs; then every waiver. */
export function formatReport(report: PolicyReport): string[] {
    const lines = report.violations.flatMap((v) => {
        const tag = v.waived ? "waived" : v.level;
        const where = v.resourceName ? `${v.resourceName} (${v.resourceType})` : v.urn || "(stack)";
        return [`[${tag}/${v.severity}] ${v.policy}: ${where}: ${v.message}`, `    fix: ${v.remediation} (${v.docs})`];
    });
    if (report.waivers.length > 0) {
        lines.push(`Waivers (${report.waivers.length}):`, ...report.waivers.map((w) => `  ${waiverLine(w)}`));
    }
    const count = (pred: (v: PolicyReport["violations"][number]) => boolean) => report.violations.filter(pred).length;
    lines.push(`${blocking(report).length} mandatory, ${count((v) => v.level === "advisory" && !v.waived)} advisory, ${count((v) => v.waived !== undefined)} waived; ${report.policies.filter((p) => p.level !== "disabled").length} of ${report.policies.length} rules enabled${report.settings.production ? " (production)" : ""}`);
    return lines;
}

/** Runs the CLI; returns the exit code. */
export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
    const json = argv.includes("--json");
    const valueOf = (flag: string) => argv.indexOf(flag) >= 0 ? argv[argv.indexOf(flag) + 1] : undefined;
    const valued = new Set(["--config", "--sarif"].map((f) => argv.indexOf(f)).filter((i) => i >= 0).map((i) => i + 1));
    const configFile = valueOf("--config");
    const sarifFile = valueOf("--sarif");
    const files = argv.filter((a, i) => !a.startsWith("--") && !valued.has(i));
    const missingValue = ["--config", "--sarif"].some((f) => argv.includes(f) && (valueOf(f) === undefined || valueOf(f)!.startsWith("--")));
    if (files.length !== 1 || missingValue) {
        err("usage: npm run policy:check -- <resources.json|plan.json> [--json] [--config <policy-config.json>] [--sarif <results.sarif>]");
        return EXIT_UNREADABLE;
    }
    try {
        const doc = readJson(files[0], "resource file");
        const resources = resourcesFrom(doc, files[0]);
        const planConfig = !Array.isArray(doc) && doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>).policyConfig : undefined;
        const config = (configFile !== undefined ? readJson(configFile, "policy config") : planConfig ?? {}) as PolicyConfig;
        if (config === null || typeof config !== "object" || Array.isArray(config)) {
            throw new InputError("the policy config must be a JSON object");
        }
        const report = evaluatePolicies(resources, { config });
        if (sarifFile !== undefined) {
            const stack = !Array.isArray(doc) && typeof (doc as Record<string, unknown>).stack === "string" ? (doc as Record<string, string>).stack : undefined;
            const levels = Object.fromEntries(report.policies.map((p) => [p.name, p.level]));
            fs.writeFileSync(sarifFile, sarifText(report.violations, { artifact: path.relative(process.cwd(), path.resolve(files[0])), stack, levels }));
        }
        if (json) {
            out(JSON.stringify(report, null, 2));
        } else {
            formatReport(report).forEach((l) => out(l));
        }
        return blocking(report).length > 0 ? EXIT_VIOLATIONS : EXIT_OK;
    } catch (e) {
        if (e instanceof InputError || e instanceof PolicyConfigError) {
            err(`policy:check: ${e.message}`);
            return EXIT_UNREADABLE;
        }
        throw e;
    }
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
