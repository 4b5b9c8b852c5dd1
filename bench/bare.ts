/**
 * The benchmarks' floor: the same cloud resources a program records, registered bare (their
 * classes from the provider SDKs, their recorded inputs, no components, no checks).
 */
import type * as pulumi from "@pulumi/pulumi";
import { RecordedResource, reveal, Unknown } from "../preview/runtime";

export type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** A bare resource: its type token, name and plain inputs. */
export interface BareResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** `aws:ec2/vpc:Vpc` -> `require("@pulumi/aws").ec2.Vpc`; `random:index/randomPassword:RandomPassword` -> `require("@pulumi/random").RandomPassword`. */
export function classOf(type: string): ResourceClass {
    const [pkg, modulePath, className] = type.split(":");
    const mod = modulePath.split("/")[0];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider SDK of the token, as a program loads it
    const root = require(`@pulumi/${pkg}`) as Record<string, unknown>;
    const ns = (mod === "index" ? root : root[mod]) as Record<string, unknown> | undefined;
    const cls = ns?.[className];
    if (typeof cls !== "function") {
        throw new Error(`no class for ${type}`);
    }
    return cls as ResourceClass;
}

/** Plain inputs: secrets revealed, unknowns dropped (the floor has no dependencies to wait for). */
export function plainInputs(r: RecordedResource): Record<string, unknown> {
    const strip = (v: unknown): unknown => v instanceof Unknown ? undefined
        : Array.isArray(v) ? v.map(strip)
            : v !== null && typeof v === "object" && v.constructor === Object ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]))
                : v;
    return strip(reveal(r.inputs)) as Record<string, unknown>;
}

/** The program's cloud resources (not components or providers) as bare ones. */
export function bareResources(resources: RecordedResource[]): BareResource[] {
    return resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"))
        .map((r) => ({ type: r.type, name: r.name, inputs: plainInputs(r) }));
}
