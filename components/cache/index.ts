import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext, typeToken } from "../common/component";
import { GrantOptions, GrantRegistry, GrantRole } from "../common/grants";
import { publish } from "../common/publish";
import { cacheAlarms } from "./alarms";
import { RedisCacheArgs } from "./args";
import { authSecret, authToken, connectionUrl, readAuthTokenStatements } from "./authToken";
import { CacheContext } from "./context";
import { cacheLogs } from "./logs";
import { cacheNetwork } from "./network";
import { parameterGroup } from "./parameters";
import { replicationGroup } from "./replicationGroup";
import { COMPONENT, REDIS_PORT, resolveCacheSpec } from "./spec";

export { CacheAlarmArgs, CacheEngine, CacheNetworkArgs, CacheSubnetTier, ClusterMode, RedisCacheArgs } from "./args";
export { AUTH_TOKEN } from "./authToken";
export { memberClusterIds } from "./alarms";
export { cacheParameters } from "./parameters";
export { DEFAULT_ENGINE_VERSION, ENGINE_VERSIONS, MAXMEMORY_POLICIES, REDIS_PORT } from "./spec";

/** What the grants of a cache need: its secret and the secret's key. */
const grants = new GrantRegistry<{ component: pulumi.ComponentResource; secretArn: pulumi.Output<string>; secretKmsKeyArn?: pulumi.Input<string> }>();

/**
 * The guide's caching layer: an ElastiCache replication group (Valkey or Redis OSS) that is
 * production-ready by default. Encrypted at rest and in transit, a generated auth token kept in
 * Secrets Manager and only ever handled as a Pulumi secret, reachable on 6379 only from the named
 * security groups, Multi-AZ with automatic failover whenever there is a replica, an LRU-evicting
 * parameter group, snapshots, slow and engine logs, and alarms.
 */
export class RedisCache extends pulumi.ComponentResource {
    /**
     * Where clients connect: the configuration endpoint in cluster mode, else the primary endpoint.
     */
    public readonly endpoint!: pulumi.Output<string>;
    /** The configuration endpoint (cluster mode only; undefined otherwise). */
    public readonly configurationEndpoint!: pulumi.Output<string | undefined>;
    /** The primary (read/write) endpoint (cluster mode disabled only; undefined otherwise). */
    public readonly primaryEndpoint!: pulumi.Output<string | undefined>;
    /** The reader endpoint, spreading reads over the replicas (cluster mode disabled only). */
    public readonly readerEndpoint!: pulumi.Output<string | undefined>;
    /** The port clients connect to. */
    public readonly port!: pulumi.Output<number>;
    /**
     * ARN of the Secrets Manager secret: a JSON object with `authToken`, `host`, `port` and `url`.
     * Give it to a service as `${authSecretArn}:url::` to get the connection URL.
     */
    public readonly authSecretArn!: pulumi.Output<string>;
    /** The auth token (a Pulumi secret). */
    public readonly authToken!: pulumi.Output<string>;
    /** `rediss://:<token>@<endpoint>:6379` (a Pulumi secret). */
    public readonly connectionUrl!: pulumi.Output<string>;
    /** The ElastiCache replication group id. */
    public readonly replicationGroupId!: pulumi.Output<string>;
    /** The ElastiCache replication group ARN. */
    public readonly replicationGroupArn!: pulumi.Output<string>;
    /** The cache's security group (admits the allowed security groups on 6379 only). */
    public readonly securityGroupId!: pulumi.Output<string>;
    /** The cache's parameter group. */
    public readonly parameterGroupName!: pulumi.Output<string>;
    /** The cache's own subnet group. */
    public readonly subnetGroupName!: pulumi.Output<string>;
    /** The CloudWatch log group of the slow log. */
    public readonly slowLogGroupName!: pulumi.Output<string>;
    /** The CloudWatch log group of the engine log. */
    public readonly engineLogGroupName!: pulumi.Output<string>;
    /** The SNS topic the alarms notify (the given one or the created one). */
    public readonly alarmTopicArn!: pulumi.Output<string>;

    constructor(name: string, args: RedisCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = resolveCacheSpec(name, args);
        super(typeToken(COMPONENT), name, {}, opts);
        const ctx: CacheContext = { spec, kit: new ComponentContext(this, COMPONENT, args) };

        const network = cacheNetwork(ctx);
        const parameters = parameterGroup(ctx);
        const token = authToken(ctx);
        const logs = cacheLogs(ctx);
        const group = replicationGroup(ctx, { network, parameterGroup: parameters, logs, token });
        const host = spec.clustered ? group.configurationEndpointAddress : group.primaryEndpointAddress;
        const port = group.port.apply((p) => p ?? REDIS_PORT);
        const url = connectionUrl(token, host, port);
        const secret = authSecret(ctx, { token, host, port, url });
        const alarmTopicArn = cacheAlarms(ctx, group);

        grants.set(this, name, { component: this, secretArn: secret.arn, secretKmsKeyArn: spec.secretKmsKeyArn });
        const none = pulumi.output(undefined);
        publish<RedisCache>(this, {
            endpoint: host,
            configurationEndpoint: spec.clustered ? group.configurationEndpointAddress : none,
            primaryEndpoint: spec.clustered ? none : group.primaryEndpointAddress,
            readerEndpoint: spec.clustered ? none : group.readerEndpointAddress,
            port,
            authSecretArn: secret.arn,
            authToken: token,
            connectionUrl: url,
            replicationGroupId: group.id,
            replicationGroupArn: group.arn,
            securityGroupId: network.securityGroup.id,
            parameterGroupName: parameters.name,
            subnetGroupName: network.subnetGroup.name,
            slowLogGroupName: logs.slowLog.name,
            engineLogGroupName: logs.engineLog.name,
            alarmTopicArn,
        });
    }

    /**
     * Lets a role read the auth token (as `Secret.grantRead` does in AWS CDK): an inline policy on
     * the role allowing `secretsmanager:GetSecretValue` on exactly the cache's secret and, when
     * `secretKmsKeyArn` is given, `kms:Decrypt` on exactly that key through Secrets Manager. For an
     * application that reads the token itself; a LoadBalancedService given the secret in `secrets`
     * already lets its execution role read it.
     *
     * @param role an `aws.iam.Role`, or a role's name or ARN
     * @param options the policy's name (default `<cache>-read-auth-token`, `-2`, `-3`... after the
     *     first) and parent (default the role if a resource, else the cache)
     */
    public grantReadAuthToken(role: GrantRole, options?: GrantOptions): aws.iam.RolePolicy {
        return grants.grant(this, "read-auth-token", role, (d) => readAuthTokenStatements(d.secretArn, d.secretKmsKeyArn,
            d.secretKmsKeyArn === undefined ? "" : aws.getRegionOutput({}, { parent: d.component }).region), options);
    }
}
