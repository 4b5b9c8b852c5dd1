/**
 * Loaded by mocha (.mocharc.json `require`): TypeScript programs the tests build without a compiler
 * host of their own (scripts/reference-docs.ts, scripts/api-surface.ts, the SDK's schema analyzer
 * in test/package/schema.test.ts) share, within one test process, the installed declaration files
 * they parse: the provider SDKs' ~4,000 files and ~48 MB, which cost each program most of its time
 * (parsing and binding them), while checking what the program asks for is cheap.
 *
 * The same file object is handed to a later program only when it was parsed and bound under the
 * same settings (as TypeScript's language service shares files between programs through its
 * document registry): the parse options the program passes (language version, module format,
 * JSDoc mode), the compiler options that affect a source file (`ts.sourceFileAffectingCompilerOptions`,
 * with `strict`), and the file's size and modification time unchanged. Only declaration files under
 * `node_modules` are shared: the repository's own sources are parsed by each program afresh.
 * Programs given a host (preview/typecheck.ts has its own sharing) are left alone.
 */
import * as fs from "fs";
import type * as TS from "typescript";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the one compiler instance the scripts and the SDK's analyzer load
const ts = require("typescript") as typeof TS & { sourceFileAffectingCompilerOptions?: { name: string }[] };

interface Shared {
    print: string;
    file: TS.SourceFile;
}

/** Parsed files by settings key, then by file name. */
const shared = new Map<string, Map<string, Shared>>();

type Internals = {
    getEmitModuleKind(o: TS.CompilerOptions): TS.ModuleKind;
    getEmitModuleDetectionKind(o: TS.CompilerOptions): TS.ModuleDetectionKind;
    getStrictOptionValue(o: TS.CompilerOptions, flag: "alwaysStrict"): boolean;
};

/**
 * What a declaration file's parse and bind depend on: the parse options the program passes, and the
 * compiler options `createSourceFile` and the binder read for a file without statements to check
 * (module kind and detection decide whether it is a module, `alwaysStrict` its strict mode).
 */
function settingsKey(options: TS.CompilerOptions, parse: TS.ScriptTarget | TS.CreateSourceFileOptions): string {
    const p = typeof parse === "object" ? parse : { languageVersion: parse };
    const internals = ts as unknown as Partial<Internals>;
    const computed = internals.getEmitModuleKind && internals.getEmitModuleDetectionKind && internals.getStrictOptionValue
        ? [internals.getEmitModuleKind(options), internals.getEmitModuleDetectionKind(options), internals.getStrictOptionValue(options, "alwaysStrict")]
        : [options.module, options.moduleDetection, options.strict, options.alwaysStrict, options.moduleResolution];
    return JSON.stringify([ts.version, ...computed, options.jsx, p.languageVersion, p.impliedNodeFormat, p.jsDocParsingMode]);
}

function fingerprint(file: string): string | undefined {
    try {
        const s = fs.statSync(file);
        return `${s.size}:${s.mtimeMs}`;
    } catch {
        return undefined;
    }
}

const isInstalledDeclaration = (file: string) => file.endsWith(".d.ts") && /[\\/]node_modules[\\/]/.test(file);

function sharingHost(options: TS.CompilerOptions): TS.CompilerHost {
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, parse, onError, shouldCreate) => {
        if (!isInstalledDeclaration(fileName)) {
            return getSourceFile(fileName, parse, onError, shouldCreate);
        }
        const key = settingsKey(options, parse);
        const files = shared.get(key) ?? shared.set(key, new Map()).get(key)!;
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


const createProgram = ts.createProgram;

function createSharingProgram(rootNamesOrOptions: readonly string[] | TS.CreateProgramOptions, options?: TS.CompilerOptions, host?: TS.CompilerHost,
    oldProgram?: TS.Program, configFileParsingDiagnostics?: readonly TS.Diagnostic[]): TS.Program {
    const create: TS.CreateProgramOptions = Array.isArray(rootNamesOrOptions)
        ? { rootNames: rootNamesOrOptions, options: options ?? {}, host, oldProgram, configFileParsingDiagnostics }
        : rootNamesOrOptions as TS.CreateProgramOptions;
    return createProgram(create.host ? create : { ...create, host: sharingHost(create.options) });
}

/**
 * The compiler's exports are read-only getters, so `require("typescript")` from here on returns a
 * copy of them whose `createProgram` shares files (everything else is the same compiler).
 */
const entry = require.resolve("typescript");
const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(ts);
delete (descriptors as Partial<PropertyDescriptorMap>).createProgram;
const sharing = Object.defineProperties({ createProgram: createSharingProgram }, descriptors);
require.cache[entry]!.exports = sharing;
