/**
 * `npm run facts:replacement`: which property changes replace a resource, as the providers' source
 * says, mapped to the property paths the offline preview's plan records.
 *
 * Input: scripts/sources/replacement-sources.json, the attributes each provider marks as forcing a
 * new resource (terraform-provider-aws `ForceNew` / `RequiresReplace`, terraform-provider-random
 * `RequiresReplace`, pulumi-kubernetes `forceNewProperties`), each with the repository, file and
 * commit it was read from.
 * Output: preview/diff/replacement-facts.json, shipped with the preview.
 *
 * Terraform names become Pulumi names as the bridge names them (snake_case to camelCase, list blocks
 * pluralised), checked against the Args interfaces and nested input types in node_modules/@pulumi/aws
 * (node_modules/@pulumi/random for the random provider): a name the SDK does not have is listed under
 * `unmatched` instead of being guessed. Type tokens are checked against the SDKs' `__pulumiType`.
 *
 * `--check` compares the generated JSON with the committed file and fails when it is stale.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const SOURCES = path.join(ROOT, "scripts", "sources", "replacement-sources.json");
export const FACTS_FILE = path.join(ROOT, "preview", "diff", "replacement-facts.json");

interface AwsSource {
    terraform: string;
    token: string;
    path: string;
    commit: string;
    framework?: boolean;
    partial?: string;
    forceNew: string[];
    conditional?: Record<string, string>;
    replaceOnSwitch?: { attributes: string[]; why: string };
    /** Top-level attributes pulumi-aws renames (its resources.go `Fields`). */
    pulumiNames?: Record<string, string>;
    pulumiNamesSource?: string;
}

interface KubernetesKind {
    group: string;
    versions: string[];
    kind: string;
    properties: string[];
    labelSelectors?: string[];
    containers?: string[];
}

/** The resources read from one Terraform provider bridged by a Pulumi package. */
interface TerraformSection {
    repo: string;
    resources: AwsSource[];
}

interface Sources {
    terraformProviderAws: TerraformSection;
    terraformProviderRandom?: TerraformSection;
    pulumiKubernetes: { repo: string; path: string; commit: string; everyKind: string[]; labelSelector: string[]; container: string[]; kinds: KubernetesKind[] };
}

/** The facts of one resource type: property path (dotted, no indices) to where it came from. */
export interface TypeFacts {
    source: string;
    /** Property paths whose change replaces the resource, to the provider's own attribute name. */
    forceNew: Record<string, string>;
    /** Property paths that replace only in some cases (a CustomizeDiff), with the provider's reason. */
    conditional?: Record<string, string>;
    /** Replaced when the one set attribute among these changes to another. */
    replaceOnSwitch?: { properties: string[]; why: string };
    partial?: string;
}

export interface ReplacementFacts {
    generatedBy: string;
    types: Record<string, TypeFacts>;
    /** Provider attributes (or kinds) with no counterpart in the installed SDKs, so not used. */
    unmatched: string[];
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

function walk(dir: string, out: string[] = []): string[] {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            walk(full, out);
        } else if (entry.name.endsWith(".js")) {
            out.push(full);
        }
    }
    return out;
}

/** Every `__pulumiType` token a package's JavaScript declares. */
function pulumiTypes(pkgDir: string, files: string[]): Set<string> {
    const tokens = new Set<string>();
    for (const file of files.map((f) => path.join(pkgDir, f))) {
        const m = fs.existsSync(file) ? /static __pulumiType = '([^']+)'/.exec(fs.readFileSync(file, "utf8")) : null;
        if (m) {
            tokens.add(m[1]);
        }
    }
    return tokens;
}

/** The body of `interface <name> {` ... `}` after `from` in a .d.ts text, by indentation. */
function interfaceBody(text: string, name: string, from = 0): string | undefined {
    const re = new RegExp(`\\n(\\s*)(?:export )?interface ${name} \\{\\n`, "g");
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) {
        return undefined;
    }
    const end = text.indexOf(`\n${m[1]}}`, m.index + m[0].length - 1);
    return text.slice(m.index + m[0].length, end);
}

