/**
 * A cache of derived files (transpiled modules, type-check results, bundles) kept on disk and keyed
 * by content, so a run that changes nothing derives nothing again. It imports only Node's built-in
 * modules: the TypeScript loader (preview/transpile.ts) loads it before it can load anything else.
 *
 * An entry is valid while every file it was derived from still has its fingerprint: the content
 * hash for a project's own files, size and modification time for installed ones (`node_modules`,
 * thousands of declaration files that an install replaces whole).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The environment variable that moves the cache (benchmarks point it at an empty folder to measure a cold run). */
export const CACHE_DIR_ENV = "SCALING_TOOLKIT_CACHE_DIR";

/**
 * The cache folder for a file or folder `near`: `node_modules/.cache/scaling-toolkit-preview` of the
 * nearest `node_modules` (the one `near` is in, else the first found walking up), else the
 * system's temporary folder. `SCALING_TOOLKIT_CACHE_DIR` overrides it.
 */
export function cacheRoot(near: string, env: NodeJS.ProcessEnv = process.env): string {
    if (env[CACHE_DIR_ENV]) {
        return path.resolve(env[CACHE_DIR_ENV]);
    }
    const parts = path.resolve(near).split(path.sep);
    const at = parts.lastIndexOf("node_modules");
    if (at > 0) {
        return path.join(parts.slice(0, at + 1).join(path.sep), ".cache", "scaling-toolkit-preview");
    }
    for (let dir = path.resolve(near); ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "node_modules"))) {
            return path.join(dir, "node_modules", ".cache", "scaling-toolkit-preview");
        }
        if (path.dirname(dir) === dir) {
            return path.join(os.tmpdir(), "scaling-toolkit-preview");
        }
    }
}

/** The SHA-256 of the parts (strings joined by NUL), hex. */
export function digest(...parts: (string | Buffer)[]): string {
    const hash = createHash("sha256");
    parts.forEach((p, i) => {
        if (i > 0) {
            hash.update("\0");
        }
        hash.update(p);
    });
    return hash.digest("hex");
}

/** A file's fingerprint: content hash for the project's own files, size and time for installed ones; undefined when unreadable. */
export function fingerprint(file: string): string | undefined {
    try {
        if (file.split(/[\\/]/).includes("node_modules")) {
            const stat = fs.statSync(file);
            return `${stat.size}:${stat.mtimeMs}`;
        }
        return digest(fs.readFileSync(file));
    } catch {
        return undefined;
    }
}

/** Fingerprints of the files, or undefined when one cannot be read (such an entry is not worth writing). */
export function fingerprints(files: string[]): [string, string][] | undefined {
    const prints = files.map((f) => [f, fingerprint(f)] as [string, string | undefined]);
    return prints.every(([, p]) => p !== undefined) ? prints as [string, string][] : undefined;
}

/** True when every file still has the fingerprint recorded. */
export function unchanged(prints: [string, string][]): boolean {
    return prints.every(([file, print]) => fingerprint(file) === print);
}

/** Reads a cache file; undefined when absent or unreadable. */
export function readCacheFile(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/** Writes a cache file atomically (a parallel reader sees the old file or the new one, never half of one). */
export function writeCacheFile(file: string, text: string): void {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        fs.writeFileSync(tmp, text);
        fs.renameSync(tmp, file);
    } catch {
        // A cache that cannot be written only costs the next run the work again.
    }
}

/** Reads a JSON cache entry; undefined when absent or not JSON. */
export function readCacheJson<T>(file: string): T | undefined {
    const text = readCacheFile(file);
    try {
        return text === undefined ? undefined : JSON.parse(text) as T;
    } catch {
        return undefined;
    }
}
