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
 * A toolkit component: registers itself under `scaling-toolkit:index:<ClassName>` and hands out the
 * options and tags its children use.
 */
export abstract class ToolkitComponent extends pulumi.ComponentResource {
    /** Tags applied to every taggable child. */
    protected readonly tags: Record<string, string>;
    /** The options every direct child is created with (`parent: this`). */
    protected readonly childOpts: pulumi.CustomResourceOptions;

    protected constructor(className: string, name: string, args: CommonArgs, opts?: pulumi.ComponentResourceOptions) {
        super(typeToken(className), name, {}, opts);
        this.tags = standardTags(className, args.tags);
        this.childOpts = { parent: this };
    }

    /** Child options with extra settings (for example `dependsOn` or `ignoreChanges`). */
    protected opts(extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
        return { ...this.childOpts, ...extra };
    }
}
