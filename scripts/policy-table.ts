/**
 * `npm run docs:policies`: prints the README's policy rule table from the rules themselves (name with
 * its docs anchor, concern, description, default level, severity, Checkov and cdk-nag ids).
 * A test checks the README contains exactly this table.
 */
import { referencesOf } from "../policies/references";
import { ALL_RULES } from "../policies/rules";

const ids = (list: string[]) => list.length > 0 ? list.map((id) => `\`${id}\``).join(", ") : "—";

export function policyTable(): string {
    const rows = ALL_RULES.map((r) => {
        const refs = referencesOf(r.name);
        return `| <a id="rule-${r.name}"></a>\`${r.name}\` | ${r.concern} | ${r.description.replace(/\|/g, "\\|")} | ${r.enforcementLevel} | ${r.severity} | ${ids(refs.checkov)} | ${ids(refs.cdkNag)} |`;
    });
    return ["| rule | concern | what it checks | default level | severity | Checkov | cdk-nag |", "| --- | --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

if (require.main === module) {
    console.log(policyTable());
}
