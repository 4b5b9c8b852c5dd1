"use strict";
/**
 * The prod stack's equivalent in AWS CDK, for `npm run bench:peer` (bench/peer.ts runs it as a fresh
 * process from a temporary folder where it installed aws-cdk-lib, constructs and cdk-nag):
 * a VPC over three zones with a NAT gateway each and flow logs; two Fargate services (api, web)
 * behind HTTPS load balancers with DNS aliases, CPU autoscaling and alarms; a Redis replication
 * group with an auth-token secret; a Multi-AZ PostgreSQL instance with a read replica, an RDS
 * Proxy, enhanced monitoring and a schema-bootstrap Lambda function; a CI/CD pipeline per service
 * (source connection, CodeBuild, manual approval, ECS deploy); a dashboard. cdk-nag's AwsSolutions
 * pack checks it (unless NAG=0; cdk-nag 3 runs as one of CDK's validation plugins), then `app.synth()`
 * runs with CDK's defaults (tree validation on).
 *
 * Prints one JSON line: resources in the template, cdk-nag findings, the synth's own CPU.
 */
const path = require("path");
const os = require("os");
const fs = require("fs");
const cdk = require("aws-cdk-lib");
const { Aspects, Duration, RemovalPolicy, Stack } = cdk;
const ec2 = cdk.aws_ec2;
const ecs = cdk.aws_ecs;
const patterns = cdk.aws_ecs_patterns;
const rds = cdk.aws_rds;
const elasticache = cdk.aws_elasticache;
const lambda = cdk.aws_lambda;
const logs = cdk.aws_logs;
const route53 = cdk.aws_route53;
const acm = cdk.aws_certificatemanager;
const secrets = cdk.aws_secretsmanager;
const cloudwatch = cdk.aws_cloudwatch;
const codebuild = cdk.aws_codebuild;
const codepipeline = cdk.aws_codepipeline;
const actions = cdk.aws_codepipeline_actions;
const ecr = cdk.aws_ecr;
const sns = cdk.aws_sns;
const kms = cdk.aws_kms;
const events = cdk.aws_events;
const targets = cdk.aws_events_targets;

const cpuStart = process.cpuUsage();
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-peer-out-"));
const app = new cdk.App({ outdir });
const stack = new Stack(app, "shop-prod", { env: { account: "123456789012", region: "eu-west-1" } });
const key = new kms.Key(stack, "Key", { enableKeyRotation: true });
const alarmTopic = new sns.Topic(stack, "Alarms", { masterKey: key });

