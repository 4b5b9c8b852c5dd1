import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { CacheEngine, CacheSubnetTier, ClusterMode, LoadBalancedService, Network, RedisCache, RedisCacheArgs } from "../../components";
import { AUTH_TOKEN, memberClusterIds } from "../../components/cache";
import { finalSnapshotName } from "../../components/common/naming";
import { dailyWindowMinutes, weeklyWindowMinutes } from "../../components/common/windows";
import { expectValidationError, Graph, parseJson, record, Secret, valueOf } from "../support/harness";

const CLIENT_SG = "sg-0123456789abcdef0";
const network = {
    vpcId: "vpc-123",
    isolatedSubnetIds: ["subnet-iso-a", "subnet-iso-b", "subnet-iso-c"],
    privateSubnetIds: ["subnet-priv-a", "subnet-priv-b", "subnet-priv-c"],
};
const base: RedisCacheArgs = { network, allowedSecurityGroupIds: [CLIENT_SG] };

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const PG = "aws:elasticache/parameterGroup:ParameterGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOKEN = "(known after apply: cache-auth-token.result)";

function build(overrides: Partial<RedisCacheArgs> = {}) {
    // After apply (an update, not a preview): the generated auth token is a (secret) placeholder that can be traced.
    return record(() => new RedisCache("cache", { ...base, ...overrides }), { preview: false });
}

function alarmsOf(graph: Graph): Record<string, any> {
    return Object.fromEntries(graph.byType(ALARM).map((a) => [a.name, graph.inputsOf(a)]));
}

/** Node ids an alarm's metric queries watch. */
function watchedNodes(alarm: any): string[] {
    return alarm.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.CacheClusterId);
}

/**
 * Every place a value containing `needle` appears in recorded inputs or registered outputs, with
 * whether a Secret wrapper encloses it.
 */
function occurrences(graph: Graph, needle: string): { where: string; secret: boolean }[] {
    const found: { where: string; secret: boolean }[] = [];
    const walk = (value: unknown, where: string, secret: boolean): void => {
        if (value instanceof Secret) {
            walk(value.value, where, true);
        } else if (typeof value === "string") {
            if (value.includes(needle)) {
                found.push({ where, secret });
            }
        } else if (Array.isArray(value)) {
            value.forEach((v, i) => walk(v, `${where}[${i}]`, secret));
        } else if (value !== null && typeof value === "object") {
            Object.entries(value).forEach(([k, v]) => walk(v, `${where}.${k}`, secret));
        }
    };
    for (const r of graph.resources) {
        walk(r.inputs, `${r.name}.inputs`, false);
        walk(r.outputs ?? {}, `${r.name}.outputs`, false);
    }
    return found;
}

