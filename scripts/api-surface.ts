/**
 * The public API surface of scaling-toolkit, read with the TypeScript compiler API: every name exported
 * by `components/index.ts` and `policies/api.ts`, its kind, and for classes and interfaces every public
 * member with its type text and optionality, enum members with their values, function signatures.
 *
 *   npm run api:surface                   compare the sources with the committed baseline (api/surface.json)
 *   npm run api:surface -- --write        write the sources' surface as the new baseline (a deliberate release)
 *   npm run api:surface -- --root <dir>   read another checkout (for example the last release's worktree)
 *
 * `breakingChanges(baseline, current)` lists what would break a caller; additions do not, except a new
 * required member of an interface callers build (names ending in Args, Spec or Options).
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export const ENTRY_POINTS = ["components/index.ts", "policies/api.ts"];
export const BASELINE = path.resolve(__dirname, "../api/surface.json");
/** Interfaces callers build: a new required member breaks every caller. */
const INPUT_INTERFACE = /(Args|Spec|Options)$/;

export interface Member { type: string; optional: boolean; readonly?: boolean }
export interface Parameter { type: string; optional: boolean }
export interface Signature { parameters: Parameter[]; returns: string }
export interface Entry {
    kinds: string[];
    members?: Record<string, Member>;
    statics?: Record<string, Member>;
    constructors?: Signature[];
    signatures?: Signature[];
    enumMembers?: Record<string, string | number>;
    type?: string;
}
export type Surface = Record<string, Record<string, Entry>>;

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;

