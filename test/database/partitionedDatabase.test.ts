import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { PartitionedDatabase, PartitionedDatabaseArgs } from "../../components";
import { generatePartitioningSql, sqlDigest } from "../../components/database/partitioning/sql";
import { runDeployChecks } from "../../preview/deployChecks";
import { expectValidationError, Graph, parseJson, record, valueOf } from "../support/harness";
import { blockingOf, evaluate, expectCompliant } from "../support/policy";
import { base, network, ORDERS } from "./fixtures";


const INSTANCE = "aws:rds/instance:Instance";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const build = (overrides: Partial<PartitionedDatabaseArgs> = {}) =>
    record(() => new PartitionedDatabase("shop-db", { ...base, ...overrides }), { config: { "aws:region": "eu-west-1" } });
const statementsOf = (graph: Graph, name: string): any[] => parseJson(graph.inputsOf(graph.named(name, "aws:iam/rolePolicy:RolePolicy")).policy).Statement;

describe("PartitionedDatabase", function () {
    this.timeout(60_000);

    describe("with default arguments", () => {
        let graph: Graph;
        let db: PartitionedDatabase;
        before(async () => {
            const rec = await build();
            graph = rec.graph;
            db = rec.result;
        });

        it("runs PostgreSQL 17 on encrypted, autoscaling gp3 storage, Multi-AZ, private", () => {
            const i = graph.inputsOf(graph.one(INSTANCE));
            expect(i).to.include({ engine: "postgres", engineVersion: "17", instanceClass: "db.t4g.medium", storageType: "gp3", allocatedStorage: 50, maxAllocatedStorage: 200 });
            expect(i).to.include({ storageEncrypted: true, multiAz: true, publiclyAccessible: false, port: 5432, dbName: "app" });
            expect(i.kmsKeyId).to.equal("(known after apply: shop-db-key.arn)");
            const key = graph.inputsOf(graph.named("shop-db-key", "aws:kms/key:Key"));
            expect(key.enableKeyRotation).to.equal(true);
        });

        it("lets RDS manage the master password in Secrets Manager and turns on IAM authentication", () => {
            const i = graph.inputsOf(graph.one(INSTANCE));
            expect(i.manageMasterUserPassword).to.equal(true);
            expect(i.masterUserSecretKmsKeyId).to.equal("(known after apply: shop-db-key.arn)");
            expect(i.password).to.equal(undefined);
            expect(i.iamDatabaseAuthenticationEnabled).to.equal(true);
            expect(JSON.stringify(graph.resources.map((r) => r.inputs))).not.to.match(/password"\s*:\s*"/i);
        });

        it("keeps backups, a final snapshot and deletion protection, and copies tags to snapshots", () => {
            const i = graph.inputsOf(graph.one(INSTANCE));
            expect(i).to.include({ backupRetentionPeriod: 14, backupWindow: "03:00-04:00", maintenanceWindow: "sun:04:30-sun:05:30" });
            expect(i).to.include({ deletionProtection: true, skipFinalSnapshot: false, copyTagsToSnapshot: true });
            // The final snapshot is `shop-db-final-<8 hex>`: the suffix comes from a RandomId (test "final snapshot" below).
            const suffix = graph.named("shop-db-final-snapshot", "random:index/randomId:RandomId");
            expect(graph.one(INSTANCE).propertyDependencies.finalSnapshotIdentifier).to.deep.equal([suffix.urn]);
        });

        it("turns on Performance Insights, enhanced monitoring with a narrow role, and log exports", () => {
            const i = graph.inputsOf(graph.one(INSTANCE));
            expect(i).to.include({ performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 7, monitoringInterval: 60 });
            expect(i.monitoringRoleArn).to.equal("(known after apply: shop-db-monitoring.arn)");
            expect(i.enabledCloudwatchLogsExports).to.deep.equal(["postgresql", "upgrade"]);
            const st = statementsOf(graph, "shop-db-monitoring");
            expect(st.flatMap((s) => s.Resource).every((r: string) => r.includes(":log-group:RDSOSMetrics"))).to.equal(true);
        });

        it("places the database in its own subnet group in the isolated subnets", () => {
            const sg = graph.inputsOf(graph.one("aws:rds/subnetGroup:SubnetGroup"));
            expect(sg.subnetIds).to.deep.equal(network.isolatedSubnetIds);
            expect(graph.inputsOf(graph.one(INSTANCE)).dbSubnetGroupName).to.equal("(known after apply: shop-db-subnets.name)");
        });

        it("admits 5432 only from the named groups, the bootstrap function and the partition watch, with no egress", () => {
            const rules = graph.byType(INGRESS).map((r) => graph.inputsOf(r));
            expect(rules.map((r) => r.referencedSecurityGroupId).sort()).to.deep.equal(["(known after apply: shop-db-bootstrap.id)", "(known after apply: shop-db-watch.id)", "sg-app"]);
            expect(rules.every((r) => r.fromPort === 5432 && r.toPort === 5432 && r.cidrIpv4 === undefined)).to.equal(true);
            expect(rules.every((r) => r.securityGroupId === "(known after apply: shop-db-db.id)")).to.equal(true);
            expect(graph.byType(EGRESS).map((r) => graph.inputsOf(r).securityGroupId)).not.to.include("(known after apply: shop-db-db.id)");
        });

        it("forces TLS, preloads pg_cron and pg_stat_statements for the database, logs slow statements", () => {
            const pg = graph.inputsOf(graph.one("aws:rds/parameterGroup:ParameterGroup"));
            expect(pg.family).to.equal("postgres17");
            const p = Object.fromEntries(pg.parameters.map((x: any) => [x.name, x]));
            expect(p["rds.force_ssl"].value).to.equal("1");
            expect(p["shared_preload_libraries"]).to.deep.equal({ name: "shared_preload_libraries", value: "pg_cron,pg_stat_statements", applyMethod: "pending-reboot" });
            expect(p["cron.database_name"].value).to.equal("app");
            expect(p["log_min_duration_statement"].value).to.equal("500");
            expect(graph.inputsOf(graph.one(INSTANCE)).parameterGroupName).to.equal("(known after apply: shop-db-params.name)");
        });

        it("raises CPU, storage, memory and connection alarms to a created topic", () => {
            const alarms = graph.byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => graph.inputsOf(a)).filter((a) => a.namespace === "AWS/RDS");
            expect(alarms.map((a) => a.metricName).sort()).to.deep.equal(["CPUUtilization", "DatabaseConnections", "FreeStorageSpace", "FreeableMemory"]);
            expect(alarms.every((a) => a.namespace === "AWS/RDS" && a.alarmActions[0] === "(known after apply: shop-db-alarms.arn)")).to.equal(true);
            expect(alarms.find((a) => a.metricName === "FreeStorageSpace")).to.include({ threshold: 10 * 1024 ** 3, comparisonOperator: "LessThanThreshold" });
        });

        it("deploys a bootstrap function in the private subnets carrying the SQL, invoked with its digest", () => {
            const fn = graph.inputsOf(graph.named("shop-db-bootstrap", "aws:lambda/function:Function"));
            expect(fn.runtime).to.equal("nodejs22.x");
            expect(fn.handler).to.equal("index.handler");
            expect(fn.publish).to.equal(true);
            expect(fn.vpcConfig.subnetIds).to.deep.equal(network.privateSubnetIds);
            expect(fn.environment.variables).to.deep.include({ DB_HOST: "(known after apply: shop-db-primary.address)", DB_NAME: "app", DB_CA_BUNDLE: "/var/runtime/ca-cert.pem" });
            expect(fn.environment.variables.DB_SECRET_ARN).to.equal("(known after apply: shop-db-primary.masterUserSecretArn)");
            expect(fn.code.detail.assets).to.deep.equal(["index.js"]);
            const sql = generatePartitioningSql([ORDERS]);
            const inv = graph.inputsOf(graph.one("aws:lambda/invocation:Invocation"));
            expect(JSON.parse(inv.input)).to.deep.equal({ sqlSha256: sqlDigest(sql) });
            expect(inv.triggers).to.deep.equal({ sqlSha256: sqlDigest(sql) });
            expect(inv.qualifier).to.equal("(known after apply: shop-db-bootstrap.version)");
            expect(graph.one("aws:lambda/invocation:Invocation").dependencies).to.include(graph.one(INSTANCE).urn);
        });

        it("lets the bootstrap function read exactly the master secret, through Secrets Manager", () => {
            const st = statementsOf(graph, "shop-db-bootstrap");
            const read = st.find((s) => s.Sid === "ReadMasterSecret");
            expect(read).to.deep.include({ Action: ["secretsmanager:GetSecretValue"], Resource: ["(known after apply: shop-db-primary.masterUserSecretArn)"] });
            const decrypt = st.find((s) => s.Sid === "DecryptMasterSecret");
            expect(decrypt.Resource).to.deep.equal(["(known after apply: shop-db-key.arn)"]);
            expect(decrypt.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } });
            expect(st.find((s) => s.Sid === "WriteLogs").Resource).to.deep.equal(["(known after apply: shop-db-bootstrap.arn):log-stream:*"]);
            const fnEgress = graph.byType(EGRESS).map((r) => graph.inputsOf(r)).filter((r) => r.securityGroupId === "(known after apply: shop-db-bootstrap.id)");
            expect(fnEgress.map((r) => [r.fromPort, r.referencedSecurityGroupId ?? r.cidrIpv4]).sort()).to.deep.equal([[443, "0.0.0.0/0"], [5432, "(known after apply: shop-db-db.id)"]]);
        });

        it("runs a partition watch every 15 minutes, alarming on the topic when future partitions run short", () => {
            const fn = graph.inputsOf(graph.named("shop-db-watch", "aws:lambda/function:Function"));
            expect(fn.loggingConfig).to.deep.equal({ logFormat: "Text", logGroup: "/scaling-toolkit/shop-db/partition-watch" });
            expect(fn.vpcConfig.subnetIds).to.deep.equal(network.privateSubnetIds);
            expect(fn.environment.variables).to.deep.include({ DB_NAME: "app", WATCH_INSTANCE: "(known after apply: shop-db-primary.identifier)" });
            expect(graph.inputsOf(graph.named("shop-db-watch", "aws:cloudwatch/logGroup:LogGroup"))).to.include({ name: "/scaling-toolkit/shop-db/partition-watch", retentionInDays: 30 });
            expect(graph.inputsOf(graph.named("shop-db-watch", "aws:cloudwatch/eventRule:EventRule")).scheduleExpression).to.equal("rate(15 minutes)");
            expect(graph.inputsOf(graph.named("shop-db-watch", "aws:cloudwatch/eventTarget:EventTarget"))).to.include({ arn: "(known after apply: shop-db-watch.arn)" });
            expect(graph.inputsOf(graph.named("shop-db-watch", "aws:lambda/permission:Permission"))).to.include({
                principal: "events.amazonaws.com", action: "lambda:InvokeFunction", sourceArn: "(known after apply: shop-db-watch.arn)",
            });
            const st = statementsOf(graph, "shop-db-watch");
            expect(st.map((x) => x.Sid).sort()).to.deep.equal(["DecryptMasterSecret", "DescribeNetworkInterfaces", "ManageNetworkInterfaces", "ReadMasterSecret", "WriteLogs"]);
            const alarms = graph.byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => graph.inputsOf(a)).filter((a) => a.namespace === "ScalingToolkit/Partitioning");
            // No default partition in this spec: no default-rows alarm.
            expect(alarms.map((a) => a.metricName).sort()).to.deep.equal(["FuturePartitions", "MaintenanceSkippedInRow"]);
            expect(alarms.find((a) => a.metricName === "FuturePartitions")).to.deep.include({
                comparisonOperator: "LessThanThreshold", threshold: 4, period: 3600, evaluationPeriods: 2, treatMissingData: "breaching", statistic: "Maximum",
                dimensions: { DBInstanceIdentifier: "(known after apply: shop-db-primary.identifier)", Table: "public.orders" },
            });
            expect(alarms.every((a) => a.alarmActions[0] === "(known after apply: shop-db-alarms.arn)")).to.equal(true);
        });

        it("outputs endpoints, port, database name, secret ARN and the SQL", async () => {
            expect(await valueOf(db.endpoint)).to.equal("(known after apply: shop-db-primary.address)");
            expect(await valueOf(db.readerEndpoints)).to.deep.equal([]);
            expect(await valueOf(db.proxyEndpoint)).to.equal(undefined);
            expect(await valueOf(db.port)).to.equal(5432);
            expect(await valueOf(db.databaseName)).to.equal("app");
            expect(await valueOf(db.masterSecretArn)).to.equal("(known after apply: shop-db-primary.masterUserSecretArn)");
            expect(await valueOf(db.partitioningSql)).to.equal(generatePartitioningSql([ORDERS]));
            const children = graph.childrenOf(graph.one("scaling-toolkit:index:PartitionedDatabase"));
            expect(children.length).to.be.greaterThan(15);
            expect(graph.customResources.every((r) => r.parent !== undefined)).to.equal(true);
        });
    });

    it("adds encrypted read replicas with the same parameter group, each with a lag alarm", async () => {
        const { graph, result } = await build({ readReplicas: 2 });
        const replicas = graph.byType(INSTANCE).slice(1).map((r) => graph.inputsOf(r));
        expect(replicas).to.have.length(2);
        for (const r of replicas) {
            expect(r).to.include({ replicateSourceDb: "(known after apply: shop-db-primary.identifier)", storageEncrypted: true, publiclyAccessible: false,
                parameterGroupName: "(known after apply: shop-db-params.name)", kmsKeyId: "(known after apply: shop-db-key.arn)" });
        }
        const lag = graph.byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => graph.inputsOf(a)).filter((a) => a.metricName === "ReplicaLag");
        expect(lag.map((a) => a.dimensions.DBInstanceIdentifier)).to.deep.equal(["(known after apply: shop-db-replica-0.identifier)", "(known after apply: shop-db-replica-1.identifier)"]);
        expect(await valueOf(result.readerEndpoints)).to.deep.equal(["(known after apply: shop-db-replica-0.address)", "(known after apply: shop-db-replica-1.address)"]);
    });

    it("adds an RDS Proxy requiring TLS and IAM auth, reading only the master secret", async () => {
        const { graph, result } = await build({ proxy: { enabled: true } });
        const proxy = graph.inputsOf(graph.one("aws:rds/proxy:Proxy"));
        expect(proxy).to.include({ engineFamily: "POSTGRESQL", requireTls: true, idleClientTimeout: 1800 });
        expect(proxy.vpcSubnetIds).to.deep.equal(network.isolatedSubnetIds);
        expect(proxy.auths).to.deep.equal([{ authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: "(known after apply: shop-db-primary.masterUserSecretArn)",
            clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256", description: "Master credentials; clients authenticate with IAM" }]);
        expect(graph.inputsOf(graph.one("aws:rds/proxyTarget:ProxyTarget")).dbInstanceIdentifier).to.equal("(known after apply: shop-db-primary.identifier)");
        expect(statementsOf(graph, "shop-db-proxy").map((s) => s.Sid)).to.deep.equal(["ReadMasterSecret", "DecryptMasterSecret"]);
        expect(await valueOf(result.proxyEndpoint)).to.equal("(known after apply: shop-db-proxy.endpoint)");
    });

    it("uses a given key, topic and the caller's protections; emits only the SQL when applySchema is off", async () => {
        const { graph, result } = await build({
            kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/abc", alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:ops",
            multiAz: false, deletionProtection: false, skipFinalSnapshot: true, applySchema: false, monitoringIntervalSeconds: 0,
            parameters: { log_min_duration_statement: "250", work_mem: "65536" },
        });
        expect(graph.byType("aws:kms/key:Key")).to.have.length(0);
        expect(graph.byType("aws:sns/topic:Topic")).to.have.length(0);
        // No bootstrap; the watch stays (the SQL applied by your own tool defines what it reads).
        expect(graph.byType("aws:lambda/function:Function").map((f) => f.name)).to.deep.equal(["shop-db-watch"]);
        expect(graph.byType("aws:lambda/invocation:Invocation")).to.have.length(0);
        const i = graph.inputsOf(graph.one(INSTANCE));
        expect(i).to.include({ kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abc", multiAz: false, deletionProtection: false, skipFinalSnapshot: true, monitoringInterval: 0 });
        expect(i.finalSnapshotIdentifier).to.equal(undefined);
        const p = Object.fromEntries(graph.inputsOf(graph.one("aws:rds/parameterGroup:ParameterGroup")).parameters.map((x: any) => [x.name, x.value]));
        expect(p).to.include({ log_min_duration_statement: "250", work_mem: "65536", "rds.force_ssl": "1" });
        expect(await valueOf(result.partitioningSql)).to.contain("\"name\":\"orders\"");
    });

    it("alarms when rows land in a table's default partition; the watch can be tuned or turned off", async () => {
        const { graph } = await build({ tables: [{ ...ORDERS, defaultPartition: true, premake: 2 }], partitionWatch: { scheduleMinutes: 5, toleranceHours: 6 } });
        const alarms = graph.byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => graph.inputsOf(a)).filter((a) => a.namespace === "ScalingToolkit/Partitioning");
        expect(alarms.find((a) => a.metricName === "DefaultPartitionRows")).to.deep.include({ comparisonOperator: "GreaterThanThreshold", threshold: 0, period: 300, evaluationPeriods: 1 });
        expect(alarms.find((a) => a.metricName === "FuturePartitions")).to.deep.include({ threshold: 2, evaluationPeriods: 6 });
        expect(graph.inputsOf(graph.named("shop-db-watch", "aws:cloudwatch/eventRule:EventRule")).scheduleExpression).to.equal("rate(5 minutes)");
        const off = (await build({ partitionWatch: { enabled: false } })).graph;
        expect(off.byType("aws:lambda/function:Function").length).to.equal(1);
        expect(off.byType("aws:cloudwatch/eventRule:EventRule")).to.deep.equal([]);
    });

    it("reads tables from a YAML spec file", async () => {
        const dir = mkdtempSync(join(tmpdir(), "dbspec-"));
        const file = join(dir, "spec.yaml");
        writeFileSync(file, "maintenanceSchedule: '*/30 * * * *'\ntables:\n  - name: events\n    columns: [{ name: at, type: date }]\n    partitionKey: at\n    interval: day\n");
        const { result } = await build({ tables: [], partitionSpecFile: file, applySchema: false });
        const sql = await valueOf(result.partitioningSql) as string;
        expect(sql).to.contain("\"name\":\"events\"").and.to.contain("'*/30 * * * *'");
    });

    it("accepts overrides that keep the guarantees (and merges them in)", async () => {
        const { graph } = await record(() => new PartitionedDatabase("shop-db", { ...base, parameters: { shared_preload_libraries: "pg_cron,pg_stat_statements,auto_explain", work_mem: "64MB" } }), { config: { "aws:region": "eu-west-1" } });
        const params = Object.fromEntries(graph.inputsOf(graph.one("aws:rds/parameterGroup:ParameterGroup")).parameters.map((p: any) => [p.name, p.value]));
        expect(params).to.include({ "rds.force_ssl": "1", "shared_preload_libraries": "pg_cron,pg_stat_statements,auto_explain", "work_mem": "64MB" });
    });

    it("applies overrides of static PostgreSQL parameters at the next reboot, others immediately: the deploy checks pass", async () => {
        const { graph } = await build({ parameters: { max_connections: "400", max_wal_senders: "12", work_mem: "65536", "rds.logical_replication": "1" } });
        const group = graph.one("aws:rds/parameterGroup:ParameterGroup");
        const methods = Object.fromEntries(graph.inputsOf(group).parameters.map((p: any) => [p.name, p.applyMethod]));
        expect(methods).to.include({ max_connections: "pending-reboot", max_wal_senders: "pending-reboot", "rds.logical_replication": "pending-reboot", work_mem: "immediate" });
        expect(runDeployChecks(graph.resources).findings.filter((f) => f.urn === group.urn)).to.deep.equal([]);
    });

    describe("validation", () => {
        const rejects = (what: string, overrides: Partial<PartitionedDatabaseArgs>, argument: string) =>
            it(`rejects ${what} before creating anything`, () => {
                expectValidationError(() => new PartitionedDatabase("shop-db", { ...base, ...overrides }), "PartitionedDatabase", argument);
            });
        rejects("an engine older than 14", { engineVersion: "12" }, "engineVersion");
        rejects("a malformed instance class", { instanceClass: "t3.micro" }, "instanceClass");
        rejects("a storage ceiling not above the initial size", { allocatedStorageGb: 100, maxAllocatedStorageGb: 100 }, "maxAllocatedStorageGb");
        rejects("a database name that is not a plain identifier", { databaseName: "app; DROP DATABASE x" }, "databaseName");
        rejects("a reserved master user name", { masterUsername: "postgres" }, "masterUsername");
        rejects("a backup retention above 35 days", { backupRetentionDays: 40 }, "backupRetentionDays");
        rejects("a malformed backup window", { backupWindow: "3am" }, "backupWindow");
        rejects("a backup window shorter than RDS allows", { backupWindow: "03:00-03:15" }, "backupWindow");
        rejects("a malformed maintenance window", { maintenanceWindow: "sunday" }, "maintenanceWindow");
        rejects("an enhanced monitoring interval RDS refuses", { monitoringIntervalSeconds: 2 }, "monitoringIntervalSeconds");
        rejects("a Performance Insights retention RDS refuses", { performanceInsightsRetentionDays: 30 }, "performanceInsightsRetentionDays");
        rejects("more than five replicas", { readReplicas: 6 }, "readReplicas");
        rejects("a proxy idle timeout out of range", { proxy: { enabled: true, idleClientTimeoutSeconds: 5 } }, "proxy.idleClientTimeoutSeconds");
        rejects("a bad parameter name", { parameters: { "bad name": "1" } }, "parameters.bad name");
        rejects("an override that turns forced TLS off", { parameters: { "rds.force_ssl": "0" } }, "parameters.rds.force_ssl");
        rejects("preloaded libraries without pg_cron", { parameters: { shared_preload_libraries: "pg_stat_statements" } }, "parameters.shared_preload_libraries");
        rejects("pg_cron pointed at another database", { parameters: { "cron.database_name": "postgres" } }, "parameters.cron.database_name");
        rejects("a hostile table name", { tables: [{ ...ORDERS, name: "orders\"; DROP TABLE x; --" }] }, "tables[0].name");
        rejects("a partition key outside the columns", { tables: [{ ...ORDERS, partitionKey: "nope" }] }, "tables[0].partitionKey");
        rejects("a bad maintenance schedule", { maintenanceSchedule: "hourly" }, "maintenanceSchedule");
        rejects("applySchema without tables", { tables: [], applySchema: true }, "applySchema");
        rejects("a partition watch without tables", { tables: [], applySchema: false, partitionWatch: { enabled: true } }, "partitionWatch.enabled");
        rejects("a partition watch schedule out of range", { partitionWatch: { scheduleMinutes: 1 } }, "partitionWatch.scheduleMinutes");
        rejects("a partition watch tolerance out of range", { partitionWatch: { toleranceHours: 0 } }, "partitionWatch.toleranceHours");
    });
});

describe("PartitionedDatabase and the policy pack", function () {
    this.timeout(60_000);
    const opts = { config: { "aws:region": "eu-west-1" } };
    it("passes every mandatory rule with default arguments and a proxy, production rules included", async () => {
        const { graph } = await record(() => new PartitionedDatabase("shop-db", { ...base, proxy: { enabled: true } }), opts);
        expectCompliant(graph, { config: { production: true } });
    });

    it("each weakening argument shows the matching production rule", async () => {
        const { graph } = await record(() => new PartitionedDatabase("shop-db", { ...base, deletionProtection: false, skipFinalSnapshot: true, backupRetentionDays: 3 }), opts);
        expectCompliant(graph);
        const blocking = blockingOf(evaluate(graph, { config: { production: true } }));
        expect(blocking).to.deep.equal([
            "rds-deletion-protection: shop-db-primary: deletionProtection is not true",
            "rds-backup-retention: shop-db-primary: backupRetentionPeriod is 3; at least 7 days required",
            "rds-final-snapshot: shop-db-primary: skipFinalSnapshot is true",
            "rds-final-snapshot: shop-db-primary: no finalSnapshotIdentifier",
        ]);
    });

    it("with replicas passes too: replicas are not asked for a final snapshot RDS refuses to take", async () => {
        const { graph } = await record(() => new PartitionedDatabase("shop-db", { ...base, readReplicas: 1 }), opts);
        const report = evaluate(graph, { config: { production: true } });
        expect(blockingOf(report)).to.deep.equal([]);
        expect(report.notApplicable.filter((n) => n.policy === "rds-final-snapshot").map((n) => n.urn.split("::").pop())).to.deep.equal(["shop-db-replica-0"]);
        // The primary is still held to it.
        const primary = graph.named("shop-db-primary", "aws:rds/instance:Instance");
        expect(graph.inputsOf(primary)).to.include({ skipFinalSnapshot: false });
    });
});
