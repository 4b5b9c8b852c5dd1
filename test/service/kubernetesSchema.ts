/**
 * Validates rendered Kubernetes objects against the Kubernetes OpenAPI schema, as shipped by
 * `kubernetes-models` (generated from the Kubernetes v1.33 OpenAPI spec), in two passes:
 *
 * 1. the package's JSON-schema validators (ajv): types, required fields, enums, formats;
 * 2. a strict pass for unknown fields, which the OpenAPI schema (and so pass 1) lets through, the way
 *    `kubectl apply --validate=strict` refuses them: each object is type-checked by the TypeScript
 *    compiler as an object literal of the package's generated interface (`IDeployment`...), so an
 *    excess (misspelled) property at any depth is an error.
 */
import * as path from "path";
import * as ts from "typescript";
import { RecordedResource, reveal } from "../support/harness";

/** A Kubernetes object as `kubectl` would see it. */
export interface K8sObject {
    apiVersion: string;
    kind: string;
    [field: string]: unknown;
}

/** `kubernetes:apps/v1:Deployment` -> `apps/v1/Deployment`; the core group has no prefix. */
function modelPath(apiVersion: string, kind: string): string {
    return `${apiVersion}/${kind}`;
}

/** The rendered object of a recorded Pulumi Kubernetes resource, markers as JSON (`[secret]`...). */
export function renderedObject(resource: RecordedResource): K8sObject {
    const obj = JSON.parse(JSON.stringify(reveal(resource.inputs))) as K8sObject;
    const [, groupVersion, kind] = resource.type.split(":");
    const [group, version] = groupVersion.split("/");
    const apiVersion = group === "core" ? version : `${group}/${version}`;
    if (obj.apiVersion !== apiVersion || obj.kind !== kind) {
        throw new Error(`${resource.name}: rendered ${obj.apiVersion}/${obj.kind}, type token says ${apiVersion}/${kind}`);
    }
    return obj;
}

/** Pass 1: the kubernetes-models JSON-schema validator; returns one message per object that fails. */
export function schemaErrors(objects: K8sObject[]): string[] {
    return objects.flatMap((obj) => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(`kubernetes-models/${modelPath(obj.apiVersion, obj.kind)}`) as Record<string, new (data: unknown) => { validate(): void }>;
        const Model = module[obj.kind];
        if (Model === undefined) {
            return [`${obj.kind}: no schema for ${obj.apiVersion}`];
        }
        try {
            new Model(obj).validate();
            return [];
        } catch (err) {
            return [`${obj.kind} ${JSON.stringify((obj.metadata as { name?: string } | undefined)?.name)}: ${(err as Error).message}`];
        }
    });
}

const VIRTUAL = path.join(__dirname, "__rendered_kubernetes_objects__.ts");
const COMPILER_OPTIONS: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2022.d.ts"],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
};

/** Pass 2: unknown fields and wrong shapes, via the generated interfaces; one message per problem. */
export function strictFieldErrors(objects: K8sObject[]): string[] {
    const lines = objects.map((obj, i) =>
        `import type { I${obj.kind} as T${i} } from "kubernetes-models/${modelPath(obj.apiVersion, obj.kind)}";\n` +
        `export const o${i}: T${i} = ${JSON.stringify(obj)};`);
    const source = lines.join("\n");
    const host = ts.createCompilerHost(COMPILER_OPTIONS);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, language, onError) => file === VIRTUAL
        ? ts.createSourceFile(file, source, language)
        : getSourceFile(file, language, onError);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => file === VIRTUAL || fileExists(file);
    const program = ts.createProgram([VIRTUAL], COMPILER_OPTIONS, host);
    const file = program.getSourceFile(VIRTUAL)!;
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
        const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line;
        const obj = objects[Math.floor(line / 2)];
        return `${obj?.kind ?? "?"}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
}

/** Both passes. */
export function kubernetesErrors(objects: K8sObject[]): string[] {
    return [...schemaErrors(objects), ...strictFieldErrors(objects)];
}
