/**
 * The policy results in the offline preview's Markdown: a table whose cells escape `|`, so a
 * resource name, a waiver's reason or a message with a pipe stays in its column.
 */
import { expect } from "chai";
import type { Plan } from "../../preview/plan";
import { renderMarkdown } from "../../preview/render";

/** The cells of a Markdown table row: split on unescaped pipes. */
const cells = (row: string) => row.replace(/\\\|/g, "").split("|").length;

describe("policy results in Markdown", () => {
    it("keeps every row of the policy table, waived ones included, in the header's columns", () => {
        const urn = "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::logs|archive";
        const plan = {
            version: 2, project: "shop", stack: "dev", providers: [], resources: [], outputs: {}, lookups: [],
            deployChecks: { checked: 1, findings: [{ rule: "r", urn, type: "aws:s3/bucket:Bucket", property: "bucket", value: "a|b", message: "bad | value", source: "src" }] },
            policies: {
                pack: "scaling-toolkit@0.1.0",
                violations: [
                    { policy: "s3-versioning", level: "advisory", urn, message: "waived (config: kept | elsewhere): not versioned", severity: "medium",
                        remediation: "Add a | B", docs: "README.md#rule-s3-versioning", waived: { reason: "kept | elsewhere", source: "config" } },
                    { policy: "s3-access-logs", level: "mandatory", urn, message: "no logs", severity: "low", remediation: "fix", docs: "README.md#rule-s3-access-logs" },
                ],
                waivers: [{ rule: "s3-versioning", resource: urn, source: "config", reason: "kept | elsewhere", status: "active" }],
            },
            summary: { total: 0, byType: {} },
        } as unknown as Plan;
        const lines = renderMarkdown(plan).split("\n");
        for (const header of ["| level | severity | policy | resource | message | how to fix |", "| rule | resource | input | value | problem | rule from |"]) {
            const at = lines.indexOf(header);
            expect(at, header).to.be.greaterThan(-1);
            const rows = lines.slice(at + 2).filter((_, i, all) => all.slice(0, i + 1).every((l) => l.startsWith("|")));
            expect(rows.length, header).to.be.greaterThan(0);
            for (const row of rows) {
                expect(cells(row), row).to.equal(cells(header));
            }
        }
        expect(lines.some((l) => l.includes("logs\\|archive"))).to.equal(true);
    });
});
