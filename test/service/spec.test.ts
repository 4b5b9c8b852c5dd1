/**
 * The platform-neutral service spec (components/service/spec.ts) as both platforms render it: one
 * type rule for every argument, one startup tolerance, secrets with the same name and meaning, a
 * command, and every output field registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { KubernetesService, KubernetesServiceArgs, LoadBalancedService, LoadBalancedServiceArgs, ServiceCommonArgs } from "../../components";
import { parseSecretKeyReference } from "../../components/service/kubernetesService";
import { expectValidationError, Graph, record } from "../support/harness";
import { kubernetesErrors, renderedObject } from "./kubernetesSchema";

const network = { vpcId: "vpc-1", publicSubnetIds: ["a", "b"], privateSubnetIds: ["c", "d"], vpcCidrBlock: "10.0.0.0/16" };
const awsBase: LoadBalancedServiceArgs = { network, image: "nginx:1.27", certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" };
const kubeBase: KubernetesServiceArgs = { image: "nginx:1.27", domainName: "api.example.com", tls: { secretName: "api-tls" } };

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const ECS_SERVICE = "aws:ecs/service:Service";
const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";

async function onAws(overrides: Partial<LoadBalancedServiceArgs> = {}): Promise<{ graph: Graph; result: LoadBalancedService }> {
    return record(() => new LoadBalancedService("web", { ...awsBase, ...overrides }));
}

async function onKubernetes(overrides: Partial<KubernetesServiceArgs> = {}): Promise<{ graph: Graph; result: KubernetesService }> {
    return record(() => new KubernetesService("web", { ...kubeBase, ...overrides }));
}

function containerOf(graph: Graph): any {
    return graph.inputsOf(graph.one(DEPLOYMENT)).spec.template.spec.containers[0];
}

function containerDefinitionOf(graph: Graph): any {
    return JSON.parse(graph.inputsOf(graph.one(TASK_DEFINITION)).containerDefinitions)[0];
}

/** Seconds the startup probe allows: its failures times its period. */
function startupProbeSeconds(graph: Graph): number {
    const probe = containerOf(graph).startupProbe;
    return probe.failureThreshold * probe.periodSeconds;
}