/** Reads the surface of the entry points under `root`. */
export function readSurface(root: string): Surface {
    const files = ENTRY_POINTS.map((f) => path.join(root, f));
    const program = ts.createProgram(files, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, resolveJsonModule: true, skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    const text = (type: ts.Type) => checker.typeToString(type, undefined, FORMAT);
    const isPublic = (s: ts.Symbol) => !s.name.startsWith("#") && !(s.declarations ?? []).some((d) =>
        ts.getCombinedModifierFlags(d as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
    const members = (type: ts.Type, skip: string[] = []) => Object.fromEntries(checker.getPropertiesOfType(type)
        .filter((s) => isPublic(s) && !skip.includes(s.name)).sort((a, b) => a.name.localeCompare(b.name)).map((s) => {
            const readonly = (s.declarations ?? []).some((d) => ts.getCombinedModifierFlags(d as ts.Declaration) & ts.ModifierFlags.Readonly);
            return [s.name, { type: text(checker.getTypeOfSymbol(s)), optional: (s.flags & ts.SymbolFlags.Optional) !== 0, ...(readonly ? { readonly } : {}) }];
        }));
    const signatures = (sigs: readonly ts.Signature[]): Signature[] => sigs.map((sig) => ({
        parameters: sig.parameters.map((p) => {
            const decl = p.valueDeclaration as ts.ParameterDeclaration | undefined;
            const optional = !!decl && (!!decl.questionToken || !!decl.initializer || !!decl.dotDotDotToken);
            // `x?: T` and `x: T = ...` are the same to a caller.
            return { type: text(checker.getTypeOfSymbol(p)).replace(optional ? / \| undefined$/ : /$^/, ""), optional };
        }),
        returns: text(sig.getReturnType()),
    }));
    const surface: Surface = {};
    for (const [i, file] of files.entries()) {
        const source = program.getSourceFile(file);
        const moduleSymbol = source && checker.getSymbolAtLocation(source);
        if (!moduleSymbol) {
            throw new Error(`api-surface: cannot read ${file}`);
        }
        const entries: Record<string, Entry> = {};
        for (const exported of checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name))) {
            const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
            const entry: Entry = { kinds: [] };
            if (s.flags & ts.SymbolFlags.Class) {
                const staticType = checker.getTypeOfSymbol(s);
                Object.assign(entry, { members: members(checker.getDeclaredTypeOfSymbol(s)), statics: members(staticType, ["prototype"]),
                    constructors: signatures(staticType.getConstructSignatures()) });
                entry.kinds.push("class");
            } else if (s.flags & ts.SymbolFlags.Interface) {
                Object.assign(entry, { members: members(checker.getDeclaredTypeOfSymbol(s)) });
                entry.kinds.push("interface");
            }
            if (s.flags & ts.SymbolFlags.Enum) {
                entry.kinds.push("enum");
                entry.enumMembers = Object.fromEntries(checker.getPropertiesOfType(checker.getTypeOfSymbol(s)).map((m) => {
                    const decl = m.valueDeclaration as ts.EnumMember;
                    return [m.name, checker.getConstantValue(decl) ?? decl.initializer?.getText() ?? ""];
                }));
            }
            if (s.flags & ts.SymbolFlags.Function) {
                entry.kinds.push("function");
                entry.signatures = signatures(checker.getTypeOfSymbol(s).getCallSignatures());
            }
            if (s.flags & ts.SymbolFlags.Variable) {
                entry.kinds.push("variable");
                entry.type = text(checker.getTypeOfSymbol(s));
            }
            if (s.flags & ts.SymbolFlags.TypeAlias) {
                entry.kinds.push("type");
                entry.type = checker.typeToString(checker.getDeclaredTypeOfSymbol(s), undefined, FORMAT | ts.TypeFormatFlags.InTypeAlias);
            }
            entries[exported.name] = entry;
        }
        surface[ENTRY_POINTS[i]] = entries;
    }
    return surface;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A new signature serves every old call: the old parameters unchanged, extra ones optional, the same result. */
function extends_(old: Signature, now: Signature): boolean {
    return old.returns === now.returns && now.parameters.every((p, i) => i < old.parameters.length
        ? p.type === old.parameters[i].type && (p.optional || !old.parameters[i].optional)
        : p.optional);
}

function memberChanges(where: string, old: Record<string, Member> = {}, now: Record<string, Member> = {}, input = false): string[] {
    const found = Object.entries(old).flatMap(([name, m]) => !now[name] ? [`${where}.${name} was removed`]
        : !same(m, now[name]) ? [`${where}.${name} changed from ${JSON.stringify(m)} to ${JSON.stringify(now[name])}`] : []);
    const added = input ? Object.entries(now).filter(([name, m]) => !old[name] && !m.optional).map(([name]) => `${where}.${name} is a new required member`) : [];
    return [...found, ...added];
}

/** What in `current` would break a caller of `baseline`: removals, changes, new required Args members. */
export function breakingChanges(baseline: Surface, current: Surface): string[] {
    const problems: string[] = [];
    for (const [module, entries] of Object.entries(baseline)) {
        for (const [name, old] of Object.entries(entries)) {
            const now = current[module]?.[name];
            const where = `${module}: ${name}`;
            if (!now) {
                problems.push(`${where} is no longer exported`);
                continue;
            }
            if (!old.kinds.every((k) => now.kinds.includes(k))) {
                problems.push(`${where} was ${old.kinds.join(" and ")}, is ${now.kinds.join(" and ")}`);
            }
            problems.push(...memberChanges(where, old.members, now.members, old.kinds.includes("interface") && INPUT_INTERFACE.test(name)),
                ...memberChanges(`${where} (static)`, old.statics, now.statics));
            for (const [what, sigs] of [["constructor", old.constructors], ["signature", old.signatures]] as const) {
                const nowSigs = what === "constructor" ? now.constructors : now.signatures;
                problems.push(...(sigs ?? []).filter((o) => !(nowSigs ?? []).some((n) => extends_(o, n)))
                    .map((o) => `${where}: ${what} ${JSON.stringify(o)} no longer exists`));
            }
            problems.push(...Object.entries(old.enumMembers ?? {}).filter(([k, v]) => now.enumMembers?.[k] !== v)
                .map(([k, v]) => `${where}.${k} (= ${JSON.stringify(v)}) was removed or changed`));
            if (old.type !== undefined && old.type !== now.type) {
                problems.push(`${where}: type changed from ${old.type} to ${now.type}`);
            }
        }
    }
    return problems;
}

function main(argv: string[]): number {
    const rootAt = argv.indexOf("--root");
    const root = path.resolve(rootAt >= 0 ? argv[rootAt + 1] : path.resolve(__dirname, ".."));
    const current = readSurface(root);
    if (argv.includes("--write")) {
        fs.mkdirSync(path.dirname(BASELINE), { recursive: true });
        fs.writeFileSync(BASELINE, `${JSON.stringify(current, null, 2)}\n`);
        console.log(`api-surface: wrote ${path.relative(process.cwd(), BASELINE)} from ${root}`);
        return 0;
    }
    const problems = breakingChanges(JSON.parse(fs.readFileSync(BASELINE, "utf8")), current);
    console.log(problems.length === 0 ? "api-surface: the public API only grew" : `api-surface: ${problems.length} breaking change(s):\n- ${problems.join("\n- ")}`);
    return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
