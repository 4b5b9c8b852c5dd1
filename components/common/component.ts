import * as pulumi from "@pulumi/pulumi";

/** The package name used in every type token. */
export const PACKAGE = "scaling-toolkit";

/** `scaling-toolkit:index:<ClassName>`: the form Pulumi's cross-language component hosting accepts. */
export function typeToken(className: string): string {
    return `${PACKAGE}:index:${className}`;
}

/** Arguments every component accepts. */
export interface CommonArgs {
    /**
     * Tags added to every taggable child resource, merged under the toolkit's own
     * `ManagedBy`, `Component` and `Environment` tags (a caller's `Environment` wins).
     * @default {}
     */
    tags?: Record<string, string>;
}

/**
 * The tags every child resource carries: the caller's tags plus `ManagedBy`, `Component` and
 * `Environment` (the stack name unless the caller says otherwise).
 */
export function standardTags(className: string, tags: Record<string, string> | undefined): Record<string, string> {
    return {
        ManagedBy: PACKAGE,
        Component: className,
        Environment: pulumi.getStack(),
        ...(tags ?? {}),
    };
}

/**
 * What a toolkit component's constructor hands its children: the standard tags and `parent: this`.
 *
 * Components extend `pulumi.ComponentResource` directly (Pulumi's schema inference for
 * cross-language hosting only recognises direct subclasses) and register under
 * `scaling-toolkit:index:<ClassName>`:
 *
 * ```ts
 * super(typeToken(COMPONENT), name, {}, opts);
 * const kit = new ComponentContext(this, COMPONENT, args);
 * new aws.ec2.Vpc(`${name}-vpc`, { tags: kit.tags }, kit.childOpts);
 * ```
 *
 * It is a local value, not a field: every field of a component class is a schema output.
 */
export class ComponentContext {
    /** Tags applied to every taggable child. */
    public readonly tags: Record<string, string>;
    /** The options every direct child is created with (`parent: this`). */
    public readonly childOpts: pulumi.CustomResourceOptions;

    constructor(component: pulumi.ComponentResource, className: string, args: CommonArgs) {
        this.tags = standardTags(className, args.tags);
        this.childOpts = { parent: component };
    }

    /** Child options with extra settings (for example `dependsOn` or `ignoreChanges`). */
    public opts(extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
        return { ...this.childOpts, ...extra };
    }
}
