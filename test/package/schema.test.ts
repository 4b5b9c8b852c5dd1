/**
 * Cross-language hosting: with PulumiPlugin.yaml, Pulumi's Node.js language host requires this
 * package's directory (package.json `main`), finds the exported ComponentResource classes and serves
 * them through the SDK's ComponentProvider, whose schema is inferred from the TypeScript sources by
 * the SDK's analyzer. This test drives that same machinery in-process (what `pulumi package
 * get-schema` and `pulumi package add` receive over the provider protocol's GetSchema) and checks
 * that every component, every input and every output is in the schema with the right type.
 */
import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parse as parseYaml } from "yaml";
import { Field, Reference } from "../../scripts/reference-docs";
import { sourceReference } from "../support/reference";

/* eslint-disable @typescript-eslint/no-require-imports -- the experimental provider module has no stable typings path */
const { ComponentProvider, getPulumiComponents } = require("@pulumi/pulumi/provider/experimental");
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = path.resolve(__dirname, "../..");
const PACKAGE = "scaling-toolkit";
const typeRef = (name: string) => `#/types/${PACKAGE}:index:${name}`;

/** What the schema should say for a TypeScript type as written in the sources. */
function expectedType(text: string): { plain: boolean; optional: boolean; spec: Record<string, unknown> } {
    let t = text.trim();
    let plain = true;
    const wrapped = /^pulumi\.(Input|Output)<(.*)>$/.exec(t);
    if (wrapped) {
        plain = false;
        t = wrapped[2].trim();
    }
    const optional = t.endsWith(" | undefined");
    t = t.replace(/ \| undefined$/, "");
    if (t.endsWith("[]")) {
        return { plain, optional, spec: { type: "array", items: expectedType(t.slice(0, -2).replace(/^\((.*)\)$/, "$1")).spec } };
    }
    const record = /^Record<string, (.*)>$/.exec(t);
    if (record) {
        return { plain, optional, spec: { type: "object", additionalProperties: expectedType(record[1]).spec } };
    }
    if (["string", "number", "boolean"].includes(t)) {
        return { plain, optional, spec: { type: t } };
    }
    expect(t, `a named type in ${text}`).to.match(/^[A-Z]\w*$/);
    return { plain, optional, spec: { $ref: typeRef(t) } };
}

/** The parts of a schema property that carry its type. */
function typeOf(prop: any): Record<string, unknown> {
    const out: Record<string, unknown> = prop.$ref ? { $ref: prop.$ref } : { type: prop.type };
    if (prop.items) {
        out.items = typeOf(prop.items);
    }
    if (prop.additionalProperties) {
        out.additionalProperties = typeOf(prop.additionalProperties);
    }
    return out;
}

function checkFields(where: string, fields: Field[], properties: Record<string, any>, isInput: boolean, required?: string[]): void {
    expect(Object.keys(properties).sort(), `${where}: properties`).to.deep.equal(fields.map((f) => f.name).sort());
    for (const f of fields) {
        const prop = properties[f.name];
        const expected = expectedType(f.type);
        expect(typeOf(prop), `${where}.${f.name}: ${f.type}`).to.deep.equal(expected.spec);
        if (isInput) {
            expect(prop.plain === true, `${where}.${f.name} plain (${f.type})`).to.equal(expected.plain);
        }
        expect(prop.description, `${where}.${f.name} description`).to.be.a("string").and.not.equal("");
        if (required) {
            expect(required.includes(f.name), `${where}.${f.name} required (${f.type})`).to.equal(f.required && !expected.optional);
        }
    }
}

describe("cross-language components: the schema Pulumi infers for PulumiPlugin.yaml", function () {
    this.timeout(180_000);
    let schema: any;
    let reference: Reference;
    let hosted: string[];

    before(async () => {
        // What the language host does: require the plugin directory (package.json `main`) and collect
        // the exported components; then the provider it serves infers the schema.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const components = getPulumiComponents(require(ROOT));
        hosted = components.map((c: { name: string }) => c.name).sort();
        const provider = new ComponentProvider({ components, name: PACKAGE, dirname: ROOT });
        schema = JSON.parse(await provider.getSchema());
        reference = sourceReference();
    });

    it("is declared as a Node.js source plugin whose entry is the public API", () => {
        const plugin = parseYaml(fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8"));
        expect(plugin.runtime.name).to.equal("nodejs");
        expect(require.resolve(ROOT)).to.equal(path.join(ROOT, "components", "index.ts"));
        expect(schema).to.include({ name: PACKAGE, version: JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version });
    });

    it("hosts every component of the public API", () => {
        expect(hosted).to.include.members(["CiCdPipeline", "KubernetesService", "LoadBalancedService", "Network", "PartitionedDatabase", "RedisCache"]);
        expect(hosted).to.deep.equal(reference.components.map((c) => c.name).sort());
        expect(Object.keys(schema.resources).sort()).to.deep.equal(hosted.map((c) => `${PACKAGE}:index:${c}`));
        for (const resource of Object.values<any>(schema.resources)) {
            expect(resource.isComponent).to.equal(true);
        }
    });

    it("has every input with its type, plainness, requiredness and description", () => {
        for (const c of reference.components) {
            const resource = schema.resources[c.token];
            checkFields(`${c.name} input`, c.args, resource.inputProperties, true);
            expect([...(resource.requiredInputs ?? [])].sort(), `${c.name} required inputs`).to.deep.equal(c.args.filter((a) => a.required).map((a) => a.name).sort());
        }
    });

    it("has every output with its type", () => {
        for (const c of reference.components) {
            const resource = schema.resources[c.token];
            checkFields(`${c.name} output`, c.outputs, resource.properties, false, resource.required ?? []);
        }
    });

    it("describes every argument type and enum the components use", () => {
        for (const c of reference.components) {
            for (const t of c.types) {
                const type = schema.types[`${PACKAGE}:index:${t.name}`];
                expect(type, `${c.name}: type ${t.name}`).to.not.equal(undefined);
                if (t.kind === "enum") {
                    expect(type.type).to.equal("string");
                    expect(type.enum.map((e: any) => e.name)).to.deep.equal(t.fields.map((f) => f.name));
                    expect(type.enum.map((e: any) => JSON.stringify(e.value))).to.deep.equal(t.fields.map((f) => f.type));
                } else {
                    expect(type.type).to.equal("object");
                    checkFields(`${c.name}: ${t.name}`, t.fields, type.properties, !t.output);
                    expect([...(type.required ?? [])].sort(), `${t.name} required`).to.deep.equal(t.fields.filter((f) => f.required).map((f) => f.name).sort());
                }
            }
        }
    });

    it("keeps the values other languages rely on: enum values and network shapes", () => {
        const tls = schema.types[`${PACKAGE}:index:TlsPolicy`];
        expect(tls.enum).to.deep.include({ name: "Tls13And12", value: "ELBSecurityPolicy-TLS13-1-2-2021-06", description: "TLS 1.3 and 1.2 with forward-secret ciphers (the recommended default)." });
        const lbs = schema.resources[`${PACKAGE}:index:LoadBalancedService`];
        expect(lbs.inputProperties.network.$ref).to.equal(typeRef("ServiceNetworkArgs"));
        expect(schema.types[`${PACKAGE}:index:ServiceNetworkArgs`].properties.privateSubnetIds).to.deep.include({ type: "array", items: { type: "string" } });
        expect(schema.resources[`${PACKAGE}:index:RedisCache`].properties.port).to.deep.include({ type: "number" });
    });
});
