/**
 * The whole-process floor (bench/preview.ts runs it as a fresh process): loads the provider SDKs a
 * program loads and registers the same cloud resources bare, on the same recording runtime, then
 * exits. What any Pulumi program of that size costs offline, start to exit.
 *
 * Usage: node -r ./preview/register.js bench/floor.ts <resources.json>
 *   (the JSON: { resources: BareResource[], options: RuntimeOptions, providers: the `@pulumi/*` provider
 *   packages the program loads }, written by bench/process.ts)
 */
import * as fs from "fs";
import { record, RuntimeOptions } from "../preview/runtime";
import { BareResource, classOf } from "./bare";

const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as { resources: BareResource[]; options: RuntimeOptions; providers: string[] };
// The provider SDKs the program imports (the preview's process loads them all, used or not).
for (const sdk of spec.providers) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded as the program loads them
    require(sdk);
}
record(() => {
    for (const r of spec.resources) {
        new (classOf(r.type))(r.name, r.inputs);
    }
}, spec.options).then((recording) => {
    if (recording.graph.resources.length < spec.resources.length) {
        throw new Error(`the floor recorded ${recording.graph.resources.length} resources of ${spec.resources.length}`);
    }
    process.exit(0);
}, (err) => {
    console.error(err);
    process.exit(1);
});
