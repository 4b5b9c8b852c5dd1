import * as pulumi from "@pulumi/pulumi";

/**
 * The one error type every component throws for bad arguments.
 *
 * A message names the component, the resource name, each offending argument, what was given and
 * what is allowed, so a `pulumi up` or offline preview stops with one readable line per problem and
 * never with half-built infrastructure: components validate everything before creating children.
 * It is a `pulumi.RunError`, which the Pulumi CLI reports without a stack trace.
 */
export interface ValidationProblem {
    /** The argument path, for example `healthCheck.path`. */
    argument: string;
    /** What the caller gave, rendered for humans. */
    given: string;
    /** What would have been accepted. */
    allowed: string;
    /**
     * Where the value came from when the caller did not give it, for example `defaulted from the
     * component's name`: shown after the value, so nobody hunts for an argument they never set.
     */
    note?: string;
}

export class ValidationError extends pulumi.RunError {
    public readonly component: string;
    public readonly resourceName: string;
    public readonly problems: ValidationProblem[];

    constructor(component: string, resourceName: string, problems: ValidationProblem[]) {
        const lines = problems.map((p) => `argument "${p.argument}" was ${p.given}${p.note ? ` (${p.note})` : ""}; allowed: ${p.allowed}`);
        const head = `${component} "${resourceName}": invalid arguments`;
        super(lines.length === 1 ? `${component} "${resourceName}": ${lines[0]}` : `${head}:\n  - ${lines.join("\n  - ")}`);
        this.name = "ValidationError";
        this.component = component;
        this.resourceName = resourceName;
        this.problems = problems;
    }
}

/** Renders a given value for an error message without dumping whole objects or secrets. */
export function describeValue(value: unknown): string {
    if (value === undefined) {
        return "missing";
    }
    if (typeof value === "string") {
        return JSON.stringify(value);
    }
    if (typeof value === "number" || typeof value === "boolean" || value === null) {
        return String(value);
    }
    if (Array.isArray(value)) {
        return `[${value.map(describeValue).join(", ")}]`;
    }
    return "an object";
}
