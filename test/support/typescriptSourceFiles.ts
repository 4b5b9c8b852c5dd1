/**
 * Loaded by mocha (.mocharc.json `require`): TypeScript programs the tests build without a compiler
 * host of their own (scripts/reference-docs.ts, scripts/api-surface.ts, the SDK's schema analyzer
 * in test/package/schema.test.ts) share, within one test process, the installed declaration files
 * they parse: the provider SDKs' ~4,000 files and ~48 MB, which cost each program most of its time
 * (parsing and binding them), while checking what the program asks for is cheap.
 *
 * What is shared, and when, is preview/declarationSharing.ts (the preview's type check uses the
 * same host); programs given a host of their own are left alone.
 */
import type * as TS from "typescript";
import { sharingCompilerHost } from "../../preview/declarationSharing";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the one compiler instance the scripts and the SDK's analyzer load
const ts = require("typescript") as typeof TS;

const createProgram = ts.createProgram;

function createSharingProgram(rootNamesOrOptions: readonly string[] | TS.CreateProgramOptions, options?: TS.CompilerOptions, host?: TS.CompilerHost,
    oldProgram?: TS.Program, configFileParsingDiagnostics?: readonly TS.Diagnostic[]): TS.Program {
    const create: TS.CreateProgramOptions = Array.isArray(rootNamesOrOptions)
        ? { rootNames: rootNamesOrOptions, options: options ?? {}, host, oldProgram, configFileParsingDiagnostics }
        : rootNamesOrOptions as TS.CreateProgramOptions;
    return createProgram(create.host ? create : { ...create, host: sharingCompilerHost(ts, create.options) });
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
