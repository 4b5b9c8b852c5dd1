/**
 * Secure by default, proven: every component with default arguments passes every mandatory rule
 * (production data-protection rules included), and each weakening argument shows the matching rule.
 */
import { expect } from "chai";
import { CiCdPipeline, KubernetesService, LoadBalancedService, LoadBalancedServiceArgs, Network, PartitionedDatabase, PartitionInterval, RedisCache } from "../../components";
import { record } from "../support/harness";
import { evaluate, expectCompliant, violationsOf } from "../support/policy";

const network = { vpcId: "vpc-123", publicSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c", "subnet-d"], vpcCidrBlock: "10.0.0.0/16" };
const base: LoadBalancedServiceArgs = { network, image: "nginx:1.27", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234" };
const service = (overrides: Partial<LoadBalancedServiceArgs> = {}) => record(() => new LoadBalancedService("web", { ...base, ...overrides }));

describe("components against the policy pack", () => {
    it("Network with default arguments passes every mandatory rule, in production too", async () => {
        const { graph } = await record(() => new Network("net"));
        expectCompliant(graph);
        const report = expectCompliant(graph, { config: { production: true } });
        // Only the advisory customer-key finding on the flow log group remains.
        expect(report.violations.map((v) => `${v.policy} ${v.resourceName}`)).to.deep.equal(["log-group-kms net-flow-logs"]);
    });

    it("Network with flowLogKmsKeyArn clears the log-group-kms advisory", async () => {
        const { graph } = await record(() => new Network("net", { flowLogKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1" }));
        expect(violationsOf(graph, "log-group-kms")).to.deep.equal([]);
    });

    it("LoadBalancedService with default arguments passes every mandatory rule, in production too", async () => {
        const { graph } = await service();
        expectCompliant(graph);
        expectCompliant(graph, { config: { production: true } });
        // The internet-facing load balancer's 80/443 rules are the allowed exception, not a waiver.
        expect(violationsOf(graph, "security-group-open-ingress")).to.deep.equal([]);
        expect(graph.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").some((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")).to.equal(true);
    });

    it("a Network composed with a service, with access logs, passes in production (the log bucket is exempt from versioning)", async () => {
        const { graph } = await record(() => {
            const net = new Network("net");
            return new LoadBalancedService("web", { ...base, network: net, accessLogs: { enabled: true } });
        });
        const report = expectCompliant(graph, { config: { production: true } });
        const bucketRules = ["s3-tls-only", "s3-public-access-block", "s3-default-encryption", "s3-versioning"];
        expect(report.policies.filter((p) => bucketRules.includes(p.name)).map((p) => p.level)).to.deep.equal(["mandatory", "mandatory", "mandatory", "mandatory"]);
        expect(graph.byType("aws:s3/bucket:Bucket")).to.have.length(1);
        expect(report.violations.filter((v) => bucketRules.includes(v.policy))).to.deep.equal([]);
    });

    it("LoadBalancedService with logKmsKeyArn clears the log-group-kms advisory on its container logs", async () => {
        const plain = await service();
        expect(violationsOf(plain.graph, "log-group-kms").map((v) => v.resourceName)).to.deep.equal(["web-logs"]);
        const { graph } = await service({ logKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1" });
        expect(violationsOf(graph, "log-group-kms")).to.deep.equal([]);
    });

    it("internal with the internet admitted (allowedIngressCidrs 0.0.0.0/0) breaks security-group-open-ingress", async () => {
        const { graph } = await service({ internal: true, allowedIngressCidrs: ["0.0.0.0/0"] });
        const found = violationsOf(graph, "security-group-open-ingress");
        expect(found.map((v) => v.resourceName).sort()).to.deep.equal(["web-lb-443-0", "web-lb-80-0"]);
        expect(found.every((v) => v.level === "mandatory" && v.message.includes("not attached to an internet-facing load balancer"))).to.equal(true);
    });

    it("internal with the VPC CIDR (its default) passes", async () => {
        const { graph } = await service({ internal: true });
        expectCompliant(graph);
    });

    it("the default egress (all TCP to the internet) is advisory; an egress rule to a CIDR clears it", async () => {
        const open = await service();
        expect(violationsOf(open.graph, "security-group-unrestricted-egress").map((v) => `${v.level} ${v.resourceName}`)).to.deep.equal(["advisory web-tasks-egress-0"]);
        const narrow = await service({ egress: [{ cidr: "10.0.0.0/16", fromPort: 443, toPort: 443, description: "VPC endpoints" }] });
        expect(violationsOf(narrow.graph, "security-group-unrestricted-egress")).to.deep.equal([]);
    });

    it("reports advisories and notApplicable for a non-production service without production config", async () => {
        const { graph } = await service({ accessLogs: { enabled: true } });
        const report = evaluate(graph);
        expect(report.notApplicable.filter((n) => n.policy === "s3-versioning")).to.have.length(1);
    });
});

describe("the other components against the policy pack", () => {
    const isolated = { vpcId: "vpc-123", publicSubnetIds: ["subnet-a", "subnet-b"], privateSubnetIds: ["subnet-c", "subnet-d"], isolatedSubnetIds: ["subnet-e", "subnet-f"] };

    it("RedisCache with default arguments passes every mandatory rule, in production too", async () => {
        const { graph } = await record(() => new RedisCache("cache", { network: isolated, allowedSecurityGroupIds: ["sg-0123456789abcdef0"] }));
        expectCompliant(graph);
        expectCompliant(graph, { config: { production: true } });
    });

    it("RedisCache without snapshots breaks the production snapshot rule", async () => {
        const { graph } = await record(() => new RedisCache("cache", { network: isolated, allowedSecurityGroupIds: ["sg-0123456789abcdef0"], snapshotRetentionDays: 0 }));
        expectCompliant(graph);
        expect(violationsOf(graph, "elasticache-snapshot-retention", { config: { production: true } }).map((v) => v.level)).to.deep.equal(["mandatory"]);
    });

    it("CiCdPipeline with default arguments passes every mandatory rule, in production too", async () => {
        const { graph } = await record(() => new CiCdPipeline("cd", {
            service: { clusterName: "shop", serviceName: "api", taskDefinitionFamily: "api", taskRoleArn: "arn:aws:iam::123456789012:role/task", executionRoleArn: "arn:aws:iam::123456789012:role/exec" },
            connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc",
            repository: "acme/shop-api",
        }));
        expectCompliant(graph);
        expectCompliant(graph, { config: { production: true } });
    });

    it("PartitionedDatabase with default arguments passes every mandatory rule in production; bootstrapLogKmsKeyArn clears the log-group-kms advisory", async () => {
        const orders = { name: "orders", columns: [{ name: "id", type: "bigserial" }, { name: "created", type: "timestamptz" }], partitionKey: "created", interval: PartitionInterval.Month, retention: "24 months", primaryKey: ["id", "created"] };
        const db = (extra: object) => record(() => new PartitionedDatabase("shop-db", { network: isolated, allowedSecurityGroupIds: ["sg-app"], tables: [orders], ...extra }), { config: { "aws:region": "eu-west-1" } });
        const plain = await db({});
        expectCompliant(plain.graph, { config: { production: true } });
        expect(violationsOf(plain.graph, "log-group-kms").map((v) => v.resourceName)).to.include("shop-db-bootstrap");
        const { graph } = await db({ bootstrapLogKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1" });
        expect(violationsOf(graph, "log-group-kms").map((v) => v.resourceName)).to.not.include("shop-db-bootstrap");
    });

    it("KubernetesService with default arguments passes every mandatory rule, the Kubernetes ones included", async () => {
        const { graph } = await record(() => new KubernetesService("api", { image: "nginx:1.27", domainName: "api.example.com", tls: { secretName: "api-tls" } }));
        const report = expectCompliant(graph);
        const k8sRules = report.policies.filter((p) => p.name.startsWith("k8s-") || p.name.startsWith("kubernetes-"));
        expect(k8sRules.length).to.be.greaterThan(3);
        expect(report.violations.filter((v) => k8sRules.some((r) => r.name === v.policy) && v.level === "mandatory")).to.deep.equal([]);
    });
});

describe("CiCdPipeline's task definition revisions", () => {
    it("are scoped to the service's family: no wildcard, no waiver", async () => {
        const { graph } = await record(() => new CiCdPipeline("cd", {
            service: { clusterName: "shop", serviceName: "api", taskDefinitionFamily: "api", taskRoleArn: "arn:aws:iam::123456789012:role/task", executionRoleArn: "arn:aws:iam::123456789012:role/exec" },
            connectionArn: "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc",
            repository: "acme/shop-api",
        }));
        expect(graph.byType("aws:iam/policy:Policy")).to.deep.equal([]);
        const found = violationsOf(graph, "iam-no-wildcard-resources");
        expect(found).to.deep.equal([]);
        expect(evaluate(graph).violations.filter((v) => v.waived)).to.deep.equal([]);
    });
});
