/**
 * The Mermaid diagram of a plan's components: an arrow from A to B when a resource of component A
 * takes an input from a resource of component B, labelled by what connects them (admits on a port,
 * reads a secret, deploys, notifies, runs in), and, with a diff, the components that change marked.
 */
import type { PlanDiff } from "./diff";
import type { Plan, PlanResource } from "./plan";

export const mermaidId = (urn: string) => `n${[...urn].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7).toString(36)}`;
const mermaidText = (s: string) => s.replace(/["<>|]/g, "");

/** IAM actions to what they let a component do to another. */
const ACTION_LABELS: [RegExp, string][] = [
    [/^secretsmanager:GetSecretValue$/i, "reads a secret"],
    [/^kms:(Decrypt|GenerateDataKey)/i, "uses a key"],
    [/^ecr:/i, "pulls images"],
    [/^(ecs:(UpdateService|RegisterTaskDefinition|DescribeServices)|codedeploy:)/i, "deploys"],
    [/^iam:PassRole$/i, "deploys"],
    [/^sns:Publish$/i, "notifies"],
    [/^s3:(Put|Get)Object/i, "reads and writes objects"],
    [/^logs:/i, "writes logs"],
    [/^rds-db:connect$/i, "connects to the database"],
    [/^elasticache:Connect$/i, "connects to the cache"],
];

const NETWORK_PROPERTIES = /^(subnetIds?|subnets|vpcId|vpcConfig|networkConfiguration|subnetGroupName|dbSubnetGroupName|subnetMappings|vpcSecurityGroupIds|securityGroupIds|securityGroups)$/;

/** Labels from the statements of an IAM policy that name the dependency (all statements when none does). */
function policyLabels(r: PlanResource, depName: string | undefined): string[] {
    const doc = r.inputs.policy;
    let statements: unknown[] = [];
    try {
        const parsed = typeof doc === "string" ? JSON.parse(doc) : doc;
        statements = Array.isArray(parsed?.Statement) ? parsed.Statement : parsed?.Statement ? [parsed.Statement] : [];
    } catch {
        return [];
    }
    const naming = depName ? statements.filter((s) => JSON.stringify(s).includes(`${depName}.`)) : [];
    const actions = (naming.length ? naming : statements).flatMap((s) => {
        const a = (s as Record<string, unknown>)?.Action;
        return Array.isArray(a) ? a : a ? [a] : [];
    }).map(String);
    return [...new Set(actions.flatMap((a) => ACTION_LABELS.filter(([re]) => re.test(a)).map(([, l]) => l)))];
}

/** What a dependency through `property` of resource `r` means. */
function labelsFor(r: PlanResource, property: string | undefined, depName?: string): string[] {
    if (/securityGroup(Ingress|Egress)?Rule/i.test(r.type) && (property === "referencedSecurityGroupId" || property === "sourceSecurityGroupId" || property === undefined)) {
        const from = r.inputs.fromPort;
        const to = r.inputs.toPort;
        return [from === undefined ? "admits" : `admits on ${String(from)}${to !== undefined && to !== from ? `-${String(to)}` : ""}`];
    }
    if (/iam\/(rolePolicy|policy):/i.test(r.type)) {
        return policyLabels(r, depName);
    }
    if (/cloudwatch\/metricAlarm/i.test(r.type) && /Actions$/.test(property ?? "")) {
        return ["notifies"];
    }
    if (/codepipeline\/pipeline|codebuild\/project/i.test(r.type)) {
        return ["deploys"];
    }
    if (property && NETWORK_PROPERTIES.test(property)) {
        return ["runs in"];
    }
    if (/ecs\/taskDefinition/i.test(r.type)) {
        return ["connects to"];
    }
    if (/cloudwatch\/dashboard/i.test(r.type)) {
        return ["charts"];
    }
    return [];
}

/** The Mermaid flowchart; with a diff, changed components get the `changed` class and a count. */
export function renderMermaid(plan: Plan, diff?: PlanDiff): string {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const components = plan.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack");
    const componentUrns = new Set(components.map((c) => c.urn));
    const ownerOf = (urn: string): string | undefined => {
        for (let cur = byUrn.get(urn); cur; cur = cur.parent ? byUrn.get(cur.parent) : undefined) {
            if (componentUrns.has(cur.urn)) {
                return cur.urn;
            }
        }
        return undefined;
    };
    const edges = new Map<string, Set<string>>();
    for (const r of plan.resources) {
        const from = ownerOf(r.urn) ?? "stack";
        const via = new Map<string, string | undefined>();
        for (const [property, deps] of Object.entries(r.propertyDependencies ?? {})) {
            deps.forEach((d) => via.set(d, via.get(d) ?? property));
        }
        r.dependencies.forEach((d) => via.set(d, via.get(d)));
        for (const [dep, property] of via) {
            const to = ownerOf(dep);
            if (to && to !== from) {
                const key = `${from}|${to}`;
                const labels = edges.get(key) ?? new Set<string>();
                labelsFor(r, property, byUrn.get(dep)?.name).forEach((l) => labels.add(l));
                edges.set(key, labels);
            }
        }
    }
    const changedIn = new Map<string, number>();
    for (const c of diff?.resources ?? []) {
        const owner = ownerOf(c.urn) ?? (componentUrns.has(c.urn) ? c.urn : undefined);
        if (owner) {
            changedIn.set(owner, (changedIn.get(owner) ?? 0) + 1);
        }
    }
    const lines = ["flowchart LR"];
    for (const c of components) {
        const kind = c.type.split(":").pop() ?? c.type;
        const changed = changedIn.get(c.urn);
        lines.push(`  ${mermaidId(c.urn)}["${mermaidText(c.name)}<br/><small>${mermaidText(kind)}${changed ? ` · ${changed} changing` : ""}</small>"]`);
    }
    const standalone = plan.resources.filter((r) => r.custom && !ownerOf(r.urn));
    if (standalone.length > 0) {
        lines.push(`  stack["${mermaidText(plan.project)}/${mermaidText(plan.stack)}<br/><small>${standalone.length} stack-level resource(s)</small>"]`);
    }
    for (const [edge, labels] of [...edges].sort(([a], [b]) => a.localeCompare(b))) {
        const [from, to] = edge.split("|");
        const label = [...labels].sort().slice(0, 3).join(", ") || "uses";
        lines.push(`  ${from === "stack" ? "stack" : mermaidId(from)} -->|${mermaidText(label)}| ${mermaidId(to)}`);
    }
    if (changedIn.size > 0) {
        lines.push("  classDef changed stroke:#d97706,stroke-width:3px", `  class ${[...changedIn.keys()].map(mermaidId).join(",")} changed`);
    }
    return lines.join("\n");
}
