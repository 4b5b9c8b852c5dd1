/**
 * Inputs against the provider's schema (the `*Args` types of @pulumi/aws): every input name exists,
 * every required input is given, and each value has the input's kind. A TypeScript program gets
 * these checked by the compiler; JavaScript programs, casts and `any` do not.
 */
import { RecordedResource } from "../runtime";
import { FACTS, Kind } from "./knownFacts";
import { DeployFinding, finding, isUnknown, plain } from "./types";

const KIND_NAMES: Record<Kind, string> = { s: "a string", n: "a number", b: "a boolean", a: "a list", o: "an object", m: "a map", x: "an asset or archive", "*": "any value" };

/** Whether a value fits a kind; lenient where the provider converts (numbers and booleans to strings, numeric strings to numbers). */
function fits(value: unknown, kind: Kind): boolean {
    const v = plain(value);
    if (kind === "*" || isUnknown(value) || v === null || v === undefined) return true;
    switch (kind) {
        case "s": return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
        case "n": return typeof v === "number" || (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)));
        case "b": return typeof v === "boolean" || v === "true" || v === "false";
        case "a": return Array.isArray(v);
        case "o": case "m": return typeof v === "object" && !Array.isArray(v);
        case "x": return typeof v === "object";
    }
}

export const schemaRules = (resources: RecordedResource[]): DeployFinding[] => resources.flatMap((r) => {
    const schema = FACTS.schema.types[r.type];
    if (!schema) return [];
    const out: DeployFinding[] = [];
    const known = Object.keys(schema.p);
    for (const [name, value] of Object.entries(r.inputs)) {
        if (name.startsWith("__")) continue;
        const kind = schema.p[name];
        if (kind === undefined) {
            const near = known.filter((k) => k.toLowerCase() === name.toLowerCase() || k.toLowerCase().startsWith(name.toLowerCase().slice(0, 4)));
            out.push(finding("schema", r, name, value, `${r.type} has no input "${name}"${near.length ? ` (did you mean ${near.slice(0, 3).map((n) => `"${n}"`).join(", ")}?)` : ""}`, FACTS.schema.source));
        } else if (!fits(value, kind)) {
            out.push(finding("schema", r, name, value, `"${name}" must be ${KIND_NAMES[kind]}`, FACTS.schema.source));
        }
    }
    for (const name of schema.r) {
        if (r.inputs[name] === undefined || r.inputs[name] === null) {
            out.push(finding("schema", r, name, null, `"${name}" is required by ${r.type}`, FACTS.schema.source));
        }
    }
    return out;
});