describe("RedisCache", () => {
    describe("with default arguments", () => {
        let graph: Graph;
        let cache: RedisCache;
        let rg: any;
        before(async () => {
            const rec = await build();
            graph = rec.graph;
            cache = rec.result;
            rg = graph.inputsOf(graph.one(RG));
        });

        it("builds a Valkey replication group: one shard, a primary and one replica", () => {
            expect(rg).to.include({ engine: "valkey", engineVersion: "8.2", nodeType: "cache.r7g.large", port: 6379, clusterMode: "disabled", numCacheClusters: 2 });
            expect(rg.numNodeGroups).to.equal(undefined);
            expect(rg.replicasPerNodeGroup).to.equal(undefined);
            expect(rg.autoMinorVersionUpgrade).to.equal(true);
            expect(rg.applyImmediately).to.equal(false);
        });

        it("is Multi-AZ with automatic failover because it has a replica", () => {
            expect(rg.automaticFailoverEnabled).to.equal(true);
            expect(rg.multiAzEnabled).to.equal(true);
        });

        it("encrypts at rest and requires TLS in transit, with an auth token", () => {
            expect(rg.atRestEncryptionEnabled).to.equal(true);
            expect(rg.kmsKeyId).to.equal(undefined);
            expect(rg.transitEncryptionEnabled).to.equal(true);
            expect(rg.transitEncryptionMode).to.equal("required");
            expect(graph.one(RG).inputs.authToken).to.be.instanceOf(Secret);
            expect(rg.authToken).to.equal(TOKEN);
        });

        it("generates a token ElastiCache accepts: 16-128 characters, no special characters outside its list", () => {
            const password = graph.inputsOf(graph.one("random:index/randomPassword:RandomPassword"));
            expect(password.length).to.be.within(16, 128);
            expect(password.length).to.equal(AUTH_TOKEN.length);
            // Letters and digits only: a subset of what ElastiCache allows, and URL-safe.
            expect(password.special).to.equal(false);
            expect(password).to.include({ minUpper: 1, minLower: 1, minNumeric: 1 });
            expect(password.upper ?? true).to.equal(true);
            expect(password.lower ?? true).to.equal(true);
        });

        it("stores the token and the connection URL in a Secrets Manager secret, as a secret", () => {
            const secret = graph.named("cache-auth", "aws:secretsmanager/secret:Secret");
            expect(graph.inputsOf(secret).kmsKeyId).to.equal(undefined);
            const version = graph.one("aws:secretsmanager/secretVersion:SecretVersion");
            expect(version.inputs.secretString).to.be.instanceOf(Secret);
            const inputs = graph.inputsOf(version);
            expect(inputs.secretId).to.equal("(known after apply: cache-auth.id)");
            expect(JSON.parse(inputs.secretString)).to.deep.equal({
                authToken: TOKEN,
                host: "(known after apply: cache-rg.primaryEndpointAddress)",
                port: 6379,
                url: `rediss://:${encodeURIComponent(TOKEN)}@(known after apply: cache-rg.primaryEndpointAddress):6379`,
            });
        });

        it("never puts the token in a resource input or output except as a secret", () => {
            const found = occurrences(graph, TOKEN).concat(occurrences(graph, encodeURIComponent(TOKEN)));
            // The replication group, the secret version, and the component's URL output at least.
            expect(found.map((f) => f.where)).to.include.members(["cache-rg.inputs.authToken", "cache-auth.inputs.secretString", "cache.outputs.connectionUrl"]);
            expect(found.filter((f) => !f.secret)).to.deep.equal([]);
        });

        it("admits port 6379 only from the named security groups: no CIDR ingress, no egress", () => {
            const sg = graph.inputsOf(graph.named("cache-sg", "aws:ec2/securityGroup:SecurityGroup"));
            expect(sg.vpcId).to.equal("vpc-123");
            expect(sg.ingress ?? []).to.deep.equal([]);
            expect(sg.egress ?? []).to.deep.equal([]);
            const rules = graph.byType(INGRESS).map((r) => graph.inputsOf(r));
            expect(rules).to.have.length(1);
            expect(rules[0]).to.include({ securityGroupId: "(known after apply: cache-sg.id)", referencedSecurityGroupId: CLIENT_SG, ipProtocol: "tcp", fromPort: 6379, toPort: 6379 });
            for (const rule of rules) {
                expect(rule.cidrIpv4).to.equal(undefined);
                expect(rule.cidrIpv6).to.equal(undefined);
                expect(rule.prefixListId).to.equal(undefined);
            }
            expect(graph.byType(EGRESS)).to.have.length(0);
            expect(rg.securityGroupIds).to.deep.equal(["(known after apply: cache-sg.id)"]);
        });

        it("places the nodes in the isolated subnets through its own subnet group", () => {
            const group = graph.inputsOf(graph.one("aws:elasticache/subnetGroup:SubnetGroup"));
            expect(group.subnetIds).to.deep.equal(network.isolatedSubnetIds);
            expect(rg.subnetGroupName).to.equal("(known after apply: cache-subnets.name)");
        });

        it("uses a parameter group of the engine's family: allkeys-lru, cluster mode off", () => {
            const pg = graph.inputsOf(graph.one(PG));
            expect(pg.family).to.equal("valkey8");
            expect(pg.parameters).to.deep.equal([{ name: "cluster-enabled", value: "no" }, { name: "maxmemory-policy", value: "allkeys-lru" }]);
            expect(rg.parameterGroupName).to.equal("(known after apply: cache-params.name)");
        });

        it("keeps a week of daily snapshots, a final snapshot, and a weekly maintenance window", () => {
            expect(rg).to.include({
                snapshotRetentionLimit: 7,
                snapshotWindow: "03:00-04:00",
                maintenanceWindow: "sun:05:00-sun:06:00",
            });
            // The final snapshot is `cache-final-<random hex>` (unknown until the random id exists),
            // not a fixed `cache-final` that the second replace or destroy would collide with.
            const suffix = graph.one("random:index/randomId:RandomId");
            expect(suffix.name).to.equal("cache-final-snapshot");
            expect(graph.one(RG).propertyDependencies.finalSnapshotIdentifier).to.deep.equal([suffix.urn]);
            expect(finalSnapshotName("cache", "0a1b2c3d")).to.equal("cache-final-0a1b2c3d");
        });

        it("delivers the slow log and the engine log to log groups with a retention", () => {
            const groups = graph.byType("aws:cloudwatch/logGroup:LogGroup").map((g) => graph.inputsOf(g));
            expect(groups.map((g) => [g.name, g.retentionInDays])).to.deep.equal([
                ["/scaling-toolkit/cache/slow-log", 30],
                ["/scaling-toolkit/cache/engine-log", 30],
            ]);
            expect(rg.logDeliveryConfigurations).to.deep.equal([
                { destination: "/scaling-toolkit/cache/slow-log", destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
                { destination: "/scaling-toolkit/cache/engine-log", destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
            ]);
        });

        it("raises engine CPU, memory, eviction, connection and replication-lag alarms over every node", () => {
            const topic = graph.inputsOf(graph.one("aws:sns/topic:Topic"));
            expect(topic.kmsMasterKeyId).to.equal("(known after apply: cache-alarms.arn)");
            const alarms = alarmsOf(graph);
            expect(Object.keys(alarms).sort()).to.deep.equal(["cache-connections", "cache-engine-cpu", "cache-evictions", "cache-memory", "cache-replication-lag"]);
            const metricOf = (a: any) => a.metricQueries.find((q: any) => q.metric).metric;
            expect(metricOf(alarms["cache-engine-cpu"])).to.include({ namespace: "AWS/ElastiCache", metricName: "EngineCPUUtilization", stat: "Maximum" });
            expect(metricOf(alarms["cache-memory"]).metricName).to.equal("DatabaseMemoryUsagePercentage");
            expect(metricOf(alarms["cache-evictions"])).to.include({ metricName: "Evictions", stat: "Sum" });
            expect(metricOf(alarms["cache-connections"]).metricName).to.equal("CurrConnections");
            expect(metricOf(alarms["cache-replication-lag"]).metricName).to.equal("ReplicationLag");
            expect(Object.values(alarms).map((a) => a.threshold)).to.deep.equal([80, 80, 1000, 5000, 30]);
            for (const alarm of Object.values(alarms)) {
                expect(watchedNodes(alarm)).to.deep.equal(["(known after apply: cache-rg.id)-001", "(known after apply: cache-rg.id)-002"]);
                expect(alarm.metricQueries.filter((q: any) => q.returnData)).to.have.length(1);
                expect(alarm.alarmActions).to.deep.equal(["(known after apply: cache-alarms.arn)"]);
                expect(alarm.okActions).to.deep.equal(["(known after apply: cache-alarms.arn)"]);
            }
            expect(alarms["cache-engine-cpu"].metricQueries.at(-1).expression).to.equal("MAX([FILL(n0, 0), FILL(n1, 0)])");
            // Replicas replay the primary's deletes: the busiest node, not the sum, is the shard's eviction rate.
            expect(alarms["cache-evictions"].metricQueries.at(-1).expression).to.equal("MAX([FILL(n0, 0), FILL(n1, 0)])");
        });

        it("outputs primary and reader endpoints, the port, the secret's ARN and a secret rediss:// URL", async () => {
            expect(await valueOf(cache.endpoint)).to.equal("(known after apply: cache-rg.primaryEndpointAddress)");
            expect(await valueOf(cache.primaryEndpoint)).to.equal("(known after apply: cache-rg.primaryEndpointAddress)");
            expect(await valueOf(cache.readerEndpoint)).to.equal("(known after apply: cache-rg.readerEndpointAddress)");
            expect(await valueOf(cache.configurationEndpoint)).to.equal(undefined);
            expect(await valueOf(cache.port)).to.equal(6379);
            expect(await valueOf(cache.authSecretArn)).to.equal("(known after apply: cache-auth.arn)");
            const url = await valueOf(cache.connectionUrl);
            expect(url).to.be.instanceOf(Secret);
            expect((url as Secret).value).to.equal(`rediss://:${encodeURIComponent(TOKEN)}@(known after apply: cache-rg.primaryEndpointAddress):6379`);
            expect(await valueOf(cache.authToken)).to.be.instanceOf(Secret);
            expect(await valueOf(cache.securityGroupId)).to.equal("(known after apply: cache-sg.id)");
        });

        it("parents every child to the component and tags taggable ones", () => {
            const component = graph.one("scaling-toolkit:index:RedisCache");
            const children = graph.childrenOf(component);
            expect(children.length).to.be.greaterThan(10);
            expect(graph.customResources.every((r) => r.parent === component.urn)).to.equal(true);
            for (const r of [RG, PG, "aws:elasticache/subnetGroup:SubnetGroup", "aws:secretsmanager/secret:Secret"].map((t) => graph.one(t))) {
                expect(graph.inputsOf(r).tags).to.include({ ManagedBy: "scaling-toolkit", Component: "RedisCache", Environment: "test" });
            }
        });
    });

    it("shards with cluster mode: N node groups x R replicas, a configuration endpoint, alarms per shard", async () => {
        const { graph, result } = await build({ clusterMode: ClusterMode.Enabled, shards: 3, replicasPerShard: 2 });
        const rg = graph.inputsOf(graph.one(RG));
        expect(rg).to.include({ clusterMode: "enabled", numNodeGroups: 3, replicasPerNodeGroup: 2, automaticFailoverEnabled: true, multiAzEnabled: true });
        expect(rg.numCacheClusters).to.equal(undefined);
        const pg = graph.inputsOf(graph.one(PG));
        expect(pg.parameters).to.deep.include({ name: "cluster-enabled", value: "yes" });
        expect(await valueOf(result.endpoint)).to.equal("(known after apply: cache-rg.configurationEndpointAddress)");
        expect(await valueOf(result.configurationEndpoint)).to.equal("(known after apply: cache-rg.configurationEndpointAddress)");
        expect(await valueOf(result.primaryEndpoint)).to.equal(undefined);
        expect(((await valueOf(result.connectionUrl)) as Secret).value).to.match(/^rediss:\/\/:.+@\(known after apply: cache-rg\.configurationEndpointAddress\):6379$/);
        const alarms = alarmsOf(graph);
        expect(Object.keys(alarms)).to.have.length(15);
        expect(watchedNodes(alarms["cache-engine-cpu-shard-2"])).to.deep.equal([1, 2, 3].map((n) => `(known after apply: cache-rg.id)-0002-00${n}`));
    });

    it("without replicas: no failover, no Multi-AZ, no replication-lag alarm", async () => {
        const { graph } = await build({ replicasPerShard: 0 });
        const rg = graph.inputsOf(graph.one(RG));
        expect(rg).to.include({ numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false });
        expect(Object.keys(alarmsOf(graph))).to.not.include("cache-replication-lag");
        expect(watchedNodes(alarmsOf(graph)["cache-memory"])).to.deep.equal(["(known after apply: cache-rg.id)-001"]);
    });

    it("sets the failover flag ElastiCache requires for cluster mode without replicas, but not Multi-AZ", async () => {
        const { graph } = await build({ clusterMode: ClusterMode.Enabled, shards: 2, replicasPerShard: 0 });
        expect(graph.inputsOf(graph.one(RG))).to.include({ numNodeGroups: 2, replicasPerNodeGroup: 0, automaticFailoverEnabled: true, multiAzEnabled: false });
    });

    it("runs Redis OSS with the redis7 parameter family", async () => {
        const { graph } = await build({ engine: CacheEngine.RedisOss });
        expect(graph.inputsOf(graph.one(RG))).to.include({ engine: "redis", engineVersion: "7.1" });
        expect(graph.inputsOf(graph.one(PG)).family).to.equal("redis7");
    });

    it("takes KMS keys, the private tier, parameter overrides, data tiering and an existing topic by argument", async () => {
        const { graph } = await build({
            subnetTier: CacheSubnetTier.Private,
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/data",
            secretKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/secret",
            logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs",
            nodeType: "cache.r6gd.xlarge",
            parameters: { "maxmemory-policy": "allkeys-lfu", "notify-keyspace-events": "Ex", "cluster-enabled": "no" },
            finalSnapshot: false,
            snapshotRetentionDays: 0,
            logRetentionDays: 7,
            alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:ops",
            alarms: { memoryPercent: 90 },
        });
        const rg = graph.inputsOf(graph.one(RG));
        expect(rg).to.include({ kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/data", dataTieringEnabled: true, snapshotRetentionLimit: 0 });
        expect(rg.finalSnapshotIdentifier).to.equal(undefined);
        expect(graph.inputsOf(graph.one("aws:elasticache/subnetGroup:SubnetGroup")).subnetIds).to.deep.equal(network.privateSubnetIds);
        expect(graph.inputsOf(graph.named("cache-auth", "aws:secretsmanager/secret:Secret")).kmsKeyId).to.equal("arn:aws:kms:eu-west-1:123456789012:key/secret");
        const logs = graph.byType("aws:cloudwatch/logGroup:LogGroup").map((g) => graph.inputsOf(g));
        expect(logs.every((g) => g.kmsKeyId === "arn:aws:kms:eu-west-1:123456789012:key/logs" && g.retentionInDays === 7)).to.equal(true);
        expect(graph.inputsOf(graph.one(PG)).parameters).to.deep.equal([
            { name: "cluster-enabled", value: "no" },
            { name: "maxmemory-policy", value: "allkeys-lfu" },
            { name: "notify-keyspace-events", value: "Ex" },
        ]);
        expect(graph.byType("aws:sns/topic:Topic")).to.have.length(0);
        const alarms = alarmsOf(graph);
        expect(alarms["cache-memory"].threshold).to.equal(90);
        expect(alarms["cache-memory"].alarmActions).to.deep.equal(["arn:aws:sns:eu-west-1:123456789012:ops"]);
    });

    it("serves a LoadBalancedService in a Network as in the README: isolated subnets, the tasks admitted, the URL as a container secret", async () => {
        const { graph } = await record(() => {
            const network = new Network("shop");
            // The service needs the cache's secret and the cache the service's security group.
            const [cacheSecretArn, resolveCacheSecretArn] = pulumi.deferredOutput<string>();
            const api = new LoadBalancedService("shop-api", {
                network,
                image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:1.4.2",
                domainName: "api.shop.example.com",
                hostedZoneId: "Z0123456789ABCDEFGHIJ",
                secrets: { REDIS_URL: pulumi.interpolate`${cacheSecretArn}:url::` },
            });
            const cache = new RedisCache("shop-cache", {
                network,
                allowedSecurityGroupIds: [api.securityGroupId],
                replicasPerShard: 2,
            });
            resolveCacheSecretArn(cache.authSecretArn);
            return cache;
        });
        const subnets = graph.inputsOf(graph.one("aws:elasticache/subnetGroup:SubnetGroup")).subnetIds;
        expect(subnets).to.deep.equal([0, 1, 2].map((i) => `(known after apply: shop-isolated-${i}.id)`));
        expect(graph.inputsOf(graph.named("shop-cache-sg")).vpcId).to.equal("(known after apply: shop-vpc.id)");
        const rules = graph.byType(INGRESS).map((r) => graph.inputsOf(r)).filter((r) => r.securityGroupId === "(known after apply: shop-cache-sg.id)");
        expect(rules.map((r) => [r.referencedSecurityGroupId, r.fromPort, r.cidrIpv4])).to.deep.equal([["(known after apply: shop-api-tasks.id)", 6379, undefined]]);
        const [container] = JSON.parse(graph.inputsOf(graph.one("aws:ecs/taskDefinition:TaskDefinition")).containerDefinitions);
        expect(container.secrets).to.deep.equal([{ name: "REDIS_URL", valueFrom: "(known after apply: shop-cache-auth.arn):url::" }]);
        const policy = parseJson(graph.inputsOf(graph.named("shop-api-execution", "aws:iam/rolePolicy:RolePolicy")).policy);
        const read = policy.Statement.find((s: any) => s.Sid === "ReadSecrets");
        // Exactly the cache's secret. (A real ARN loses its `:url::` suffix in secretArnOf; this
        // placeholder has too few `:`-separated parts to be recognised as an ARN, so it keeps it.)
        expect(read.Resource).to.have.length(1);
        expect(read.Resource[0].startsWith("(known after apply: shop-cache-auth.arn)")).to.equal(true);
        expect(occurrences(graph, "(known after apply: shop-cache-auth-token.result)").filter((f) => !f.secret)).to.deep.equal([]);
    });

    it("derives member cluster ids and window lengths", () => {
        expect(memberClusterIds("g", ClusterMode.Disabled, 1, 2)).to.deep.equal([["g-001", "g-002", "g-003"]]);
        expect(memberClusterIds("g", ClusterMode.Enabled, 2, 1)).to.deep.equal([["g-0001-001", "g-0001-002"], ["g-0002-001", "g-0002-002"]]);
        expect(dailyWindowMinutes("23:30-00:30")).to.equal(60);
        expect(dailyWindowMinutes("3:00-4:00")).to.equal(undefined);
        expect(weeklyWindowMinutes("sun:23:00-mon:01:00")).to.equal(120);
        expect(weeklyWindowMinutes("sun:05:00-sun:05:30")).to.equal(30);
        expect(weeklyWindowMinutes("xyz:05:00-sun:06:00")).to.equal(undefined);
    });

    describe("validation", () => {
        const cases: [string, Partial<RedisCacheArgs>, string][] = [
            ["zero shards", { clusterMode: ClusterMode.Enabled, shards: 0 }, "shards"],
            ["more than 500 shards", { clusterMode: ClusterMode.Enabled, shards: 501, replicasPerShard: 0 }, "shards"],
            ["a shape of more than 500 nodes", { clusterMode: ClusterMode.Enabled, shards: 100, replicasPerShard: 5 }, "shards"],
            ["more than 5 replicas per shard", { replicasPerShard: 6 }, "replicasPerShard"],
            ["negative replicas", { replicasPerShard: -1 }, "replicasPerShard"],
            ["a node type outside the cache. family", { nodeType: "r7g.large" }, "nodeType"],
            ["several shards without cluster mode", { shards: 3 }, "shards"],
            ["failover without replicas", { replicasPerShard: 0, automaticFailover: true }, "automaticFailover"],
            ["no failover in cluster mode with replicas", { clusterMode: ClusterMode.Enabled, automaticFailover: false }, "automaticFailover"],
            ["a cluster-enabled override conflicting with the mode", { parameters: { "cluster-enabled": "yes" } }, "parameters.cluster-enabled"],
            ["cluster-enabled no with cluster mode", { clusterMode: ClusterMode.Enabled, parameters: { "cluster-enabled": "no" } }, "parameters.cluster-enabled"],
            ["an unknown eviction policy", { parameters: { "maxmemory-policy": "lru" } }, "parameters.maxmemory-policy"],
            ["a malformed parameter name", { parameters: { "Max Memory": "1" } }, "parameters.Max Memory"],
            ["snapshot retention above 35 days", { snapshotRetentionDays: 36 }, "snapshotRetentionDays"],
            ["negative snapshot retention", { snapshotRetentionDays: -1 }, "snapshotRetentionDays"],
            ["a malformed snapshot window", { snapshotWindow: "3am-4am" }, "snapshotWindow"],
            ["a maintenance window under an hour", { maintenanceWindow: "sun:05:00-sun:05:30" }, "maintenanceWindow"],
            ["an engine version ElastiCache does not offer", { engine: CacheEngine.RedisOss, engineVersion: "8.2" }, "engineVersion"],
            ["an engine version that is an object property", { engineVersion: "toString" }, "engineVersion"],
            ["an unknown engine", { engine: "memcached" as CacheEngine }, "engine"],
            ["no allowed security groups", { allowedSecurityGroupIds: [] }, "allowedSecurityGroupIds"],
            ["a CIDR instead of a security group", { allowedSecurityGroupIds: ["10.0.0.0/16"] }, "allowedSecurityGroupIds[0]"],
            ["a missing subnet tier", { network: { vpcId: "vpc-123", privateSubnetIds: ["subnet-a", "subnet-b"] } }, "network.isolatedSubnetIds"],
            ["one subnet for Multi-AZ", { network: { vpcId: "vpc-123", isolatedSubnetIds: ["subnet-a"] } }, "network.isolatedSubnetIds"],
            ["a log retention CloudWatch refuses", { logRetentionDays: 2 }, "logRetentionDays"],
            ["a memory threshold above 100%", { alarms: { memoryPercent: 120 } }, "alarms.memoryPercent"],
        ];
        for (const [what, overrides, argument] of cases) {
            it(`rejects ${what} before creating anything`, async () => {
                const { graph } = await record(() => {
                    expectValidationError(() => new RedisCache("cache", { ...base, ...overrides }), "RedisCache", argument);
                });
                expect(graph.resources).to.have.length(0);
            });
        }

        it("rejects a name that cannot become a replication group id", async () => {
            const { graph } = await record(() => {
                expectValidationError(() => new RedisCache("Shop_Cache", base), "RedisCache", "name");
                expectValidationError(() => new RedisCache("a-very-long-cache-name-for-shop-x", base), "RedisCache", "name");
            });
            expect(graph.resources).to.have.length(0);
        });

        it("reports every problem at once", () => {
            const error = expectValidationError(() => new RedisCache("cache", { ...base, shards: 2, replicasPerShard: 9, snapshotRetentionDays: 40 }), "RedisCache", "shards");
            expect(error.problems.map((p) => p.argument)).to.include.members(["shards", "replicasPerShard", "snapshotRetentionDays"]);
        });
    });
});
