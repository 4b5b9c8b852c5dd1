/**
 * Where a plan's resources go: the providers a program configured (region, account, Kubernetes
 * cluster and context) and the default ones the engine would create from the stack's config.
 * Secrets (a kubeconfig, keys) are never copied: only whether they are set.
 */
import { RecordedLookup, RecordedResource, Secret } from "./runtime";

export interface PlanProvider {
    /** The provider's logical name; `default` for the one the engine creates from config. */
    name: string;
    /** The package: `aws`, `kubernetes`, `random`... */
    package: string;
    /** AWS: the region. */
    region?: string;
    /** AWS: the account (allowed account ids, or the account of the assumed role, or the offline caller's placeholder). */
    account?: string;
    /** AWS: the role assumed. */
    assumeRole?: string;
    /** Kubernetes: the kubeconfig context, cluster and default namespace. */
    context?: string;
    cluster?: string;
    namespace?: string;
    /** Kubernetes: where the kubeconfig comes from (never its content). */
    kubeconfig?: string;
}

const plain = (v: unknown): string | undefined => (v === undefined || v === null || v instanceof Secret ? undefined : typeof v === "string" ? v : JSON.stringify(v));
const accountOfArn = (arn: string | undefined) => (arn ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] : undefined);

function describe(name: string, pkg: string, inputs: Record<string, unknown>, callerAccount: string | undefined): PlanProvider {
    const out: PlanProvider = { name, package: pkg };
    if (pkg === "aws") {
        const roles = Array.isArray(inputs.assumeRoles) ? inputs.assumeRoles : inputs.assumeRole ? [inputs.assumeRole] : [];
        const role = plain((roles[0] as Record<string, unknown> | undefined)?.roleArn);
        const allowed = Array.isArray(inputs.allowedAccountIds) ? inputs.allowedAccountIds.map(plain).filter(Boolean).join(", ") : undefined;
        out.region = plain(inputs.region);
        out.account = allowed || accountOfArn(role) || callerAccount;
        if (role) {
            out.assumeRole = role;
        }
    } else if (pkg === "kubernetes") {
        out.context = plain(inputs.context);
        out.cluster = plain(inputs.cluster);
        out.namespace = plain(inputs.namespace);
        out.kubeconfig = inputs.kubeconfig === undefined ? "the ambient kubeconfig (KUBECONFIG or ~/.kube/config)" : inputs.kubeconfig instanceof Secret ? "set from config (secret)" : "set";
    }
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as PlanProvider;
}

/** The package of a resource type token (`aws:ec2/vpc:Vpc` -> `aws`), or of a provider type. */
export const packageOf = (type: string) => (type.startsWith("pulumi:providers:") ? type.slice("pulumi:providers:".length) : type.split(":")[0]);

/** The provider name a resource's recorded provider reference (`<urn>::<id>`) points at. */
export function providerName(reference: string | undefined): string | undefined {
    if (!reference) {
        return undefined;
    }
    const urn = reference.split("::").slice(0, -1).join("::");
    return urn.split("::").pop();
}

/** The providers a plan's resources use: explicit ones as configured, default ones from config. */
export function describeProviders(resources: RecordedResource[], config: Record<string, unknown>, lookups: RecordedLookup[]): PlanProvider[] {
    const caller = lookups.find((l) => l.token === "aws:index/getCallerIdentity:getCallerIdentity")?.result.accountId;
    const callerAccount = typeof caller === "string" ? caller : undefined;
    const explicit = resources.filter((r) => r.type.startsWith("pulumi:providers:"));
    const out = explicit.map((p) => describe(p.name, packageOf(p.type), p.inputs, callerAccount));
    const usingDefault = new Set(resources.filter((r) => r.custom && !r.provider && !r.type.startsWith("pulumi:")).map((r) => packageOf(r.type)));
    for (const pkg of [...usingDefault].sort()) {
        const fromConfig = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith(`${pkg}:`)).map(([k, v]) => [k.slice(pkg.length + 1), v]));
        if (pkg === "aws" && fromConfig.region === undefined) {
            fromConfig.region = "us-east-1";
        }
        out.push(describe("default", pkg, fromConfig, callerAccount));
    }
    return out.sort((a, b) => a.package.localeCompare(b.package) || a.name.localeCompare(b.name));
}
