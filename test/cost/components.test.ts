/**
 * The cost of each component's default shape, pinned to figures computed by hand from the price
 * snapshot (us-east-1 prices, 730 hours a month, the documented usage defaults), with the
 * arithmetic written out. Then the variants that change the price: ARM, Redis OSS vs Valkey,
 * autoscaling ranges, replicas, Single-AZ, usage overrides.
 */
import { expect } from "chai";
import { CacheEngine, CiCdPipeline, CpuArchitecture, KubernetesService, LoadBalancedService, Network, PartitionedDatabase, PartitionedTableSpec, PartitionInterval, RedisCache } from "../../components";
import { CostReport, estimateCost } from "../../preview/cost";
import { SNAPSHOT } from "../../preview/cost/priceBook";
import { PriceSnapshot } from "../../preview/cost/snapshot";
import { UsageConfig } from "../../preview/cost/usage";
import { buildPlan } from "../../preview/plan";
import { record } from "../support/harness";

const net = {
    vpcId: "vpc-123",
    publicSubnetIds: ["subnet-pub-a", "subnet-pub-b"],
    privateSubnetIds: ["subnet-priv-a", "subnet-priv-b"],
    isolatedSubnetIds: ["subnet-iso-a", "subnet-iso-b"],
    vpcCidrBlock: "10.0.0.0/16",
};
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/1234";
const ORDERS: PartitionedTableSpec = {
    name: "orders",
    columns: [{ name: "id", type: "bigserial" }, { name: "order_date", type: "timestamptz" }],
    partitionKey: "order_date",
    interval: PartitionInterval.Month,
    retention: "24 months",
    primaryKey: ["id", "order_date"],
};
const H = 730;

/** Records `build` and estimates its resources in `region`. */
async function estimate(build: () => unknown, options: { region?: string; usage?: UsageConfig; snapshot?: PriceSnapshot } = {}): Promise<CostReport> {
    const region = options.region ?? "us-east-1";
    const { graph } = await record(build, { config: { "aws:region": region } });
    const plan = buildPlan("t", "test", graph.resources, [], {}, { pack: null, violations: [] });
    return estimateCost(plan, { region, usage: options.usage, snapshot: options.snapshot, now: new Date("2026-12-01T00:00:00Z") });
}

const resource = (cost: CostReport, name: string, type?: string) => {
    const r = cost.resources.find((x) => x.name === name && x.status === "priced" && (type === undefined || x.type === type));
    expect(r, `${name} priced`).to.not.be.undefined;
    return r!;
};
const cents = 0.005;