describe("service spec (both platforms)", () => {
    describe("one type rule for every argument", () => {
        // Values a YAML config or a JavaScript caller can pass that TypeScript would refuse.
        const cases: [string, Record<string, unknown>, string, string][] = [
            ["a CPU size given as a string", { cpu: "512" }, "cpu", "a number"],
            ["a memory size given as a string", { memory: "1024" }, "memory", "a number"],
            ["a nested health-check interval given as a string", { healthCheck: { intervalSeconds: "15" } }, "healthCheck.intervalSeconds", "a number"],
            ["an egress port given as a string", { egress: [{ cidr: "10.0.0.0/16", fromPort: "443", toPort: 443, description: "x" }] }, "egress[0].fromPort", "a number"],
            ["a startup tolerance given as a string", { startupTimeoutSeconds: "300" }, "startupTimeoutSeconds", "a number"],
            ["an image given as a number", { image: 42 }, "image", "a string or an Output of one"],
            ["a command given as one string", { command: "serve --port 8080" }, "command", "a list of strings"],
            ["a command argument given as a number", { command: ["serve", 8080] }, "command[1]", "a string"],
            ["an environment value given as a number", { environment: { PORT: 8080 } }, "environment.PORT", "a string or an Output of one"],
            ["a tag value given as a boolean", { tags: { Public: true } }, "tags.Public", "a string"],
            ["a user given as a number", { user: 1000 }, "user", "a string"],
        ];
        for (const [what, overrides, argument, allowed] of cases) {
            for (const platform of ["LoadBalancedService", "KubernetesService"] as const) {
                it(`${platform} refuses ${what}, naming the argument and what is allowed, before creating anything`, async () => {
                    const { graph } = await record(() => {
                        const error = expectValidationError(() => platform === "LoadBalancedService"
                            ? new LoadBalancedService("web", { ...awsBase, ...overrides } as unknown as LoadBalancedServiceArgs)
                            : new KubernetesService("web", { ...kubeBase, ...overrides } as unknown as KubernetesServiceArgs), platform, argument);
                        expect(error.problems.find((p) => p.argument === argument)!.allowed).to.equal(allowed);
                    });
                    expect(graph.resources).to.have.length(0);
                });
            }
        }

        it("refuses a platform argument of the wrong kind by the same rule", () => {
            const aws = expectValidationError(() => new LoadBalancedService("web", { ...awsBase, internal: "false" } as unknown as LoadBalancedServiceArgs),
                "LoadBalancedService", "internal");
            expect(aws.message).to.match(/^LoadBalancedService "web": argument "internal" was "false"[^;]*; allowed: true or false$/);
            const kube = expectValidationError(() => new KubernetesService("web", { ...kubeBase, preStopDelaySeconds: "5" } as unknown as KubernetesServiceArgs),
                "KubernetesService", "preStopDelaySeconds");
            expect(kube.problems).to.have.length(1);
        });

        it("accepts Outputs wherever an argument is an Input", async () => {
            const { graph } = await onAws({ image: pulumi.output("nginx:1.27"), environment: { MODE: pulumi.output("prod") } });
            expect(containerDefinitionOf(graph).environment).to.deep.equal([{ name: "MODE", value: "prod" }]);
        });
    });

    describe("one startup tolerance", () => {
        it("gives a new task or pod 300 s by default on both platforms", async () => {
            const aws = (await onAws()).graph;
            const kube = (await onKubernetes()).graph;
            expect(aws.inputsOf(aws.one(ECS_SERVICE)).healthCheckGracePeriodSeconds).to.equal(300);
            expect(startupProbeSeconds(kube)).to.equal(300);
        });

        it("renders the same startupTimeoutSeconds as the ECS grace period and the startup probe's limit", async () => {
            const aws = (await onAws({ startupTimeoutSeconds: 120 })).graph;
            const kube = (await onKubernetes({ startupTimeoutSeconds: 120 })).graph;
            expect(aws.inputsOf(aws.one(ECS_SERVICE)).healthCheckGracePeriodSeconds).to.equal(120);
            expect(startupProbeSeconds(kube)).to.equal(120);
        });

        it("refuses a tolerance outside 10-3600 s on both platforms", () => {
            expectValidationError(() => new LoadBalancedService("web", { ...awsBase, startupTimeoutSeconds: 5 }), "LoadBalancedService", "startupTimeoutSeconds");
            expectValidationError(() => new KubernetesService("web", { ...kubeBase, startupTimeoutSeconds: 7200 }), "KubernetesService", "startupTimeoutSeconds");
        });
    });

    describe("secrets", () => {
        it("renders Kubernetes Secret key references as secretKeyRef env entries, sorted, after the plain variables", async () => {
            const { graph } = await onKubernetes({
                environment: { MODE: "prod" },
                secrets: { REDIS_URL: "cache-auth/url", DB_PASSWORD: "db-credentials/password" },
            });
            expect(containerOf(graph).env).to.deep.equal([
                { name: "MODE", value: "prod" },
                { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db-credentials", key: "password" } } },
                { name: "REDIS_URL", valueFrom: { secretKeyRef: { name: "cache-auth", key: "url" } } },
            ]);
        });

        it("resolves a reference another resource computes", async () => {
            const { graph } = await onKubernetes({ secrets: { TOKEN: pulumi.output("api-token/token") } });
            expect(containerOf(graph).env).to.deep.equal([{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "api-token", key: "token" } } }]);
        });

        it("renders a Deployment with secrets that the Kubernetes schema accepts, unknown fields refused", async () => {
            const { graph } = await onKubernetes({ secrets: { DB_PASSWORD: "db-credentials/password" }, command: ["serve", "--port", "8080"] });
            expect(kubernetesErrors([renderedObject(graph.one(DEPLOYMENT))])).to.deep.equal([]);
        });

        it("gives secrets the same name and meaning on AWS: Secrets Manager references in the container's secrets", async () => {
            const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
            const { graph } = await onAws({ environment: { MODE: "prod" }, secrets: { DB_PASSWORD: `${arn}:password::` } });
            const container = containerDefinitionOf(graph);
            expect(container.environment).to.deep.equal([{ name: "MODE", value: "prod" }]);
            expect(container.secrets).to.deep.equal([{ name: "DB_PASSWORD", valueFrom: `${arn}:password::` }]);
        });

        const refused: [string, Record<string, string>, string][] = [
            ["a reference without a key", { DB: "db-credentials" }, "secrets.DB"],
            ["a Secrets Manager ARN", { DB: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" }, "secrets.DB"],
            ["a Secret name that is not a DNS-1123 subdomain", { DB: "DB_Credentials/password" }, "secrets.DB"],
            ["a key with a character Secret keys refuse", { DB: "db-credentials/pass word" }, "secrets.DB"],
            ["a variable name that is not an environment name", { "1DB": "db-credentials/password" }, "secrets.1DB"],
        ];
        for (const [what, secrets, argument] of refused) {
            it(`refuses ${what} on Kubernetes before creating anything`, async () => {
                const { graph } = await record(() => {
                    const error = expectValidationError(() => new KubernetesService("web", { ...kubeBase, secrets }), "KubernetesService", argument);
                    expect(error.message).to.contain("allowed");
                });
                expect(graph.resources).to.have.length(0);
            });
        }

        it("refuses a name given both as a plain variable and as a secret, on both platforms", () => {
            const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
            expectValidationError(() => new LoadBalancedService("web", { ...awsBase, environment: { DB: "x" }, secrets: { DB: arn } }), "LoadBalancedService", "secrets.DB");
            expectValidationError(() => new KubernetesService("web", { ...kubeBase, environment: { DB: "x" }, secrets: { DB: "db/password" } }), "KubernetesService", "secrets.DB");
        });

        it("parses Secret key references and refuses malformed ones", () => {
            expect(parseSecretKeyReference("db-credentials/password")).to.deep.equal({ name: "db-credentials", key: "password" });
            expect(parseSecretKeyReference("tls.example.com/tls.crt")).to.deep.equal({ name: "tls.example.com", key: "tls.crt" });
            for (const bad of ["", "/key", "name/", "name", "a/b/c", `name/${"k".repeat(254)}`]) {
                expect(parseSecretKeyReference(bad), bad).to.equal(undefined);
            }
        });
    });

    describe("command", () => {
        it("replaces the image's CMD on both platforms: ECS command, Kubernetes args", async () => {
            const command = ["serve", "--port", "8080"];
            const aws = (await onAws({ command })).graph;
            const kube = (await onKubernetes({ command })).graph;
            expect(containerDefinitionOf(aws).command).to.deep.equal(command);
            expect(containerOf(kube).args).to.deep.equal(command);
            expect(containerOf(kube).command).to.equal(undefined);
        });

        it("keeps the image's CMD by default and refuses an empty command", async () => {
            expect(containerDefinitionOf((await onAws()).graph).command).to.equal(undefined);
            expect(containerOf((await onKubernetes()).graph).args).to.equal(undefined);
            expectValidationError(() => new KubernetesService("web", { ...kubeBase, command: [] }), "KubernetesService", "command");
            expectValidationError(() => new LoadBalancedService("web", { ...awsBase, command: ["serve", ""] }), "LoadBalancedService", "command[1]");
        });
    });

    describe("outputs", () => {
        /** The Output fields a component instance has (without the urn every resource has). */
        function outputFields(component: pulumi.ComponentResource): string[] {
            return Object.entries(component).filter(([key, value]) => key !== "urn" && pulumi.Output.isInstance(value)).map(([key]) => key).sort();
        }

        it("registers every output field of LoadBalancedService", async () => {
            const { graph, result } = await onAws();
            const fields = outputFields(result);
            // 15 outputs, plus distributionId and distributionDomainName (issue 20, the cdn argument).
            expect(fields).to.have.length(17);
            // Without cdn the distribution outputs are undefined, and an undefined output is not registered.
            const absentWithoutCdn = ["distributionDomainName", "distributionId"];
            expect(Object.keys(graph.one("scaling-toolkit:index:LoadBalancedService").outputs ?? {}).sort()).to.deep.equal(fields.filter((f) => !absentWithoutCdn.includes(f)));
        });

        it("registers every output field of KubernetesService", async () => {
            const { graph, result } = await onKubernetes();
            const fields = outputFields(result);
            expect(fields).to.deep.equal(["namespace", "serviceName", "url"]);
            expect(Object.keys(graph.one("scaling-toolkit:index:KubernetesService").outputs ?? {}).sort()).to.deep.equal(fields);
        });

        it("writes the same URL from the domain name on both platforms", async () => {
            const common: Partial<ServiceCommonArgs> = { domainName: "api.example.com" };
            const aws = (await onAws({ ...common, certificateArn: awsBase.certificateArn })).graph;
            const kube = (await onKubernetes(common)).graph;
            expect(aws.one("scaling-toolkit:index:LoadBalancedService").outputs?.url).to.equal("https://api.example.com");
            expect(kube.one("scaling-toolkit:index:KubernetesService").outputs?.url).to.equal("https://api.example.com");
        });
    });
});
