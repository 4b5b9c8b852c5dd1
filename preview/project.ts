/**
 * Reading a Pulumi project the way the CLI does: `Pulumi.yaml` (name, main, stackConfigDir) and the
 * stack's `Pulumi.<stack>.yaml`. Works for any TypeScript Pulumi project directory.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { OFFLINE_SECRET_CONFIG } from "../components/common/validation";

/** Bad usage or bad input: reported in one line, exit code 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export interface ProjectInfo {
    dir: string;
    name: string;
    /** Absolute path of the program's entry module (a file or a directory with index.ts). */
    main: string;
    /** Absolute directory holding `Pulumi.<stack>.yaml`. */
    stackConfigDir: string;
    /** Project-level config defaults from `Pulumi.yaml`. */
    configDefaults: Record<string, unknown>;
    /** The runtime option `typescript` (the language host compiles TypeScript unless it is false). */
    typescript: boolean;
}

export interface StackSettings {
    /** Config as `namespace:key` to value (structured values kept as objects). */
    config: Record<string, unknown>;
    /** Keys whose values are encrypted in the file: replaced by marked placeholders, kept secret. */
    secretKeys: string[];
}

/**
 * Placeholder for an encrypted config value: the offline preview has no key to decrypt it. The
 * components' checks know it and treat it as unknown (not as a value to reject).
 */
export const SECRET_CONFIG_PLACEHOLDER = OFFLINE_SECRET_CONFIG;

function readYaml(file: string): unknown {
    try {
        return parseYaml(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message.split("\n")[0]}`);
    }
}

export function loadProject(dir: string): ProjectInfo {
    const abs = path.resolve(dir);
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(abs, f)).find((f) => fs.existsSync(f));
    if (!file) {
        throw new UsageError(`no Pulumi.yaml in ${abs}: pass --cwd <a Pulumi project directory>`);
    }
    const doc = readYaml(file) as Record<string, unknown> | null;
    if (!doc || typeof doc.name !== "string") {
        throw new UsageError(`${file} has no project name`);
    }
    const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
    const runtimeOptions = typeof doc.runtime === "object" && doc.runtime !== null ? (doc.runtime as { options?: Record<string, unknown> }).options : undefined;
    if (runtime !== "nodejs") {
        throw new UsageError(`${file} uses runtime "${String(runtime)}"; the offline preview runs nodejs (TypeScript) projects`);
    }
    const configDefaults: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries((doc.config as Record<string, unknown> | undefined) ?? {})) {
        const fullKey = key.includes(":") ? key : `${doc.name}:${key}`;
        const value = spec !== null && typeof spec === "object" && !Array.isArray(spec) ? (spec as Record<string, unknown>).default ?? (spec as Record<string, unknown>).value : spec;
        if (value !== undefined) {
            configDefaults[fullKey] = value;
        }
    }
    return {
        dir: abs,
        name: doc.name,
        main: path.resolve(abs, typeof doc.main === "string" ? doc.main : "."),
        stackConfigDir: path.resolve(abs, typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : "."),
        configDefaults,
        typescript: runtimeOptions?.typescript !== false && runtimeOptions?.typescript !== "false",
    };
}

/** The stacks that have a config file. */
export function listStacks(project: ProjectInfo): string[] {
    if (!fs.existsSync(project.stackConfigDir)) {
        return [];
    }
    return fs.readdirSync(project.stackConfigDir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function isSecure(value: unknown): boolean {
    return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && "secure" in value;
}

/** Replaces encrypted values (`secure: ...`) with the placeholder; reports whether any were found. */
function redactSecure(value: unknown): { value: unknown; secret: boolean } {
    if (isSecure(value)) {
        return { value: SECRET_CONFIG_PLACEHOLDER, secret: true };
    }
    if (Array.isArray(value)) {
        const items = value.map(redactSecure);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value).map(([k, v]) => [k, redactSecure(v)] as const);
        return { value: Object.fromEntries(entries.map(([k, r]) => [k, r.value])), secret: entries.some(([, r]) => r.secret) };
    }
    return { value, secret: false };
}

export function loadStackSettings(project: ProjectInfo, stack: string): StackSettings {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new UsageError(`"${stack}" is not a stack name`);
    }
    const file = ["yaml", "yml"].map((ext) => path.join(project.stackConfigDir, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));
    if (!file) {
        const known = listStacks(project);
        throw new UsageError(`no config for stack "${stack}" in ${project.stackConfigDir}; stacks: ${known.length ? known.join(", ") : "none"}`);
    }
    const doc = (readYaml(file) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, unknown> = { ...project.configDefaults };
    const secretKeys: string[] = [];
    for (const [key, raw] of Object.entries(doc.config ?? {})) {
        const fullKey = key.includes(":") ? key : `${project.name}:${key}`;
        const { value, secret } = redactSecure(raw);
        config[fullKey] = value;
        if (secret) {
            secretKeys.push(fullKey);
        }
    }
    return { config, secretKeys };
}
