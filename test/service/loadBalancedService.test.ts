import { expect } from "chai";
import { LoadBalancedService, LoadBalancedServiceArgs, TlsPolicy } from "../../components";
import { ecrRepositoryArnOf, secretArnOf } from "../../components/service/loadBalancedService";
import { expectValidationError, Graph, parseJson, record, valueOf } from "../support/harness";
import { base, CERT, network } from "./fixtures";


const LISTENER = "aws:lb/listener:Listener";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

function build(overrides: Partial<LoadBalancedServiceArgs> = {}) {
    return record(() => new LoadBalancedService("web", { ...base, ...overrides }));
}

function statementsOf(graph: Graph, name: string): any[] {
    return parseJson(graph.inputsOf(graph.named(name, "aws:iam/rolePolicy:RolePolicy")).policy).Statement;
}

describe("LoadBalancedService", () => {
    describe("with default arguments", () => {
        let graph: Graph;
        let service: LoadBalancedService;
        before(async () => {
            const rec = await build();
            graph = rec.graph;
            service = rec.result;
        });

        it("puts an internet-facing ALB with hardened settings in the public subnets", () => {
            const lb = graph.inputsOf(graph.one("aws:lb/loadBalancer:LoadBalancer"));
            expect(lb.loadBalancerType).to.equal("application");
            expect(lb.internal).to.equal(false);
            expect(lb.subnets).to.deep.equal(network.publicSubnetIds);
            expect(lb.dropInvalidHeaderFields).to.equal(true);
            expect(lb.enableDeletionProtection).to.equal(true);
            expect(lb.accessLogs).to.equal(undefined);
        });

        it("terminates TLS with the given certificate and a TLS 1.3 policy", () => {
            const https = graph.inputsOf(graph.named("web-https", LISTENER));
            expect(https.protocol).to.equal("HTTPS");
            expect(https.port).to.equal(443);
            expect(https.sslPolicy).to.equal("ELBSecurityPolicy-TLS13-1-2-2021-06");
            expect(https.certificateArn).to.equal(CERT);
            expect(https.defaultActions[0].type).to.equal("forward");
            expect(https.routingHttpResponseStrictTransportSecurityHeaderValue).to.equal("max-age=31536000");
        });

        it("uses port 80 only to redirect to HTTPS: no listener forwards plain HTTP", () => {
            const listeners = graph.byType(LISTENER).map((l) => graph.inputsOf(l));
            expect(listeners).to.have.length(2);
            const http = listeners.filter((l) => l.protocol === "HTTP");
            expect(http).to.have.length(1);
            expect(http[0].defaultActions).to.deep.equal([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
            expect(listeners.filter((l) => l.protocol !== "HTTPS").flatMap((l) => l.defaultActions).some((a: any) => a.type === "forward")).to.equal(false);
        });

        it("health-checks targets and drains them quickly", () => {
            const tg = graph.inputsOf(graph.one("aws:lb/targetGroup:TargetGroup"));
            expect(tg.targetType).to.equal("ip");
            expect(tg.port).to.equal(8080);
            expect(tg.deregistrationDelay).to.equal(30);
            expect(tg.healthCheck).to.include({ path: "/", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: "200-399" });
            expect(tg.stickiness.enabled).to.equal(false);
        });

        it("runs Fargate tasks in the private subnets without public IPs, rolling back failed deploys", () => {
            const svc = graph.one("aws:ecs/service:Service");
            const inputs = graph.inputsOf(svc);
            expect(inputs.launchType).to.equal("FARGATE");
            expect(inputs.networkConfiguration.subnets).to.deep.equal(network.privateSubnetIds);
            expect(inputs.networkConfiguration.assignPublicIp).to.equal(false);
            expect(inputs.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
            expect(inputs.deploymentMinimumHealthyPercent).to.equal(100);
            expect(inputs.deploymentMaximumPercent).to.equal(200);
            expect(inputs.desiredCount).to.equal(2);
            expect(svc.ignoreChanges).to.include("desiredCount");
        });

        it("creates the ECS service only after the listeners that attach its target group", () => {
            const svc = graph.one("aws:ecs/service:Service");
            const https = graph.named("web-https", LISTENER);
            expect(graph.inputsOf(https).defaultActions[0].targetGroupArn).to.equal("(known after apply: web-tg.arn)");
            expect(svc.dependencies).to.include.members([https.urn, graph.named("web-http-redirect", LISTENER).urn, graph.named("web-tg").urn]);
        });

        it("enables Container Insights on the cluster", () => {
            const cluster = graph.inputsOf(graph.one("aws:ecs/cluster:Cluster"));
            expect(cluster.settings).to.deep.include({ name: "containerInsights", value: "enabled" });
        });

        it("defines a non-root task with a read-only root file system and a writable /tmp", () => {
            const td = graph.inputsOf(graph.one("aws:ecs/taskDefinition:TaskDefinition"));
            expect(td.cpu).to.equal("256");
            expect(td.memory).to.equal("512");
            expect(td.networkMode).to.equal("awsvpc");
            const [container] = JSON.parse(td.containerDefinitions);
            expect(container.readonlyRootFilesystem).to.equal(true);
            expect(container.user).to.equal("1000:1000");
            expect(container.portMappings).to.deep.equal([{ containerPort: 8080, protocol: "tcp" }]);
            expect(container.mountPoints).to.deep.include({ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false });
            expect(container.logConfiguration.options["awslogs-group"]).to.equal("/scaling-toolkit/web/containers");
            expect(graph.inputsOf(graph.one("aws:cloudwatch/logGroup:LogGroup")).retentionInDays).to.equal(30);
        });

        it("tracks CPU, memory and requests per target between min and max capacity", () => {
            const target = graph.inputsOf(graph.one("aws:appautoscaling/target:Target"));
            expect(target).to.include({ minCapacity: 2, maxCapacity: 10, scalableDimension: "ecs:service:DesiredCount" });
            const policies = graph.byType("aws:appautoscaling/policy:Policy").map((p) => graph.inputsOf(p).targetTrackingScalingPolicyConfiguration);
            const byMetric = Object.fromEntries(policies.map((p) => [p.predefinedMetricSpecification.predefinedMetricType, p]));
            expect(byMetric.ECSServiceAverageCPUUtilization.targetValue).to.equal(60);
            expect(byMetric.ECSServiceAverageMemoryUtilization.targetValue).to.equal(75);
            expect(byMetric.ALBRequestCountPerTarget.targetValue).to.equal(1000);
            expect(byMetric.ALBRequestCountPerTarget.predefinedMetricSpecification.resourceLabel)
                .to.equal("(known after apply: web-alb.arnSuffix)/(known after apply: web-tg.arnSuffix)");
            expect(policies.every((p) => p.scaleInCooldown === 300 && p.scaleOutCooldown === 60)).to.equal(true);
        });

        it("admits the internet to the load balancer on 443 and 80 only", () => {
            const lbRules = graph.byType(INGRESS).map((r) => graph.inputsOf(r)).filter((r) => r.securityGroupId === "(known after apply: web-lb.id)");
            expect(lbRules.map((r) => [r.fromPort, r.toPort, r.cidrIpv4]).sort()).to.deep.equal([[443, 443, "0.0.0.0/0"], [80, 80, "0.0.0.0/0"]]);
        });

        it("admits only the load balancer, only on the container port, to the tasks", () => {
            const taskRules = graph.byType(INGRESS).map((r) => graph.inputsOf(r)).filter((r) => r.securityGroupId === "(known after apply: web-tasks.id)");
            expect(taskRules).to.have.length(1);
            expect(taskRules[0]).to.include({ referencedSecurityGroupId: "(known after apply: web-lb.id)", fromPort: 8080, toPort: 8080 });
            expect(taskRules[0].cidrIpv4).to.equal(undefined);
            const lbEgress = graph.byType(EGRESS).map((r) => graph.inputsOf(r)).filter((r) => r.securityGroupId === "(known after apply: web-lb.id)");
            expect(lbEgress).to.deep.equal([{ ...lbEgress[0], referencedSecurityGroupId: "(known after apply: web-tasks.id)", fromPort: 8080, toPort: 8080 }]);
        });

        it("lets the execution role write its own log group and nothing else", () => {
            const statements = statementsOf(graph, "web-execution");
            expect(statements.map((s) => s.Sid)).to.deep.equal(["WriteContainerLogs"]);
            expect(statements[0].Resource).to.deep.equal(["(known after apply: web-logs.arn):log-stream:*"]);
            expect(statements.flatMap((s) => s.Resource)).to.not.include("*");
        });

        it("creates an empty task role for callers to extend", () => {
            const policies = graph.byType("aws:iam/rolePolicy:RolePolicy").filter((p) => graph.inputsOf(p).role === "(known after apply: web-task.id)");
            expect(policies).to.have.length(0);
            const trust = parseJson(graph.inputsOf(graph.named("web-task", "aws:iam/role:Role")).assumeRolePolicy);
            expect(trust.Statement[0].Principal.Service).to.equal("ecs-tasks.amazonaws.com");
        });

        it("raises error-rate, p99-latency and unhealthy-host alarms to a created, encrypted topic CloudWatch can publish to", () => {
            const topic = graph.inputsOf(graph.one("aws:sns/topic:Topic"));
            // A customer-managed key: CloudWatch cannot use the AWS-managed SNS key.
            expect(topic.kmsMasterKeyId).to.equal("(known after apply: web-alarms.arn)");
            const key = graph.inputsOf(graph.one("aws:kms/key:Key"));
            expect(key.enableKeyRotation).to.equal(true);
            const cloudwatch = parseJson(key.policy).Statement.find((st: any) => st.Principal?.Service === "cloudwatch.amazonaws.com");
            expect(cloudwatch.Action).to.deep.equal(["kms:Decrypt", "kms:GenerateDataKey*"]);
            const [publish] = parseJson(graph.inputsOf(graph.one("aws:sns/topicPolicy:TopicPolicy")).policy).Statement;
            expect(publish).to.deep.include({ Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["sns:Publish"], Resource: ["(known after apply: web-alarms.arn)"] });
            const alarms: any[] = graph.byType("aws:cloudwatch/metricAlarm:MetricAlarm").map((a) => ({ name: a.name, ...graph.inputsOf(a) }));
            expect(alarms.map((a) => a.name).sort()).to.deep.equal(["web-p99-latency", "web-target-5xx-rate", "web-unhealthy-hosts"]);
            const p99 = alarms.find((a) => a.name === "web-p99-latency")!;
            expect(p99.extendedStatistic).to.equal("p99");
            expect(p99.threshold).to.equal(1);
            const rate = alarms.find((a) => a.name === "web-target-5xx-rate")!;
            expect(rate.metricQueries.map((q: any) => q.metric?.metricName).filter(Boolean)).to.deep.equal(["HTTPCode_Target_5XX_Count", "RequestCount"]);
            expect(alarms.every((a) => a.alarmActions[0] === "(known after apply: web-alarms.arn)")).to.equal(true);
        });

        it("parents and tags every child", () => {
            const component = graph.one("scaling-toolkit:index:LoadBalancedService");
            expect(graph.customResources.every((r) => r.parent === component.urn)).to.equal(true);
            const tagged = graph.customResources.map((r) => graph.inputsOf(r).tags).filter((t) => t !== undefined);
            expect(tagged.length).to.be.greaterThan(15);
            for (const tags of tagged) {
                expect(tags).to.include({ ManagedBy: "scaling-toolkit", Component: "LoadBalancedService", Environment: "test" });
            }
        });

        it("outputs the URL, load balancer, service, security group and task role", async () => {
            expect(await valueOf(service.url)).to.equal("https://(known after apply: web-alb.dnsName)");
            expect(await valueOf(service.securityGroupId)).to.equal("(known after apply: web-tasks.id)");
            expect(await valueOf(service.taskRoleArn)).to.equal("(known after apply: web-task.arn)");
            expect(await valueOf(service.loadBalancerArn)).to.equal("(known after apply: web-alb.arn)");
            expect(await valueOf(service.serviceName)).to.equal("(known after apply: web-service.name)");
            expect(await valueOf(service.taskDefinitionFamily)).to.equal("web");
        });
    });

    it("creates a DNS-validated certificate and an alias record from a domain and zone", async () => {
        const { graph, result } = await build({ certificateArn: undefined, domainName: "api.example.com", hostedZoneId: "Z123" });
        const cert = graph.inputsOf(graph.one("aws:acm/certificate:Certificate"));
        expect(cert).to.include({ domainName: "api.example.com", validationMethod: "DNS" });
        const records = graph.byType("aws:route53/record:Record").map((r) => graph.inputsOf(r));
        expect(records.map((r) => r.type).sort()).to.deep.equal(["A", "CNAME"]);
        const alias = records.find((r) => r.type === "A")!;
        expect(alias.aliases[0].name).to.equal("(known after apply: web-alb.dnsName)");
        const https = graph.inputsOf(graph.named("web-https", LISTENER));
        expect(https.certificateArn).to.equal("(known after apply: web-cert.arn)");
        expect(await valueOf(result.url)).to.equal("https://api.example.com");
    });

    it("lets the execution role read exactly the named secrets and pull from the image's ECR repository", async () => {
        const secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
        const { graph } = await build({
            image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.2.3",
            secrets: { DB_PASSWORD: `${secret}:password::` },
            parameters: { FLAG: "arn:aws:ssm:eu-west-1:123456789012:parameter/flag" },
        });
        const bySid = Object.fromEntries(statementsOf(graph, "web-execution").map((s) => [s.Sid, s]));
        expect(bySid.ReadSecrets.Resource).to.deep.equal([secret]);
        expect(bySid.ReadSecrets.Action).to.deep.equal(["secretsmanager:GetSecretValue"]);
        expect(bySid.ReadParameters.Resource).to.deep.equal(["arn:aws:ssm:eu-west-1:123456789012:parameter/flag"]);
        expect(bySid.PullImage.Resource).to.deep.equal(["arn:aws:ecr:eu-west-1:123456789012:repository/api"]);
        // GetAuthorizationToken is the one action AWS cannot scope to a resource.
        expect(bySid.EcrLogin).to.deep.include({ Action: ["ecr:GetAuthorizationToken"], Resource: ["*"] });
        const [container] = JSON.parse(graph.inputsOf(graph.one("aws:ecs/taskDefinition:TaskDefinition")).containerDefinitions);
        expect(container.secrets.map((s: any) => s.name)).to.deep.equal(["DB_PASSWORD", "FLAG"]);
    });

    it("turns on stickiness, access logs, an internal scheme and a custom TLS policy by argument", async () => {
        const { graph } = await build({
            internal: true,
            tlsPolicy: TlsPolicy.Tls13Only,
            stickiness: { enabled: true, durationSeconds: 600 },
            accessLogs: { enabled: true },
            deletionProtection: false,
        });
        const lb = graph.inputsOf(graph.one("aws:lb/loadBalancer:LoadBalancer"));
        expect(lb.internal).to.equal(true);
        expect(lb.subnets).to.deep.equal(network.privateSubnetIds);
        expect(lb.enableDeletionProtection).to.equal(false);
        expect(lb.accessLogs).to.include({ enabled: true, bucket: "(known after apply: web-access-logs.id)" });
        const tg = graph.inputsOf(graph.one("aws:lb/targetGroup:TargetGroup"));
        expect(tg.stickiness).to.deep.equal({ enabled: true, type: "lb_cookie", cookieDuration: 600 });
        expect(graph.inputsOf(graph.named("web-https", LISTENER)).sslPolicy).to.equal("ELBSecurityPolicy-TLS13-1-3-2021-06");
        const cidrs = graph.byType(INGRESS).map((r) => graph.inputsOf(r).cidrIpv4).filter(Boolean);
        expect(new Set(cidrs)).to.deep.equal(new Set(["10.0.0.0/16"]));
        const sse = graph.inputsOf(graph.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"));
        expect(sse.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("AES256");
        const bucketPolicy = parseJson(graph.inputsOf(graph.one("aws:s3/bucketPolicy:BucketPolicy")).policy);
        expect(bucketPolicy.Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        // ELB may write exactly where it writes: <bucket>/<prefix>/AWSLogs/<account>/.
        expect(lb.accessLogs.prefix).to.equal("web");
        const delivery = bucketPolicy.Statement.find((st: any) => st.Sid === "ElbLogDelivery");
        expect(delivery.Action).to.deep.equal(["s3:PutObject"]);
        expect(delivery.Resource).to.deep.equal(["(known after apply: web-access-logs.arn)/web/AWSLogs/(offline: account id)/*"]);
        expect(graph.inputsOf(graph.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"))).to.include({ blockPublicAcls: true, restrictPublicBuckets: true });
    });

    it("restricts load balancer clients and task egress to the given CIDRs", async () => {
        const { graph } = await build({
            allowedIngressCidrs: ["203.0.113.0/24"],
            egress: [{ cidr: "10.0.0.0/16", fromPort: 5432, toPort: 5432, description: "database" }],
        });
        const ingress = graph.byType(INGRESS).map((r) => graph.inputsOf(r).cidrIpv4).filter(Boolean);
        expect(new Set(ingress)).to.deep.equal(new Set(["203.0.113.0/24"]));
        const egress = graph.byType(EGRESS).map((r) => graph.inputsOf(r)).filter((r) => r.securityGroupId === "(known after apply: web-tasks.id)");
        expect(egress.map((r) => [r.cidrIpv4, r.fromPort, r.toPort])).to.deep.equal([["10.0.0.0/16", 5432, 5432]]);
    });

    it("leaves the task definition to a pipeline when deployments are external", async () => {
        const { graph } = await build({ externalDeployments: true });
        expect(graph.one("aws:ecs/service:Service").ignoreChanges).to.deep.equal(["desiredCount", "taskDefinition"]);
    });

    it("passes an existing alarm topic through instead of creating one", async () => {
        const { graph } = await build({ alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:ops" });
        expect(graph.byType("aws:sns/topic:Topic")).to.have.length(0);
        const alarm = graph.inputsOf(graph.named("web-p99-latency"));
        expect(alarm.alarmActions).to.deep.equal(["arn:aws:sns:eu-west-1:123456789012:ops"]);
    });

    it("derives ECR repository ARNs and strips JSON keys from secret references", () => {
        expect(ecrRepositoryArnOf("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api@sha256:abc")).to.equal("arn:aws:ecr:us-east-1:123456789012:repository/team/api");
        expect(ecrRepositoryArnOf("docker.io/library/nginx:1")).to.equal(undefined);
        expect(secretArnOf("arn:aws:secretsmanager:us-east-1:1:secret:x-AbC:key::")).to.equal("arn:aws:secretsmanager:us-east-1:1:secret:x-AbC");
    });

    it("accepts tags with every character IAM allows", async () => {
        const value = "Payments team: a.b_c/d=e+f-g@h 42 équipe";
        const { graph } = await build({ tags: { "cost-center/team": value } });
        expect(graph.inputsOf(graph.named("web-task", "aws:iam/role:Role")).tags).to.include({ "cost-center/team": value });
    });

    describe("validation", () => {
        const cases: [string, Partial<LoadBalancedServiceArgs>, string][] = [
            ["min capacity above max", { minCapacity: 5, maxCapacity: 2 }, "minCapacity"],
            ["a port outside 1-65535", { containerPort: 70000 }, "containerPort"],
            ["port zero", { containerPort: 0 }, "containerPort"],
            ["a CPU/memory pair Fargate refuses", { cpu: 256, memory: 4096 }, "memory"],
            ["a CPU size Fargate does not offer", { cpu: 300, memory: 512 }, "cpu"],
            ["an empty image", { image: "  " }, "image"],
            ["a health check path without a leading slash", { healthCheck: { path: "health" } }, "healthCheck.path"],
            ["neither a certificate nor a domain", { certificateArn: undefined }, "certificateArn"],
            ["a domain without a zone", { certificateArn: undefined, domainName: "api.example.com" }, "certificateArn"],
            ["a TLS policy below TLS 1.2", { tlsPolicy: "ELBSecurityPolicy-2016-08" as TlsPolicy }, "tlsPolicy"],
            ["running as root", { user: "0" }, "user"],
            ["running in the root group", { user: "1000:0" }, "user"],
            ["a malformed ingress CIDR", { allowedIngressCidrs: ["0.0.0.0"] }, "allowedIngressCidrs[0]"],
            ["no ingress CIDR at all", { allowedIngressCidrs: [] }, "allowedIngressCidrs"],
            ["a secret that is not a Secrets Manager ARN", { secrets: { X: "my-secret" } }, "secrets.X"],
            ["a bad environment variable name", { environment: { "1BAD": "x" } }, "environment.1BAD"],
            ["a log retention CloudWatch refuses", { logRetentionDays: 2 }, "logRetentionDays"],
            ["a timeout not below the interval", { healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } }, "healthCheck.timeoutSeconds"],
            ["a tag value IAM refuses on the roles (parentheses, semicolon)", { tags: { Owner: "team (payments); on-call" } }, "tags.Owner"],
            ["a tag value longer than IAM's 256 characters", { tags: { Note: "x".repeat(257) } }, "tags.Note"],
            ["a tag key with the reserved aws: prefix", { tags: { "aws:team": "payments" } }, "tags"],
        ];
        for (const [what, overrides, argument] of cases) {
            it(`rejects ${what} before creating anything`, async () => {
                const { graph } = await record(() => {
                    expectValidationError(() => new LoadBalancedService("web", { ...base, ...overrides }), "LoadBalancedService", argument);
                });
                expect(graph.resources).to.have.length(0);
            });
        }
    });
});
