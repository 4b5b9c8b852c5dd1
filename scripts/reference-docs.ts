/**
 * `npm run docs`: writes docs/reference/<Component>.md for every component exported from
 * components/index.ts, from the TypeScript sources: the class comment, the arguments (the
 * constructor's `args` interface, inherited fields included) with their types, `@default`s and
 * descriptions, the argument types they use, and the outputs (public readonly fields).
 *
 * `npm run docs -- --check` exits 1 when a committed page is out of date or something is
 * undocumented; test/package/docs.test.ts runs the same check.
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
export const REFERENCE_DIR = path.join(ROOT, "docs", "reference");
const ENTRY = path.join(ROOT, "components", "index.ts");

export interface Field {
    name: string;
    type: string;
    required: boolean;
    description: string;
    default?: string;
}
export interface NamedType {
    name: string;
    description: string;
    kind: "interface" | "enum";
    fields: Field[];
    /** Reached through an output rather than an argument. */
    output: boolean;
}
export interface ComponentDoc {
    name: string;
    token: string;
    description: string;
    argsType: string;
    /** The args parameter may be left out. */
    argsOptional: boolean;
    args: Field[];
    outputs: Field[];
    types: NamedType[];
}
export interface Reference {
    components: ComponentDoc[];
    /** Undocumented things: "<Component>: argument x has no description". */
    problems: string[];
}

function jsDocText(node: ts.Node): string {
    const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
    return docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join("\n").replace(/\s*\n\s*/g, " ").trim();
}

function defaultOf(node: ts.Node): string | undefined {
    const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === "default");
    return tag ? (ts.getTextOfJSDocComment(tag.comment) ?? "").replace(/\s*\n\s*/g, " ").trim() : undefined;
}

function typeText(node: ts.Node): string {
    const typeNode = (node as { type?: ts.TypeNode }).type;
    return typeNode ? typeNode.getText().replace(/\s+/g, " ") : "unknown";
}

/** Reads the components and everything their pages need from the sources. */
export function collectReference(): Reference {
    const program = ts.createProgram([ENTRY], { strict: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true });
    const checker = program.getTypeChecker();
    const entry = program.getSourceFile(ENTRY)!;
    const problems: string[] = [];
    const components: ComponentDoc[] = [];

    for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(entry)!)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const decl = symbol.declarations?.[0];
        if (!decl || !ts.isClassDeclaration(decl) || !decl.heritageClauses?.some((h) => h.types.some((t) => /ComponentResource$/.test(t.expression.getText())))) {
            continue;
        }
        const name = symbol.getName();
        const ctor = decl.members.find(ts.isConstructorDeclaration);
        const argsParam = ctor?.parameters.find((p) => p.name.getText() === "args");
        if (!argsParam?.type) {
            problems.push(`${name}: the constructor has no typed \`args\` parameter`);
            continue;
        }
        const types = new Map<string, NamedType>();
        const collectTypes = (typeNode: ts.TypeNode | undefined, isArgs: boolean): void => {
            if (!typeNode) {
                return;
            }
            const visit = (n: ts.Node): void => {
                if (ts.isTypeReferenceNode(n)) {
                    let s = checker.getSymbolAtLocation(n.typeName);
                    if (s && s.flags & ts.SymbolFlags.Alias) {
                        s = checker.getAliasedSymbol(s);
                    }
                    const d = s?.declarations?.[0];
                    if (s && d && !d.getSourceFile().fileName.includes("node_modules") && !types.has(s.getName())) {
                        if (ts.isInterfaceDeclaration(d)) {
                            const fields = fieldsOf(checker.getDeclaredTypeOfSymbol(s), `${name}: type ${s.getName()}`, isArgs);
                            types.set(s.getName(), { name: s.getName(), description: jsDocText(d), kind: "interface", fields: fields.fields, output: !isArgs });
                            fields.typeNodes.forEach((t) => collectTypes(t, isArgs));
                        } else if (ts.isEnumDeclaration(d)) {
                            types.set(s.getName(), {
                                name: s.getName(), description: jsDocText(d), kind: "enum", output: !isArgs,
                                fields: d.members.map((m) => ({
                                    name: m.name.getText(), type: m.initializer?.getText() ?? "", required: true, description: jsDocText(m),
                                })),
                            });
                        }
                    }
                }
                n.forEachChild(visit);
            };
            visit(typeNode);
        };
        const fieldsOf = (type: ts.Type, where: string, isArgs: boolean): { fields: Field[]; typeNodes: ts.TypeNode[] } => {
            const fields: Field[] = [];
            const typeNodes: ts.TypeNode[] = [];
            for (const prop of checker.getPropertiesOfType(type)) {
                const d = prop.valueDeclaration;
                if (!d || !(ts.isPropertySignature(d) || ts.isPropertyDeclaration(d))) {
                    continue;
                }
                const required = !(prop.flags & ts.SymbolFlags.Optional);
                const field: Field = { name: prop.getName(), type: typeText(d), required, description: jsDocText(d), default: defaultOf(d) };
                if (!field.description) {
                    problems.push(`${where}: \`${field.name}\` has no description`);
                }
                if (isArgs && !required && field.default === undefined) {
                    problems.push(`${where}: optional argument \`${field.name}\` has no @default`);
                }
                fields.push(field);
                if (d.type) {
                    typeNodes.push(d.type);
                }
            }
            return { fields, typeNodes };
        };

        const argsType = checker.getTypeFromTypeNode(argsParam.type);
        const args = fieldsOf(argsType, `${name}: ${argsParam.type.getText()}`, true);
        args.typeNodes.forEach((t) => collectTypes(t, true));
        const outputs: Field[] = [];
        for (const member of decl.members) {
            if (!ts.isPropertyDeclaration(member) || !member.modifiers?.some((m) => m.kind === ts.SyntaxKind.PublicKeyword)) {
                continue;
            }
            const field: Field = { name: member.name.getText(), type: typeText(member), required: true, description: jsDocText(member) };
            if (!field.description) {
                problems.push(`${name}: output \`${field.name}\` has no description`);
            }
            outputs.push(field);
            collectTypes(member.type, false);
        }
        const description = jsDocText(decl);
        if (!description) {
            problems.push(`${name}: the class has no description`);
        }
        components.push({
            name, token: `scaling-toolkit:index:${name}`, description, argsType: argsParam.type.getText(),
            argsOptional: argsParam.initializer !== undefined || argsParam.questionToken !== undefined,
            args: args.fields, outputs, types: [...types.values()].sort((a, b) => a.name.localeCompare(b.name)),
        });
    }
    components.sort((a, b) => a.name.localeCompare(b.name));
    return { components, problems };
}