describe("cost of each component's default shape", function () {
    this.timeout(60_000);

    it("Network: a NAT gateway and Elastic IP per zone (3), the flow-log group", async () => {
        const cost = await estimate(() => new Network("net"));
        const nat = 3 * H * 0.045; // 3 gateways * 730 h * $0.045
        const natData = 3 * 50 * 0.045; // 3 gateways * 50 GB (default) * $0.045
        const ips = 3 * H * 0.005; // 3 addresses in use * 730 h * $0.005
        const flowLogs = 1 * 0.5 + 1 * (90 / 30) * 0.03; // 1 GB ingested * $0.50 + 1 GB * 3 months kept * $0.03
        expect(cost.stack.fixed.low).to.be.closeTo(nat + ips, cents); // 98.55 + 10.95 = 109.50
        expect(cost.stack.usage).to.be.closeTo(natData + flowLogs, cents); // 6.75 + 0.59 = 7.34
        expect(cost.stack.monthly.low).to.be.closeTo(116.84, cents);
        expect(cost.unpriced).to.deep.equal([]);
        const s3 = cost.resources.find((r) => r.name === "net-s3")!;
        expect(s3.status).to.equal("free");
        expect(s3.source).to.contain("WKLD.12");
        const subnet = cost.resources.find((r) => r.type === "aws:ec2/subnet:Subnet")!;
        expect(subnet.status).to.equal("free");
        expect(subnet.source).to.be.a("string").and.not.empty;
    });

    it("LoadBalancedService: 2..10 Fargate tasks of 0.25 vCPU / 0.5 GB, the ALB, its addresses, alarms, key and logs", async () => {
        const cost = await estimate(() => new LoadBalancedService("web", { network: net, image: "nginx:1.27", certificateArn: CERT }));
        const tasks = (n: number) => n * (0.25 * 0.04048 + 0.5 * 0.004445) * H; // n tasks * (0.25 vCPU * $0.04048 + 0.5 GB * $0.004445) * 730 h
        const alb = H * 0.0225 + 2 * H * 0.005; // 730 h * $0.0225 + 2 public IPv4 (one per zone) * 730 h * $0.005
        const alarms = 3 * 0.1; // 3 standard alarms * $0.10
        const key = 1; // 1 KMS key-month
        const usage = 1 * H * 0.008 + (1 * 0.5 + 1 * (30 / 30) * 0.03) + 10000 * 0.000003 + 1000 * 0.0000005; // LCU + logs + KMS requests + SNS
        const service = resource(cost, "web-service");
        expect(service.fixed.low).to.be.closeTo(tasks(2), cents); // 18.02
        expect(service.fixed.high).to.be.closeTo(tasks(10), cents); // 90.10
        expect(cost.stack.fixed.low).to.be.closeTo(tasks(2) + alb + alarms + key, cents); // 43.05
        expect(cost.stack.fixed.high).to.be.closeTo(tasks(10) + alb + alarms + key, cents); // 115.13
        expect(cost.stack.usage).to.be.closeTo(usage, cents); // 6.40
        expect(service.lines[0].formula).to.equal("2..10 tasks * 0.25 vCPU * 730 h * $0.04048/vCPU-hour");
    });

    it("RedisCache: 2 cache.r7g.large Valkey nodes, 5 alarms, key, auth secret, 2 log groups", async () => {
        const cost = await estimate(() => new RedisCache("cache", { network: net, allowedSecurityGroupIds: ["sg-1"] }));
        const nodes = 2 * H * 0.1752; // 1 primary + 1 replica * 730 h * $0.1752 (Valkey)
        const fixed = nodes + 5 * 0.1 + 1 + 0.4; // + 5 alarms + KMS key + secret-month
        const usage = 2 * (1 * 0.5 + 1 * 0.03) + 10000 * 0.000003 + 10000 * 0.000005 + 1000 * 0.0000005; // logs, KMS, secret API, SNS
        expect(resource(cost, "cache-rg").fixed.low).to.be.closeTo(nodes, cents); // 255.79
        expect(cost.stack.fixed.low).to.be.closeTo(fixed, cents); // 257.69
        expect(cost.stack.usage).to.be.closeTo(usage, cents); // 1.14
    });

    it("RedisCache on Redis OSS is priced at Redis OSS rates, not Valkey's", async () => {
        const cost = await estimate(() => new RedisCache("cache", { network: net, allowedSecurityGroupIds: ["sg-1"], engine: CacheEngine.RedisOss }));
        expect(resource(cost, "cache-rg").fixed.low).to.be.closeTo(2 * H * 0.219, cents); // 2 nodes * 730 h * $0.219 = 319.74
    });

    it("PartitionedDatabase: db.t4g.medium Multi-AZ, 50 GB gp3, the managed secret, alarms, keys, the bootstrap Lambda", async () => {
        const cost = await estimate(() => new PartitionedDatabase("shop-db", { network: net, allowedSecurityGroupIds: ["sg-app"], tables: [ORDERS] }));
        const instance = H * 0.129; // 730 h * $0.129 (db.t4g.medium Multi-AZ)
        const storage = 50 * 0.23; // 50 GB * $0.23 (gp3 Multi-AZ)
        const secret = 0.4; // the master user secret RDS manages in Secrets Manager
        const primary = resource(cost, "shop-db-primary");
        expect(primary.fixed.low).to.be.closeTo(instance + storage + secret, cents); // 106.07
        const lambda = resource(cost, "shop-db-bootstrap", "aws:lambda/function:Function");
        expect(lambda.lines.reduce((s, l) => s + l.monthly, 0)).to.be.closeTo(100 * 0.0000002 + 100 * 1 * 0.25 * 0.0000133334, 1e-6); // 100 requests, 100 * 1 s * 0.25 GB GB-seconds (arm64)
        expect(primary.notPriced).to.deep.equal(["Enhanced Monitoring: billed as CloudWatch Logs ingestion (RDSOSMetrics), volume unknown"]);
    });

    it("PartitionedDatabase with replicas: each replica Single-AZ with the primary's storage", async () => {
        const cost = await estimate(() => new PartitionedDatabase("shop-db", { network: net, allowedSecurityGroupIds: ["sg-app"], tables: [ORDERS], instanceClass: "db.r7g.large", readReplicas: 2 }));
        const replica = H * 0.239 + 50 * 0.115; // 730 h * $0.239 (db.r7g.large Single-AZ) + 50 GB * $0.115 (gp3 Single-AZ)
        expect(resource(cost, "shop-db-replica-0").fixed.low).to.be.closeTo(replica, cents); // 180.22
        expect(resource(cost, "shop-db-replica-1").fixed.low).to.be.closeTo(replica, cents);
        expect(resource(cost, "shop-db-primary").fixed.low).to.be.closeTo(H * 0.478 + 50 * 0.23 + 0.4, cents); // Multi-AZ r7g.large
    });

    it("RDS Proxy: per vCPU of its target when the snapshot records the vCPU count (prices:update does), else said to be unpriced", async () => {
        const build = () => new PartitionedDatabase("shop-db", { network: net, allowedSecurityGroupIds: ["sg-app"], tables: [ORDERS], instanceClass: "db.r7g.xlarge", proxy: { enabled: true } });
        const without = await estimate(build);
        expect(without.resources.find((r) => r.type === "aws:rds/proxy:Proxy")).to.deep.include({ status: "not-priced" });
        const snapshot: PriceSnapshot = { ...SNAPSHOT, prices: SNAPSHOT.prices.map((p) => (p.id === "rds-for-postgresql/db.r7g.xlarge-multi-az" ? { ...p, attributes: { vcpu: "4" } } : p)) };
        const priced = await estimate(build, { snapshot });
        expect(resource(priced, "shop-db-proxy").fixed.low).to.be.closeTo(4 * H * 0.015, cents); // 4 vCPU * 730 h * $0.015 (us-east-1) = 43.80
    });

    it("CiCdPipeline: a KMS key fixed, build and pipeline minutes, images and artifacts from usage assumptions; EventBridge said to be unpriced", async () => {
        const cost = await estimate(() => new CiCdPipeline("shop", {
            service: { clusterName: "c", serviceName: "s", taskDefinitionFamily: "s", taskRoleArn: "arn:aws:iam::123456789012:role/t", executionRoleArn: "arn:aws:iam::123456789012:role/e" },
            connectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f", repository: "acme/shop-api",
        }));
        const usage = 2 * 100 * 0.005 // 2 projects * 100 build minutes * $0.005 (general1.small)
            + 100 * 0.002 // 100 V2 action minutes * $0.002
            + 5 * 0.1 + 5 * 0.023 // 5 GB of images * $0.10 + 5 GB of artifacts * $0.023
            + (0.5 + 1 * 0.03) + 10000 * 0.000003 + 1000 * 0.0000005; // build logs, KMS requests, SNS
        expect(cost.stack.fixed.low).to.be.closeTo(1, cents);
        expect(cost.stack.usage).to.be.closeTo(usage, cents); // 2.38
        expect(cost.resources.filter((r) => r.status === "not-priced").map((r) => r.type).sort()).to.deep.equal(["aws:cloudwatch/eventRule:EventRule", "aws:cloudwatch/eventTarget:EventTarget"]);
        expect(cost.unpriced.map((u) => u.reason)).to.include("EventBridge rules: no EventBridge prices in the snapshot");
    });

    it("KubernetesService: every object said to run on a cluster the stack does not create, none counted as $0", async () => {
        const cost = await estimate(() => new KubernetesService("web", { image: "nginx:1.27", domainName: "web.example.com", tls: { secretName: "web-tls" } }));
        const objects = cost.resources.filter((r) => r.type.startsWith("kubernetes:"));
        expect(objects.length).to.be.greaterThan(0);
        for (const o of objects) {
            expect(o.status, o.type).to.equal("not-priced");
        }
        expect(cost.stack.unpriced).to.be.at.least(objects.length);
    });
});

