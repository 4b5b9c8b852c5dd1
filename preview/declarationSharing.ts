/**
 * Installed declaration files (`node_modules`: the provider SDKs' ~4,000 files and ~48 MB) parsed
 * by an earlier TypeScript program in this process, handed to a later one: parsing and binding them
 * is most of a program's cost, while checking what the program asks for is cheap. Used by the
 * preview's type check (preview/typecheck.ts) and, in the tests, by every program built without a
 * host of its own (test/support/typescriptSourceFiles.ts).
 *
 * The same file object is handed on only when it was parsed and bound under the same settings (as
 * TypeScript's language service shares files between programs through its document registry): the
 * same compiler, the parse options the program passes (language version, module format, JSDoc
 * mode), the compiler options the parse and the binder read for a file without statements to check
 * (module kind and detection decide whether it is a module, `alwaysStrict` its strict mode), and the
 * file's size and modification time unchanged. The repository's own sources are parsed afresh.
 */
import type * as TS from "typescript";
import { fingerprint } from "../components/common/contentCache";

interface Shared {
    print: string;
    file: TS.SourceFile;
}

/** Parsed files per compiler, then by settings key, then by file name. */
const shared = new WeakMap<typeof TS, Map<string, Map<string, Shared>>>();

type Internals = {
    getEmitModuleKind(o: TS.CompilerOptions): TS.ModuleKind;
    getEmitModuleDetectionKind(o: TS.CompilerOptions): TS.ModuleDetectionKind;
    getStrictOptionValue(o: TS.CompilerOptions, flag: "alwaysStrict"): boolean;
};

function settingsKey(ts: typeof TS, options: TS.CompilerOptions, parse: TS.ScriptTarget | TS.CreateSourceFileOptions): string {
    const p = typeof parse === "object" ? parse : { languageVersion: parse };
    const internals = ts as unknown as Partial<Internals>;
    const computed = internals.getEmitModuleKind && internals.getEmitModuleDetectionKind && internals.getStrictOptionValue
        ? [internals.getEmitModuleKind(options), internals.getEmitModuleDetectionKind(options), internals.getStrictOptionValue(options, "alwaysStrict")]
        : [options.module, options.moduleDetection, options.strict, options.alwaysStrict, options.moduleResolution];
    return JSON.stringify([...computed, options.jsx, p.languageVersion, p.impliedNodeFormat, p.jsDocParsingMode]);
}

const isInstalledDeclaration = (file: string) => file.endsWith(".d.ts") && /[\\/]node_modules[\\/]/.test(file);

/** A compiler host of `ts` for `options` whose installed declaration files are shared as above. */
export function sharingCompilerHost(ts: typeof TS, options: TS.CompilerOptions): TS.CompilerHost {
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    const byKey = shared.get(ts) ?? shared.set(ts, new Map()).get(ts)!;
    host.getSourceFile = (fileName, parse, onError, shouldCreate) => {
        if (!isInstalledDeclaration(fileName)) {
            return getSourceFile(fileName, parse, onError, shouldCreate);
        }
        const key = settingsKey(ts, options, parse);
        const files = byKey.get(key) ?? byKey.set(key, new Map()).get(key)!;
        const print = fingerprint(fileName);
        const known = files.get(fileName);
        if (known && print !== undefined && known.print === print) {
            return known.file;
        }
        const file = getSourceFile(fileName, parse, onError, shouldCreate);
        if (file && print !== undefined) {
            files.set(fileName, { print, file });
        }
        return file;
    };
    return host;
}
