import * as pulumi from "@pulumi/pulumi";

/**
 * The output fields of a component class: every `Output` field it declares, without the ones every
 * `ComponentResource` has (`urn`).
 */
export type OutputFields<T extends pulumi.ComponentResource> = {
    [K in Exclude<keyof T, keyof pulumi.ComponentResource> as NonNullable<T[K]> extends pulumi.Output<unknown> ? K : never]: T[K];
};

/**
 * Set a component's output fields and register the same object as its outputs, so the two can
 * never drift. The type demands every output field the class declares:
 *
 * ```ts
 * public readonly url!: pulumi.Output<string>;
 * ...
 * publish<LoadBalancedService>(this, { url, clusterName });   // a missing field does not compile
 * ```
 *
 * Name the class as the type argument: inside a constructor `this` is the polymorphic `this` type,
 * whose fields TypeScript cannot list.
 */
export function publish<T extends pulumi.ComponentResource>(component: T, outputs: OutputFields<T>): void {
    Object.assign(component, outputs);
    // registerOutputs is protected only to TypeScript; publish is the component's own call.
    (component as unknown as Registrable).registerOutputs(outputs as pulumi.Inputs);
}

interface Registrable {
    registerOutputs(outputs: pulumi.Inputs): void;
}