describe("cost variants", function () {
    this.timeout(60_000);
    const service = (overrides: Record<string, unknown>) => () => new LoadBalancedService("web", { network: net, image: "nginx:1.27", certificateArn: CERT, ...overrides });

    it("prices ARM64 tasks at the ARM rates", async () => {
        const cost = await estimate(service({ cpuArchitecture: CpuArchitecture.ARM64 }));
        expect(resource(cost, "web-service").fixed.low).to.be.closeTo(2 * (0.25 * 0.03238 + 0.5 * 0.00356) * H, cents); // 2 tasks * (0.25 vCPU * $0.03238 + 0.5 GB * $0.00356) * 730 h
    });

    it("gives the autoscaling minimum and maximum as a range, for the stack too", async () => {
        const cost = await estimate(service({ cpu: 1024, memory: 2048, minCapacity: 3, maxCapacity: 30 }));
        const perTask = (1 * 0.04048 + 2 * 0.004445) * H; // (1 vCPU * $0.04048 + 2 GB * $0.004445) * 730 h = 36.04
        const svc = resource(cost, "web-service");
        expect(svc.monthly.low).to.be.closeTo(3 * perTask, cents); // 108.12
        expect(svc.monthly.high).to.be.closeTo(30 * perTask, cents); // 1,081.20
        expect(cost.stack.monthly.high - cost.stack.monthly.low).to.be.closeTo(27 * perTask, 0.02);
    });

    it("prices in the stack's region", async () => {
        const cost = await estimate(service({}), { region: "eu-central-1" });
        expect(resource(cost, "web-service").fixed.low).to.be.closeTo(2 * (0.25 * 0.04656 + 0.5 * 0.00511) * H, cents);
        expect(resource(cost, "web-alb").lines[0].usdPerUnit).to.equal(0.027);
    });

    it("says a region outside the snapshot is not priced rather than $0", async () => {
        const cost = await estimate(service({}), { region: "ap-south-2" });
        expect(cost.stack.monthly.low).to.equal(0);
        expect(cost.resources.find((r) => r.name === "web-service")!.notPriced[0]).to.contain("no price").and.contain("ap-south-2");
        expect(cost.snapshot.warning).to.contain("no prices for ap-south-2");
    });

    it("takes usage from the stack's defaults and per-resource overrides, and says which figures are assumptions", async () => {
        const cost = await estimate(service({}), { usage: { defaults: { albLcuPerHour: 4 }, resources: { "web-logs": { logIngestionGbPerMonth: 20 } } } });
        const lcu = resource(cost, "web-alb").lines.find((l) => l.assumption === "albLcuPerHour")!;
        expect(lcu.monthly).to.be.closeTo(4 * H * 0.008, 1e-6); // 4 LCU * 730 h * $0.008
        expect(resource(cost, "web-logs").usage).to.be.closeTo(20 * 0.5 + 20 * 1 * 0.03, cents);
        const lcuAssumption = cost.assumptions.find((a) => a.key === "albLcuPerHour")!;
        expect(lcuAssumption).to.deep.include({ value: 4, from: "stack config", resources: ["web-alb"] });
        expect(cost.assumptions.find((a) => a.key === "kmsRequestsPerMonth")).to.deep.include({ value: 10000, from: "default" });
    });
});
