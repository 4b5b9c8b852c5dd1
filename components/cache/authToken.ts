import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Statement } from "../common/iam";
import { childName } from "../common/naming";
import { CacheContext } from "./context";

/**
 * The generated auth token: ElastiCache accepts 16-128 printable characters with only
 * `! & # $ ^ < > -` as specials. It is 64 letters and digits (about 380 bits, at least one upper,
 * lower and digit): no character ever needs escaping in a URL, a shell or a config file.
 */
export const AUTH_TOKEN = { length: 64, special: false, minUpper: 1, minLower: 1, minNumeric: 1 } as const;

/** The auth token, generated once and a Pulumi secret everywhere it flows. */
export function authToken({ spec, kit }: CacheContext): pulumi.Output<string> {
    const password = new random.RandomPassword(childName(spec.name, "auth-token"), { ...AUTH_TOKEN }, kit.childOpts);
    return pulumi.secret(password.result);
}

/** Where clients connect, as the secret records it. */
export interface Connection {
    token: pulumi.Output<string>;
    host: pulumi.Output<string>;
    port: pulumi.Output<number>;
    /** `rediss://:<token>@<host>:<port>`. */
    url: pulumi.Output<string>;
}

/** The connection URL, `rediss://:<token>@<host>:<port>` (a Pulumi secret). */
export function connectionUrl(token: pulumi.Output<string>, host: pulumi.Output<string>, port: pulumi.Output<number>): pulumi.Output<string> {
    return pulumi.secret(pulumi.all([token, host, port]).apply(([t, h, p]) => `rediss://:${encodeURIComponent(t)}@${h}:${p}`));
}

/** The Secrets Manager secret holding `{ authToken, host, port, url }`, encrypted with `secretKmsKeyArn` if given. */
export function authSecret({ spec, kit }: CacheContext, connection: Connection): aws.secretsmanager.Secret {
    const id = childName(spec.name, "auth");
    const secret = new aws.secretsmanager.Secret(id, {
        description: `Auth token and connection URL of the ${spec.name} cache`,
        kmsKeyId: spec.secretKmsKeyArn,
        tags: kit.tags,
    }, kit.childOpts);
    const { token, host, port, url } = connection;
    new aws.secretsmanager.SecretVersion(id, {
        secretId: secret.id,
        secretString: pulumi.secret(pulumi.all([token, host, port, url]).apply(([t, h, p, u]) =>
            JSON.stringify({ authToken: t, host: h, port: p, url: u }))),
    }, kit.childOpts);
    return secret;
}

/**
 * What reading the auth token takes (IAM service authorization reference): `secretsmanager:GetSecretValue`
 * on exactly the secret and, when the secret is under a customer-managed key, `kms:Decrypt` on
 * exactly that key, only through Secrets Manager in the cache's region (`kms:ViaService`). With
 * the AWS-managed `aws/secretsmanager` key no KMS permission is needed: its key policy admits every
 * principal of the account through Secrets Manager.
 */
export function readAuthTokenStatements(secretArn: pulumi.Input<string>, secretKmsKeyArn: pulumi.Input<string> | undefined,
    region: pulumi.Input<string>): Statement[] {
    return [
        { sid: "ReadCacheAuthToken", actions: ["secretsmanager:GetSecretValue"], resources: [secretArn] },
        ...(secretKmsKeyArn === undefined ? [] : [{
            sid: "DecryptCacheAuthToken",
            actions: ["kms:Decrypt"],
            resources: [secretKmsKeyArn],
            conditions: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${region}.amazonaws.com` } },
        }]),
    ];
}
