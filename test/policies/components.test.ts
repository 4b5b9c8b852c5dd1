/**
 * Secure by default, proven: every component with default arguments passes every mandatory rule
 * (production data-protection rules included), and each weakening argument shows the matching rule.
 */
import { expect } from "chai";
import { LoadBalancedService, LoadBalancedServiceArgs, Network } from "../../components";
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
