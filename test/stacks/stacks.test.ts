import { expect } from "chai";
import { PreviewRun, previewStack } from "../../preview/plan";
import { REPO } from "../support/preview";

describe("environment stacks", function () {
    // The first preview type-checks the program (as `pulumi preview` does): slow once, then cached.
    this.timeout(600_000);
    const runs: Record<string, PreviewRun> = {};
    before(async () => {
        for (const stack of ["dev", "staging", "prod"]) {
            runs[stack] = await previewStack(REPO, stack);
        }
    });

    const count = (stack: string, type: string) => runs[stack].plan.summary.byType[type] ?? 0;
    const inputsOf = (stack: string, type: string) => runs[stack].graph.byType(type).map((r) => runs[stack].graph.inputsOf(r));

    for (const stack of ["dev", "staging", "prod"]) {
        it(`${stack}: composes the whole system: network, services, cache, database, pipeline, dashboard`, () => {
            const { plan } = runs[stack];
            expect(plan.project).to.equal("scaling-toolkit");
            expect(plan.stack).to.equal(stack);
            for (const component of ["Network", "RedisCache", "PartitionedDatabase", "CiCdPipeline"]) {
                expect(count(stack, `scaling-toolkit:index:${component}`), component).to.equal(1);
            }
            expect(count(stack, "scaling-toolkit:index:LoadBalancedService") + count(stack, "scaling-toolkit:index:KubernetesService")).to.equal(2);
            expect(count(stack, "aws:cloudwatch/dashboard:Dashboard")).to.equal(1);
            expect(Object.keys(plan.outputs.serviceUrls as object).sort()).to.deep.equal(["api", "web"]);
            expect(plan.policies.violations.filter((v) => v.level === "mandatory")).to.deep.equal([]);
        });
    }

    it("tags IAM roles and policies only with keys and values IAM accepts (IAM API reference, Tag)", () => {
        const iamText = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
        for (const stack of ["dev", "staging", "prod"]) {
            const iam = runs[stack].graph.customResources.filter((r) => r.type.startsWith("aws:iam/"));
            expect(iam.filter((r) => r.type === "aws:iam/role:Role").length, stack).to.be.greaterThan(5);
            for (const r of iam) {
                for (const [key, value] of Object.entries((runs[stack].graph.inputsOf(r).tags ?? {}) as Record<string, string>)) {
                    expect(key.length > 0 && key.length <= 128 && iamText.test(key), `${stack} ${r.name} tag key ${key}`).to.equal(true);
                    expect(value.length <= 256 && iamText.test(value), `${stack} ${r.name} tag ${key}=${value}`).to.equal(true);
                }
            }
        }
    });

    it("runs a service on Kubernetes by config, with the same shared arguments", () => {
        expect(count("dev", "scaling-toolkit:index:KubernetesService")).to.equal(1);
        expect(count("prod", "scaling-toolkit:index:KubernetesService")).to.equal(0);
        const deployment = inputsOf("dev", "kubernetes:apps/v1:Deployment")[0];
        const container = deployment.spec.template.spec.containers[0];
        expect(container.ports[0].containerPort).to.equal(3000);
        expect(container.resources.limits).to.deep.equal({ cpu: "250m", memory: "512Mi" });
        const provider = runs.dev.graph.resources.find((r) => r.type === "pulumi:providers:kubernetes" && r.name === "dev-cluster")!;
        expect(provider.inputs.context).to.equal("dev-cluster");
        expect(runs.dev.plan.outputs.serviceUrls).to.have.property("web", "https://web.dev.shop.example.com");
    });

    it("admits exactly the AWS services to the cache and the database, and tells them where those are", () => {
        const run = runs.prod;
        const ingress = (sgName: string) => run.graph.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .map((r) => run.graph.inputsOf(r)).filter((r) => r.securityGroupId === `(known after apply: ${sgName}.id)`).map((r) => r.referencedSecurityGroupId).sort();
        const services = ["(known after apply: prod-api-tasks.id)", "(known after apply: prod-web-tasks.id)"];
        expect(ingress("prod-cache-sg")).to.deep.equal(services);
        expect(ingress("prod-db-db")).to.include.members(services);
        expect(ingress("prod-db-proxy")).to.deep.equal(services);
        const td = run.graph.inputsOf(run.graph.named("prod-api-task", "aws:ecs/taskDefinition:TaskDefinition"));
        const [container] = JSON.parse(td.containerDefinitions);
        expect(container.secrets.map((x: any) => x.name)).to.include("REDIS_URL");
        expect(container.environment.find((e: any) => e.name === "DATABASE_HOST").value).to.equal("(known after apply: prod-db-proxy.endpoint)");
    });

    it("protects production data: cache and database protected from deletion, replicas, a proxy, approvals", () => {
        const protectedIn = (stack: string, type: string) => runs[stack].graph.byType(type).map((r) => r.protect);
        expect(protectedIn("prod", "aws:rds/instance:Instance").every(Boolean)).to.equal(true);
        expect(protectedIn("prod", "aws:elasticache/replicationGroup:ReplicationGroup")).to.deep.equal([true]);
        expect(protectedIn("dev", "aws:rds/instance:Instance").some(Boolean)).to.equal(false);
        expect(count("prod", "aws:rds/instance:Instance")).to.equal(2);
        expect(count("prod", "aws:rds/proxy:Proxy")).to.equal(1);
        expect(count("dev", "aws:rds/proxy:Proxy")).to.equal(0);
        const primary = (stack: string) => runs[stack].graph.inputsOf(runs[stack].graph.named(`${stack}-db-primary`, "aws:rds/instance:Instance"));
        expect(primary("prod")).to.include({ multiAz: true, deletionProtection: true, backupRetentionPeriod: 30, skipFinalSnapshot: false });
        expect(primary("dev")).to.include({ multiAz: false, deletionProtection: false, skipFinalSnapshot: true });
        expect(runs.prod.graph.inputsOf(runs.prod.graph.one("aws:elasticache/replicationGroup:ReplicationGroup"))).to.include({ multiAzEnabled: true, automaticFailoverEnabled: true });
        const stages = (stack: string) => runs[stack].graph.inputsOf(runs[stack].graph.one("aws:codepipeline/pipeline:Pipeline")).stages.map((st: any) => st.name);
        expect(stages("prod")).to.include("Approve");
        expect(stages("dev")).to.not.include("Approve");
    });

    it("lets a pipelined service pull its first image and every image its pipeline pushes", () => {
        const run = runs.prod;
        // The service's own policy pulls its first image; the pipeline's grant (on the same role) its images.
        const onExecutionRole = run.graph.byType("aws:iam/rolePolicy:RolePolicy").map((p) => run.graph.inputsOf(p))
            .filter((p) => ["(known after apply: prod-api-execution.id)", "(known after apply: prod-api-execution.arn)"].includes(p.role));
        expect(onExecutionRole).to.have.length(2);
        const pulled = onExecutionRole.flatMap((p) => JSON.parse(p.policy).Statement).filter((st: any) => st.Sid === "PullImage").flatMap((st: any) => st.Resource);
        expect(pulled.sort()).to.deep.equal([
            "(known after apply: prod-api-cd-images.arn)",
            "arn:aws:ecr:eu-west-1:123456789012:repository/shop-api",
        ]);
        const service = run.graph.byType("aws:ecs/service:Service").find((r) => r.name === "prod-api-service")!;
        expect(service.ignoreChanges).to.include("taskDefinition");
    });

    it("partitions the guide's orders table in every environment", () => {
        for (const stack of ["dev", "prod"]) {
            const sql = (runs[stack].plan.outputs.databaseOutputs as Record<string, unknown>).partitioningSql as string;
            expect(sql, stack).to.contain("SELECT scaling_toolkit.apply_table('{\"schema\":\"public\",\"name\":\"orders\",\"partition_key\":\"order_date\"");
            expect(sql).to.contain("CALL scaling_toolkit.run_maintenance_proc()");
        }
    });

    it("dev is small and cheap: two zones, one NAT gateway, one task, a week of logs, no deletion protection", () => {
        expect(count("dev", "aws:ec2/natGateway:NatGateway")).to.equal(1);
        expect(count("dev", "aws:ec2/subnet:Subnet")).to.equal(6);
        expect(inputsOf("dev", "aws:appautoscaling/target:Target").map((t) => t.minCapacity)).to.deep.equal([1]);
        expect(inputsOf("dev", "aws:lb/loadBalancer:LoadBalancer").every((lb) => lb.enableDeletionProtection === false)).to.equal(true);
        const retention = inputsOf("dev", "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.retentionInDays !== undefined).map((g) => g.retentionInDays);
        expect(new Set(retention)).to.deep.equal(new Set([7]));
    });

    it("prod is spread and protected: three zones, a NAT gateway per zone, more tasks, deletion protection, a year of logs", () => {
        expect(count("prod", "aws:ec2/natGateway:NatGateway")).to.equal(3);
        expect(count("prod", "aws:ec2/subnet:Subnet")).to.equal(9);
        expect(inputsOf("prod", "aws:appautoscaling/target:Target").map((t) => t.minCapacity).sort()).to.deep.equal([3, 3]);
        expect(inputsOf("prod", "aws:lb/loadBalancer:LoadBalancer").every((lb) => lb.enableDeletionProtection === true)).to.equal(true);
        const retention = inputsOf("prod", "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.retentionInDays !== undefined).map((g) => g.retentionInDays);
        expect(new Set(retention)).to.deep.equal(new Set([365]));
    });

    it("marks only production resources for the data-protection policies", () => {
        const tagged = (stack: string) => runs[stack].graph.customResources.map((r) => runs[stack].graph.inputsOf(r).tags).filter(Boolean);
        expect(tagged("prod").every((t) => t.Production === "true" && t.Environment === "prod")).to.equal(true);
        expect(tagged("dev").some((t) => "Production" in t)).to.equal(false);
    });

    it("scales each service independently", () => {
        const targets = runs.prod.graph.byType("aws:appautoscaling/target:Target").map((t) => [t.parent!.split("::").pop(), runs.prod.graph.inputsOf(t).maxCapacity]);
        expect(Object.fromEntries(targets)).to.deep.equal({ "prod-api": 30, "prod-web": 12 });
        expect(runs.prod.graph.byType("aws:appautoscaling/policy:Policy").filter((p) => runs.prod.graph.inputsOf(p).serviceNamespace === "ecs")).to.have.length(6);
    });

    it("serves each service at its own host under the stack's domain", () => {
        expect(runs.prod.plan.outputs.serviceUrls).to.deep.equal({ api: "https://api.shop.example.com", web: "https://web.shop.example.com" });
        expect(runs.dev.plan.outputs.serviceUrls).to.deep.equal({ api: "https://api.dev.shop.example.com", web: "https://web.dev.shop.example.com" });
        expect(runs.prod.plan.outputs.imageRepositories).to.deep.equal({ api: "(known after apply: prod-api-cd-images.repositoryUrl)" });
    });

    it("puts response time (p50, p99), error rate and throughput of every service on the dashboard", () => {
        const body = JSON.parse(inputsOf("prod", "aws:cloudwatch/dashboard:Dashboard")[0].dashboardBody);
        const titles = body.widgets.filter((w: any) => w.type === "metric").map((w: any) => w.properties.title);
        for (const svc of ["api", "web"]) {
            expect(titles).to.include.members([`${svc}: response time`, `${svc}: error rate`, `${svc}: throughput`]);
        }
        expect(titles).to.include.members(["cache: engine CPU", "cache: memory and hit rate", "database: CPU and connections", "database: free storage and memory"]);
        const latency = body.widgets.find((w: any) => w.properties.title === "api: response time").properties.metrics;
        expect(latency.map((m: any[]) => m[m.length - 1].stat)).to.deep.equal(["p50", "p99"]);
    });

    it("prod: fronts api with CloudFront and SLO burn-rate alarms, and shows their widgets on the one stack dashboard", () => {
        expect(count("prod", "aws:cloudfront/distribution:Distribution")).to.equal(1);
        expect(count("prod", "aws:cloudwatch/compositeAlarm:CompositeAlarm")).to.equal(4);
        expect(count("dev", "aws:cloudfront/distribution:Distribution")).to.equal(0);
        expect(count("dev", "aws:cloudwatch/compositeAlarm:CompositeAlarm")).to.equal(0);
        const api = runs.prod.graph.byType("aws:lb/loadBalancer:LoadBalancer").find((r) => r.name === "prod-api-alb")!;
        expect(runs.prod.graph.inputsOf(api).internal).to.equal(true);
        const body = JSON.parse(inputsOf("prod", "aws:cloudwatch/dashboard:Dashboard")[0].dashboardBody);
        const titles: string[] = body.widgets.filter((w: any) => w.type === "metric").map((w: any) => w.properties.title);
        expect(titles).to.include.members(["api edge: requests at the edge", "api availability (99.9% not 5xx): burn rate", "api latency (99% within 300 ms): burn rate"]);
        const markdown: string[] = body.widgets.filter((w: any) => w.type === "text").map((w: any) => w.properties.markdown);
        expect(markdown).to.include.members(["## Edge api", "## SLOs api"]);
    });
    it("prod deploys api blue/green through its pipeline and rolls web (pulumi up deploys it), dev and staging roll; no stack has a deploy-check finding", () => {
        const strategies = (stack: string) => runs[stack].graph.byType("aws:ecs/service:Service")
            .map((r) => `${r.name} ${runs[stack].graph.inputsOf(r).deploymentConfiguration.strategy}`).sort();
        expect(strategies("prod")).to.deep.equal(["prod-api-service BLUE_GREEN", "prod-web-service ROLLING"]);
        expect(strategies("staging").every((s) => s.endsWith(" ROLLING"))).to.equal(true);
        expect(strategies("dev").every((s) => s.endsWith(" ROLLING"))).to.equal(true);
        const api = runs.prod.graph.byType("aws:ecs/service:Service").find((r) => r.name === "prod-api-service")!;
        expect(api.ignoreChanges).to.include("taskDefinition");
        expect(runs.prod.graph.inputsOf(api).deploymentConfiguration.bakeTimeInMinutes).to.equal("15");
        expect(runs.prod.graph.inputsOf(api).loadBalancers[0].advancedConfiguration.alternateTargetGroupArn).to.equal("(known after apply: prod-api-tg-alt.arn)");
        expect(count("prod", "aws:lb/listenerRule:ListenerRule")).to.equal(1); // api's production rule; web rolls on the listener's default action
        for (const stack of ["dev", "staging", "prod"]) {
            expect(runs[stack].plan.deployChecks.findings, stack).to.deep.equal([]);
            expect(runs[stack].plan.policies.violations.filter((v) => v.level === "mandatory"), stack).to.deep.equal([]);
        }
    });
});
