/**
 * Policy findings as a SARIF 2.1.0 log, for GitHub code scanning (`github/codeql-action/upload-sarif`)
 * and any other SARIF viewer. Written by `npm run policy:check -- --sarif <file>` and by the offline
 * preview's `--sarif <file>`.
 *
 * What code scanning needs, and how it is met:
 * - `runs[].tool.driver` with `name`, `version` and `rules` (id, short/full description, help,
 *   `properties.security-severity` for the severity GitHub shows, `properties.tags`);
 * - per result: `ruleId`, `message.text`, and a `locations[].physicalLocation` with a repository-relative
 *   `artifactLocation.uri` and a `region`: infrastructure findings have no source line, so each points
 *   at the file that declares the stack (its `Pulumi.<stack>.yaml`), line 1, and names the resource
 *   as a `logicalLocation` (its URN);
 * - `partialFingerprints` that keep an alert stable across runs (rule + resource URN), since every
 *   result of a stack shares that one line;
 * - `runAutomationDetails.id` (`scaling-toolkit/<stack>/`) so each stack is its own analysis category.
 * Waived findings are kept, as suppressed results (`inSource` for tags and annotations, `external`
 * for config waivers) with the reason as justification.
 */
import { createHash } from "crypto";
import packageJson from "./package.json";
import { PACK_NAME } from "./engine";
import { docsAnchor, Rule } from "./rule";
import { ALL_RULES } from "./rules";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** The CVSS-like score GitHub reads from `security-severity` to rank alerts (its bands: >= 9 critical, >= 7 high, >= 4 medium). */
const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** A finding in the shape both the offline report and a plan's policy section have. */
export interface SarifFinding {
    policy: string;
    level: string;
    urn: string;
    message: string;
    resourceName?: string;
    resourceType?: string;
    waived?: { reason: string; source?: string };
}

export interface SarifOptions {
    /** The file the findings point at, relative to the repository root. @default "Pulumi.yaml" */
    artifact?: string;
    /** The stack, for the analysis category. @default "default" */
    stack?: string;
    /** Rule levels in effect (name -> level); rules not listed keep their default. */
    levels?: Record<string, string>;
    /** The rules to describe. @default every rule of the pack */
    rules?: Rule[];
}

const sarifLevel = (level: string) => level === "mandatory" ? "error" : level === "disabled" ? "none" : "warning";

function fingerprint(...parts: string[]): string {
    return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** The findings as a SARIF 2.1.0 log (one run). */
export function toSarif(findings: SarifFinding[], options: SarifOptions = {}): object {
    const rules = options.rules ?? ALL_RULES;
    const artifact = (options.artifact ?? "Pulumi.yaml").split("\\").join("/");
    const index = new Map(rules.map((r, i) => [r.name, i]));
    const driverRules = rules.map((r) => ({
        id: r.name,
        name: r.name.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(""),
        shortDescription: { text: r.description },
        fullDescription: { text: `${r.description} ${r.why}` },
        help: { text: `${r.remediationSteps} (${docsAnchor(r.name)})`, markdown: `**Why:** ${r.why}\n\n**Fix:** ${r.remediationSteps}\n\nSee \`${docsAnchor(r.name)}\`.` },
        defaultConfiguration: { level: sarifLevel(options.levels?.[r.name] ?? r.enforcementLevel), enabled: (options.levels?.[r.name] ?? r.enforcementLevel) !== "disabled" },
        properties: { "security-severity": SECURITY_SEVERITY[r.severity], severity: r.severity, tags: ["security", "infrastructure", r.concern], precision: "high" },
    }));
    const results = findings.map((f) => {
        const resource = f.urn ? f.urn.split("::").pop() ?? f.urn : "(stack)";
        return {
            ruleId: f.policy,
            ...(index.has(f.policy) ? { ruleIndex: index.get(f.policy) } : {}),
            level: f.waived ? "note" : f.level === "mandatory" ? "error" : "warning",
            message: { text: `${resource}${f.resourceType ? ` (${f.resourceType})` : ""}: ${f.message}` },
            locations: [{
                physicalLocation: { artifactLocation: { uri: artifact }, region: { startLine: 1 } },
                logicalLocations: [{ name: f.resourceName ?? resource, fullyQualifiedName: f.urn || `${options.stack ?? "default"}::(stack)`, kind: "resource" }],
            }],
            partialFingerprints: {
                primaryLocationLineHash: fingerprint(f.policy, f.urn),
                "scalingToolkitFinding/v1": fingerprint(f.policy, f.urn, f.message),
            },
            ...(f.waived ? { suppressions: [{ kind: f.waived.source === "config" ? "external" : "inSource", status: "accepted", justification: f.waived.reason }] } : {}),
        };
    });
    return {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: PACK_NAME, version: packageJson.version, semanticVersion: packageJson.version, rules: driverRules } },
            automationDetails: { id: `${PACK_NAME}/${options.stack ?? "default"}/` },
            results,
            columnKind: "unicodeCodePoints",
        }],
    };
}

/** The SARIF log as the text of a file. */
export function sarifText(findings: SarifFinding[], options: SarifOptions = {}): string {
    return `${JSON.stringify(toSarif(findings, options), null, 2)}\n`;
}