const vpc = new ec2.Vpc(stack, "Vpc", {
    ipAddresses: ec2.IpAddresses.cidr("10.30.0.0/16"),
    maxAzs: 3,
    natGateways: 3,
    subnetConfiguration: [
        { name: "public", subnetType: ec2.SubnetType.PUBLIC, cidrMask: 20 },
        { name: "private", subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: "isolated", subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 20 },
    ],
    flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, "FlowLogs", { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key })) } },
});
const zone = route53.HostedZone.fromHostedZoneAttributes(stack, "Zone", { hostedZoneId: "Z0PRODEXAMPLE0001", zoneName: "shop.example.com" });
const cluster = new ecs.Cluster(stack, "Cluster", { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

const services = [
    { name: "api", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-api:1.4.2", port: 8080, cpu: 1024, memory: 2048, min: 3, max: 30, repo: "acme/shop-api" },
    { name: "web", image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop-web:2.0.1", port: 3000, cpu: 512, memory: 1024, min: 3, max: 12 },
];
const fargate = services.map((svc) => {
    const certificate = new acm.Certificate(stack, `${svc.name}Cert`, { domainName: `${svc.name}.shop.example.com`, validation: acm.CertificateValidation.fromDns(zone) });
    const service = new patterns.ApplicationLoadBalancedFargateService(stack, `${svc.name}Service`, {
        cluster, cpu: svc.cpu, memoryLimitMiB: svc.memory, desiredCount: svc.min,
        taskImageOptions: { image: ecs.ContainerImage.fromRegistry(svc.image), containerPort: svc.port, logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: svc.name, logRetention: logs.RetentionDays.ONE_YEAR }) },
        certificate, domainName: `${svc.name}.shop.example.com`, domainZone: zone, redirectHTTP: true, publicLoadBalancer: true,
        circuitBreaker: { rollback: true },
    });
    service.targetGroup.configureHealthCheck({ path: "/health" });
    service.service.autoScaleTaskCount({ minCapacity: svc.min, maxCapacity: svc.max }).scaleOnCpuUtilization("Cpu", { targetUtilizationPercent: 55 });
    new cloudwatch.Alarm(stack, `${svc.name}5xx`, { metric: service.loadBalancer.metrics.httpCodeTarget(cdk.aws_elasticloadbalancingv2.HttpCodeTarget.TARGET_5XX_COUNT), threshold: 10, evaluationPeriods: 3 })
        .addAlarmAction(new cdk.aws_cloudwatch_actions.SnsAction(alarmTopic));
    new cloudwatch.Alarm(stack, `${svc.name}Cpu`, { metric: service.service.metricCpuUtilization(), threshold: 85, evaluationPeriods: 3 })
        .addAlarmAction(new cdk.aws_cloudwatch_actions.SnsAction(alarmTopic));
    return { svc, service };
});

// Redis: a replication group with a primary and two replicas, encrypted, an auth token in a secret.
const cacheSg = new ec2.SecurityGroup(stack, "CacheSg", { vpc, allowAllOutbound: false });
fargate.forEach(({ service }) => cacheSg.connections.allowFrom(service.service, ec2.Port.tcp(6379)));
const cacheToken = new secrets.Secret(stack, "CacheToken", { generateSecretString: { excludePunctuation: true, passwordLength: 64 }, encryptionKey: key });
const cacheSubnets = new elasticache.CfnSubnetGroup(stack, "CacheSubnets", { description: "cache", subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId) });
new elasticache.CfnReplicationGroup(stack, "Cache", {
    replicationGroupDescription: "shop cache", engine: "redis", cacheNodeType: "cache.r7g.large", numCacheClusters: 3,
    automaticFailoverEnabled: true, multiAzEnabled: true, atRestEncryptionEnabled: true, transitEncryptionEnabled: true, kmsKeyId: key.keyId,
    authToken: cacheToken.secretValue.unsafeUnwrap(), cacheSubnetGroupName: cacheSubnets.ref, securityGroupIds: [cacheSg.securityGroupId],
    snapshotRetentionLimit: 14, finalSnapshotIdentifier: "shop-prod-cache-final",
    logDeliveryConfigurations: [{ destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log", destinationDetails: { cloudWatchLogsDetails: { logGroup: new logs.LogGroup(stack, "CacheLogs", { retention: logs.RetentionDays.ONE_YEAR }).logGroupName } } }],
});

// PostgreSQL: Multi-AZ, a read replica, an RDS Proxy, enhanced monitoring, a bootstrap function.
const parameters = new rds.ParameterGroup(stack, "DbParams", { engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }), parameters: { "rds.force_ssl": "1", shared_preload_libraries: "pg_cron,pg_stat_statements" } });
const db = new rds.DatabaseInstance(stack, "Db", {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }), instanceType: new ec2.InstanceType("r7g.xlarge"),
    vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, multiAz: true, allocatedStorage: 200, maxAllocatedStorage: 2000,
    storageEncrypted: true, storageEncryptionKey: key, backupRetention: Duration.days(30), deletionProtection: true, parameterGroup: parameters,
    monitoringInterval: Duration.seconds(15), enablePerformanceInsights: true, cloudwatchLogsExports: ["postgresql"], iamAuthentication: true,
    databaseName: "shop", credentials: rds.Credentials.fromGeneratedSecret("shop_admin", { encryptionKey: key }), removalPolicy: RemovalPolicy.SNAPSHOT,
});
new rds.DatabaseInstanceReadReplica(stack, "DbReplica", { sourceDatabaseInstance: db, instanceType: new ec2.InstanceType("r7g.xlarge"), vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, storageEncrypted: true, storageEncryptionKey: key });
const proxy = db.addProxy("Proxy", { secrets: [db.secret], vpc, requireTLS: true, iamAuth: true });
fargate.forEach(({ service }) => {
    db.connections.allowDefaultPortFrom(service.service);
    proxy.connections.allowFrom(service.service, ec2.Port.tcp(5432));
});
const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-peer-code-"));
fs.writeFileSync(path.join(codeDir, "index.js"), "exports.handler = async () => ({});\n");
const bootstrap = new lambda.Function(stack, "DbBootstrap", { runtime: lambda.Runtime.NODEJS_20_X, handler: "index.handler", code: lambda.Code.fromAsset(codeDir), vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, timeout: Duration.minutes(5), logGroup: new logs.LogGroup(stack, "DbBootstrapLogs", { retention: logs.RetentionDays.ONE_YEAR }) });
db.secret.grantRead(bootstrap);
db.connections.allowDefaultPortFrom(bootstrap);
const watch = new lambda.Function(stack, "PartitionWatch", { runtime: lambda.Runtime.NODEJS_20_X, handler: "index.handler", code: lambda.Code.fromAsset(codeDir), vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, timeout: Duration.minutes(1) });
new events.Rule(stack, "PartitionWatchSchedule", { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(watch)] });
new cloudwatch.Alarm(stack, "DbCpu", { metric: db.metricCPUUtilization(), threshold: 80, evaluationPeriods: 3 }).addAlarmAction(new cdk.aws_cloudwatch_actions.SnsAction(alarmTopic));