/** Property name -> declared type text, for an interface body. */
function properties(body: string): Map<string, string> {
    const props = new Map<string, string>();
    // A map-typed input spans lines (`name?: pulumi.Input<{` ... `} | undefined>;`): its first line ends in `{`.
    for (const m of body.matchAll(/^\s*(\w+)\??: (.+?)(?:;|\{)$/gm)) {
        props.set(m[1], m[2]);
    }
    return props;
}

/** `aws:rds/instance:Instance` -> [module, file, class]. */
const tokenParts = (token: string) => token.replace(/^[a-z]+:/, "").split(/[/:]/);

/** The SDK file of a type token, without extension: module `index` is the package's root. */
const sdkFile = (pkgDir: string, token: string) => {
    const [mod, file] = tokenParts(token);
    return mod === "index" ? path.join(pkgDir, file) : path.join(pkgDir, mod, file);
};

/** Maps a Terraform attribute path to the Pulumi input path, or undefined when the SDK has no such input. */
function pulumiPath(tfPath: string, token: string, pkgDir: string, inputTypes: string, renames: Record<string, string> = {}): string | undefined {
    const cls = tokenParts(token)[2];
    const dts = `${sdkFile(pkgDir, token)}.d.ts`;
    if (!fs.existsSync(dts)) {
        return undefined;
    }
    let props = properties(interfaceBody(fs.readFileSync(dts, "utf8"), `${cls}Args`) ?? "");
    const out: string[] = [];
    for (const [i, part] of tfPath.split(".").entries()) {
        const base = i === 0 && renames[part] ? renames[part] : camel(part);
        const name = [base, `${base}s`, base.replace(/y$/, "ies"), `${base}es`].find((n) => props.has(n));
        if (!name) {
            return undefined;
        }
        out.push(name);
        const nested = /inputs\.(\w+)\.(\w+)/.exec(props.get(name)!);
        if (nested) {
            const ns = inputTypes.indexOf(`export declare namespace ${nested[1]} {`);
            props = properties(interfaceBody(inputTypes, nested[2], Math.max(ns, 0)) ?? "");
        } else {
            props = new Map();
        }
    }
    return out.join(".");
}

/** `.spec.containers[*].image` -> `spec.containers.image`: the plan's path form without indices. */
const kubernetesPath = (p: string) => p.replace(/^\./, "").replace(/\[\*\]/g, "");

/** The facts of every resource a Terraform provider's section lists, mapped onto its Pulumi SDK in `pkgDir`. */
function terraformFacts(section: TerraformSection, pkgDir: string, types: Record<string, TypeFacts>, unmatched: string[]): void {
    const inputsFile = path.join(pkgDir, "types", "input.d.ts");
    const inputTypes = fs.existsSync(inputsFile) ? fs.readFileSync(inputsFile, "utf8") : "";
    const tokens = pulumiTypes(pkgDir, section.resources.map((r) => path.relative(pkgDir, `${sdkFile(pkgDir, r.token)}.js`)));
    for (const r of section.resources) {
        if (!tokens.has(r.token)) {
            unmatched.push(`${r.terraform}: no ${r.token} in @pulumi/${path.basename(pkgDir)}`);
            continue;
        }
        const map = (attr: string): string | undefined => {
            const p = pulumiPath(attr, r.token, pkgDir, inputTypes, r.pulumiNames);
            if (!p) {
                unmatched.push(`${r.terraform}.${attr}: no such input on ${r.token}`);
            }
            return p;
        };
        const facts: TypeFacts = { source: `${section.repo} ${r.path}@${r.commit.slice(0, 12)}`, forceNew: {} };
        for (const attr of r.forceNew) {
            const p = map(attr);
            if (p) {
                facts.forceNew[p] = attr;
            }
        }
        if (r.conditional) {
            facts.conditional = {};
            for (const [attr, why] of Object.entries(r.conditional)) {
                const p = map(attr);
                if (p) {
                    facts.conditional[p] = why;
                }
            }
        }
        if (r.replaceOnSwitch) {
            facts.replaceOnSwitch = { properties: r.replaceOnSwitch.attributes.map(map).filter((p): p is string => !!p), why: r.replaceOnSwitch.why };
        }
        if (r.partial) {
            facts.partial = r.partial;
        }
        types[r.token] = facts;
    }
}

export function generate(root = ROOT): ReplacementFacts {
    const sources = JSON.parse(fs.readFileSync(SOURCES, "utf8")) as Sources;
    const types: Record<string, TypeFacts> = {};
    const unmatched: string[] = [];
    terraformFacts(sources.terraformProviderAws, path.join(root, "node_modules", "@pulumi", "aws"), types, unmatched);
    if (sources.terraformProviderRandom) {
        terraformFacts(sources.terraformProviderRandom, path.join(root, "node_modules", "@pulumi", "random"), types, unmatched);
    }

    const k8s = sources.pulumiKubernetes;
    const k8sDir = path.join(root, "node_modules", "@pulumi", "kubernetes");
    const k8sTokens = pulumiTypes(k8sDir, walk(k8sDir).map((f) => path.relative(k8sDir, f)).filter((f) => !f.includes("node_modules")));
    const source = `${k8s.repo} ${k8s.path}@${k8s.commit.slice(0, 12)}`;
    // The provider replaces any kind on these; `kubernetes:*` stands for every kind not listed.
    types["kubernetes:*"] = { source, forceNew: Object.fromEntries(k8s.everyKind.map((p) => [kubernetesPath(p), p])) };
    for (const kind of k8s.kinds) {
        const props = [
            ...k8s.everyKind,
            ...kind.properties,
            ...(kind.labelSelectors ?? []).flatMap((s) => k8s.labelSelector.map((l) => s + l)),
            ...(kind.containers ?? []).flatMap((c) => k8s.container.map((p) => c + p)),
        ];
        for (const version of kind.versions) {
            const token = `kubernetes:${kind.group}/${version}:${kind.kind}`;
            if (!k8sTokens.has(token)) {
                unmatched.push(`${kind.group}/${version} ${kind.kind}: no ${token} in @pulumi/kubernetes`);
                continue;
            }
            types[token] = { source, forceNew: Object.fromEntries(props.map((p) => [kubernetesPath(p), p])) };
        }
    }
    const sortedTypes = Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b)));
    return { generatedBy: "scripts/replacement-facts.ts from scripts/sources/replacement-sources.json", types: sortedTypes, unmatched: unmatched.sort() };
}

export const render = (facts: ReplacementFacts) => `${JSON.stringify(facts, null, 2)}\n`;

if (require.main === module) {
    const text = render(generate());
    if (process.argv.includes("--check")) {
        const current = fs.existsSync(FACTS_FILE) ? fs.readFileSync(FACTS_FILE, "utf8") : "";
        if (current !== text) {
            process.stderr.write(`${path.relative(ROOT, FACTS_FILE)} is stale: run npm run facts:replacement\n`);
            process.exit(1);
        }
    } else {
        fs.mkdirSync(path.dirname(FACTS_FILE), { recursive: true });
        fs.writeFileSync(FACTS_FILE, text);
        const facts = JSON.parse(text) as ReplacementFacts;
        process.stdout.write(`wrote ${path.relative(ROOT, FACTS_FILE)}: ${Object.keys(facts.types).length} types, ${facts.unmatched.length} unmatched\n`);
    }
}
