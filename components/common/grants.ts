import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, Statement } from "./iam";
import { grantName } from "./naming";

/**
 * The role a component's `grant...` method gives permissions to: an `aws.iam.Role`, or the name or
 * ARN of a role (for example a LoadBalancedService's `taskRoleName` or `executionRoleArn`).
 */
export type GrantRole = aws.iam.Role | pulumi.Input<string>;

/**
 * The role's name. An IAM role ARN is `arn:<partition>:iam::<account>:role/<path><name>` and a role
 * name cannot contain `/` (IAM API reference, `Role`), so the name is what follows the last `/`.
 */
export function roleNameOf(role: GrantRole): pulumi.Output<string> {
    if (aws.iam.Role.isInstance(role)) {
        return role.name;
    }
    return pulumi.output(role).apply((r) => (/^arn:aws[a-z-]*:iam::/.test(r) ? r.slice(r.lastIndexOf("/") + 1) : r));
}

/** Options of a component's `grant...` method. */
export interface GrantOptions {
    /**
     * The Pulumi name of the inline policy.
     * @default `<component>-<grant>`, then `-2`, `-3`... for further grants of the same kind
     */
    name?: string;
    /**
     * The policy's parent: the principal's own component (for example the LoadBalancedService whose
     * execution role is granted), so the policy shows, and goes, with the role it empowers.
     * @default the role when an `aws.iam.Role` is given, else the granting component
     */
    parent?: pulumi.Resource;
}

/**
 * Where a component keeps what its grants need: the component's name, the number of grants made so
 * far (their Pulumi names are numbered) and whatever the component records for them. A field would
 * be a schema output, so it lives here.
 */
export class GrantRegistry<T> {
    private readonly entries = new WeakMap<pulumi.ComponentResource, { name: string; count: Map<string, number>; data: T }>();

    /** Records a component at construction. */
    public set(component: pulumi.ComponentResource, name: string, data: T): void {
        this.entries.set(component, { name, count: new Map(), data });
    }

    /** Attaches the statements to the role as one inline policy (see GrantOptions for its name and parent). */
    public grant(component: pulumi.ComponentResource, grant: string, role: GrantRole, statements: (data: T) => Statement[], options: GrantOptions = {}): aws.iam.RolePolicy {
        const entry = this.entries.get(component);
        if (entry === undefined) {
            throw new Error(`${grant}: the component was not constructed`);
        }
        const index = entry.count.get(grant) ?? 0;
        entry.count.set(grant, index + 1);
        return new aws.iam.RolePolicy(options.name ?? grantName(entry.name, grant, index), {
            role: roleNameOf(role),
            policy: policyDocument(statements(entry.data)),
        }, { parent: options.parent ?? (aws.iam.Role.isInstance(role) ? role : component) });
    }
}