// CI/CD: the api service's pipeline (as the prod config has one).
for (const { svc, service } of fargate.filter(({ svc }) => svc.repo)) {
    const repository = new ecr.Repository(stack, `${svc.name}Repo`, { imageScanOnPush: true, imageTagMutability: ecr.TagMutability.IMMUTABLE, encryption: ecr.RepositoryEncryption.KMS, encryptionKey: key });
    const source = new codepipeline.Artifact();
    const built = new codepipeline.Artifact();
    const project = new codebuild.PipelineProject(stack, `${svc.name}Build`, { environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, privileged: true }, encryptionKey: key });
    repository.grantPullPush(project);
    const approvals = sns.Topic.fromTopicArn(stack, `${svc.name}Approvers`, "arn:aws:sns:eu-west-1:123456789012:shop-release-approvers");
    new codepipeline.Pipeline(stack, `${svc.name}Pipeline`, {
        pipelineType: codepipeline.PipelineType.V2,
        stages: [
            { stageName: "Source", actions: [new actions.CodeStarConnectionsSourceAction({ actionName: "Source", owner: svc.repo.split("/")[0], repo: svc.repo.split("/")[1], branch: "main", connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/00000000-example", output: source })] },
            { stageName: "Build", actions: [new actions.CodeBuildAction({ actionName: "Build", project, input: source, outputs: [built] })] },
            { stageName: "Approve", actions: [new actions.ManualApprovalAction({ actionName: "Approve", notificationTopic: approvals })] },
            { stageName: "Deploy", actions: [new actions.EcsDeployAction({ actionName: "Deploy", service: service.service, input: built })] },
        ],
    });
}

new cloudwatch.Dashboard(stack, "Overview", {
    dashboardName: "shop-prod",
    widgets: [fargate.map(({ service }) => new cloudwatch.GraphWidget({ left: [service.service.metricCpuUtilization()] })), [new cloudwatch.GraphWidget({ left: [db.metricCPUUtilization()] })]],
});

// cdk-nag 3: the pack is one of CDK's validation plugins; its findings make synth report (and fail).
let findings = 0;
let assembly;
if (process.env.NAG !== "0") {
    const { AwsSolutionsChecks } = require("cdk-nag");
    cdk.Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
const log = console.error;
console.error = (...args) => {
    findings += args.join(" ").split("\n").filter((l) => /AwsSolutions-/.test(l)).length;
};
try {
    assembly = app.synth();
} catch (err) {
    if (!/Validation failed/i.test(String(err && err.message))) {
        throw err;
    }
    // Findings fail validation: the template is written all the same.
    assembly = new cdk.cx_api.CloudAssembly(outdir);
} finally {
    console.error = log;
}
const template = assembly.getStackByName("shop-prod").template;
const cpu = process.cpuUsage(cpuStart);
fs.rmSync(outdir, { recursive: true, force: true });
fs.rmSync(codeDir, { recursive: true, force: true });
console.log(JSON.stringify({ resources: Object.keys(template.Resources).length, nagFindings: findings, constructAndSynthCpuMs: Math.round((cpu.user + cpu.system) / 1000) }));