/** Markdown table cells: no line breaks, escaped pipes, generics readable outside code. */
function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
function code(text: string): string {
    return text ? `\`${cell(text)}\`` : "";
}

export function renderComponent(c: ComponentDoc): string {
    const lines: string[] = [
        `# ${c.name}`,
        "",
        "<!-- Generated by `npm run docs` from the TypeScript sources: edit the JSDoc there, not this file. -->",
        "",
        c.description,
        "",
        "```ts",
        `import { ${c.name} } from "scaling-toolkit";`,
        `new ${c.name}(name: string, args${c.argsOptional ? "?" : ""}: ${c.argsType}, opts?: pulumi.ComponentResourceOptions);`,
        "```",
        "",
        `Pulumi type token: \`${c.token}\`.`,
        "",
        `## Arguments (\`${c.argsType}\`)`,
        "",
        "| argument | type | default | description |",
        "| --- | --- | --- | --- |",
        ...c.args.map((a) => `| \`${a.name}\` | ${code(a.type)} | ${a.required ? "**required**" : cell(a.default ?? "")} | ${cell(a.description)} |`),
        "",
        "## Outputs",
        "",
        "| output | type | description |",
        "| --- | --- | --- |",
        ...c.outputs.map((o) => `| \`${o.name}\` | ${code(o.type)} | ${cell(o.description)} |`),
        "",
    ];
    if (c.types.length > 0) {
        lines.push("## Types", "");
        for (const t of c.types) {
            lines.push(`### ${t.name}`, "");
            if (t.description) {
                lines.push(t.description, "");
            }
            if (t.kind === "enum") {
                lines.push("| member | value | description |", "| --- | --- | --- |",
                    ...t.fields.map((f) => `| \`${f.name}\` | ${code(f.type)} | ${cell(f.description)} |`), "");
            } else {
                lines.push("| field | type | default | description |", "| --- | --- | --- | --- |",
                    ...t.fields.map((f) => `| \`${f.name}\` | ${code(f.type)} | ${f.required ? "**required**" : cell(f.default ?? "")} | ${cell(f.description)} |`), "");
            }
        }
    }
    return lines.join("\n");
}

/** Every page, by file name. */
export function renderReference(reference: Reference): Map<string, string> {
    return new Map(reference.components.map((c) => [`${c.name}.md`, renderComponent(c)]));
}

function main(argv: string[]): number {
    const reference = collectReference();
    const pages = renderReference(reference);
    if (argv.includes("--check")) {
        const stale = [...pages].filter(([file, text]) => !fs.existsSync(path.join(REFERENCE_DIR, file)) || fs.readFileSync(path.join(REFERENCE_DIR, file), "utf8") !== text);
        for (const [file] of stale) {
            console.error(`docs/reference/${file} is out of date: run npm run docs`);
        }
        reference.problems.forEach((p) => console.error(p));
        return stale.length > 0 || reference.problems.length > 0 ? 1 : 0;
    }
    fs.mkdirSync(REFERENCE_DIR, { recursive: true });
    for (const file of fs.readdirSync(REFERENCE_DIR)) {
        if (file.endsWith(".md") && !pages.has(file)) {
            fs.rmSync(path.join(REFERENCE_DIR, file));
        }
    }
    for (const [file, text] of pages) {
        fs.writeFileSync(path.join(REFERENCE_DIR, file), text);
    }
    console.log(`wrote ${pages.size} pages to docs/reference/`);
    reference.problems.forEach((p) => console.error(`undocumented: ${p}`));
    return reference.problems.length > 0 ? 1 : 0;
}

if (require.main === module) {
    process.exit(main(process.argv.slice(2)));
}
