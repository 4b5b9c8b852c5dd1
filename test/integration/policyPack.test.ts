/**
 * The policy pack started exactly as the Pulumi CLI starts a TypeScript pack, driven over the
 * analyzer gRPC protocol with real protobuf messages.
 *
 * How the CLI does it: `pulumi preview --policy-pack policies` runs the `pulumi-analyzer-policy`
 * plugin with its working directory set to the pack directory; that script resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from there and runs `node <it> <engine-address> .`. The runner
 * registers ts-node (type-checking), requires the pack (`main` of policies/package.json), whose
 * `new PolicyPack(...)` starts the analyzer server and prints its port on stdout. The engine then
 * calls GetAnalyzerInfo, Configure, Analyze (per resource) and AnalyzeStack.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { expect } from "chai";
import { evaluatePolicies } from "../../policies/evaluate";
import { isStackRule } from "../../policies/rule";
import { ALL_RULES } from "../../policies/rules";

/* eslint-disable @typescript-eslint/no-require-imports -- the generated protobuf modules are CommonJS without types */
const grpc = require("@grpc/grpc-js");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzerPb = require("@pulumi/pulumi/proto/analyzer_pb");
const structPb = require("google-protobuf/google/protobuf/struct_pb");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const PACK_DIR = path.resolve(__dirname, "../../policies");
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's marshalled unknown string
const urn = (type: string, name: string) => `urn:pulumi:prod::shop::${type}::${name}`;

interface Diagnostic {
    policyName: string;
    urn: string;
    message: string;
    level: "advisory" | "mandatory";
    severity: string;
}

const SEVERITY_NAMES: Record<number, string> = {
    [analyzerPb.PolicySeverity.POLICY_SEVERITY_LOW]: "low", [analyzerPb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: "medium",
    [analyzerPb.PolicySeverity.POLICY_SEVERITY_HIGH]: "high", [analyzerPb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: "critical",
};

const LEVEL_NAMES: Record<number, Diagnostic["level"]> = { [analyzerPb.EnforcementLevel.ADVISORY]: "advisory", [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory" };

function diagnosticsOf(response: any): Diagnostic[] {
    return response.getDiagnosticsList().map((d: any) => ({
        policyName: d.getPolicyname(), urn: d.getUrn(), message: d.getMessage(), level: LEVEL_NAMES[d.getEnforcementlevel()], severity: SEVERITY_NAMES[d.getSeverity()],
    }));
}

function options(parent = ""): any {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(false);
    o.setParent(parent);
    return o;
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): any {
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(type);
    req.setName(name);
    req.setUrn(urn(type, name));
    req.setProperties(structPb.Struct.fromJavaScript(props));
    req.setOptions(options());
    return req;
}

function stackResource(type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}): any {
    const r = new analyzerPb.AnalyzerResource();
    r.setType(type);
    r.setName(name);
    r.setUrn(urn(type, name));
    r.setProperties(structPb.Struct.fromJavaScript(props));
    r.setOptions(options());
    const deps = new Set<string>();
    for (const [key, urns] of Object.entries(propertyDependencies)) {
        const pd = new analyzerPb.AnalyzerPropertyDependencies();
        pd.setUrnsList(urns);
        r.getPropertydependenciesMap().set(key, pd);
        urns.forEach((u) => deps.add(u));
    }
    r.setDependenciesList([...deps]);
    return r;
}

function policyConfig(level: number, properties: Record<string, unknown> = {}): any {
    const c = new analyzerPb.PolicyConfig();
    c.setEnforcementlevel(level);
    c.setProperties(structPb.Struct.fromJavaScript(properties));
    return c;
}

describe("policy pack over the analyzer gRPC protocol (started as the Pulumi CLI starts it)", function () {
    this.timeout(180_000);
    let child: ChildProcess;
    let client: any;
    let stderr = "";
    const call = <T>(method: string, req: unknown): Promise<T> => new Promise((resolve, reject) =>
        client[method](req, (err: Error | null, res: T) => err ? reject(err) : resolve(res)));

    before(async () => {
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PACK_DIR] });
        child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
        child.stderr!.on("data", (d) => { stderr += d; });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d) => {
                out += d;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    resolve(Number(m[1]));
                }
            });
            child.on("exit", (code) => reject(new Error(`the pack exited with ${code} before serving:\n${out}\n${stderr}`)));
        });
        client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        if (child && child.exitCode === null) {
            child.kill("SIGTERM");
        }
    });

    it("describes the pack and every rule with its default level (GetAnalyzerInfo)", async () => {
        const info: any = await call("getAnalyzerInfo", new emptyPb.Empty());
        expect(info.getName()).to.equal("scaling-toolkit");
        expect(info.getVersion()).to.equal("0.1.0");
        const policies = new Map<string, any>(info.getPoliciesList().map((p: any) => [p.getName(), p]));
        expect(policies.get("pack-settings"), "pack-settings comes first").to.equal(info.getPoliciesList()[0]);
        expect(policies.get("lb-listener-tls").getEnforcementlevel()).to.equal(analyzerPb.EnforcementLevel.MANDATORY);
        expect(policies.get("log-group-kms").getEnforcementlevel()).to.equal(analyzerPb.EnforcementLevel.ADVISORY);
        expect(policies.get("rds-force-ssl").getRemediationSteps()).to.contain("rds.force_ssl");
        const schema = policies.get("pack-settings").getConfigschema().getProperties().toJavaScript();
        expect(Object.keys(schema)).to.include.members(["production", "waivers"]);
        expect(policies.size).to.be.greaterThan(30);
        // Every rule's severity reaches the engine.
        for (const rule of ALL_RULES) {
            expect(SEVERITY_NAMES[policies.get(rule.name).getSeverity()], rule.name).to.equal(rule.severity);
        }
    });

    it("applies config, analyzes resources one by one, and reports waived and unknown findings as advisory (Configure, Analyze)", async () => {
        const configure = new analyzerPb.ConfigureAnalyzerRequest();
        const map = configure.getPolicyconfigMap();
        map.set("pack-settings", policyConfig(analyzerPb.EnforcementLevel.MANDATORY, {
            production: false,
            waivers: [{ rule: "iam-no-wildcard-actions", name: "break-glass", reason: "Break-glass role, reviewed quarterly by security", owner: "security", expires: "2099-12-31" }],
        }));
        map.set("rds-storage-encrypted", policyConfig(analyzerPb.EnforcementLevel.DISABLED));
        await call("configure", configure);

        const listener = diagnosticsOf(await call("analyze", analyzeRequest("aws:lb/listener:Listener", "web-http", {
            loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1",
            port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }],
        })));
        expect(listener).to.have.length(1);
        // Analyze diagnostics carry no URN: the engine attributes them to the resource it asked about.
        expect(listener[0]).to.include({ policyName: "lb-listener-tls", level: "mandatory", severity: "high" });
        expect(listener[0].message).to.contain("does not only redirect to HTTPS");

        const redirect = diagnosticsOf(await call("analyze", analyzeRequest("aws:lb/listener:Listener", "web-redirect", {
            port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        })));
        expect(redirect).to.deep.equal([]);

        const db = diagnosticsOf(await call("analyze", analyzeRequest("aws:rds/instance:Instance", "db", {
            instanceClass: "db.t4g.micro", engine: "postgres", storageEncrypted: false, publiclyAccessible: true,
        })));
        expect(db.map((d) => d.policyName), "rds-storage-encrypted is disabled by config").to.deep.equal(["datastore-not-public"]);

        const waived = diagnosticsOf(await call("analyze", analyzeRequest("aws:iam/rolePolicy:RolePolicy", "break-glass", {
            role: "admin", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" }] }),
        })));
        expect(waived).to.have.length(1);
        expect(waived[0]).to.include({ policyName: "iam-no-wildcard-actions", level: "advisory", severity: "high" });
        expect(waived[0].message).to.contain("waived (config: Break-glass role, reviewed quarterly by security; owner security, until 2099-12-31)");

        const badTagWaiver = diagnosticsOf(await call("analyze", analyzeRequest("aws:sns/topic:Topic", "alarms", {
            kmsMasterKeyId: "alias/aws/sns", tags: { "scaling-toolkit:waive:sns-topic-kms": "because" },
        })));
        expect(badTagWaiver).to.have.length(1);
        expect(badTagWaiver[0]).to.include({ policyName: "pack-settings", level: "mandatory" });

        const unknown = diagnosticsOf(await call("analyze", analyzeRequest("aws:rds/proxy:Proxy", "proxy", {
            engineFamily: "POSTGRESQL", roleArn: "arn:role", vpcSubnetIds: ["s-1"], requireTls: UNKNOWN_STRING,
        })));
        expect(unknown).to.have.length(1);
        expect(unknown[0]).to.include({ policyName: "rds-proxy-require-tls", level: "advisory" });
        expect(unknown[0].message).to.contain("during preview").and.to.contain(".requireTls");
    });

    it("follows resources to their companions across the stack (AnalyzeStack)", async () => {
        const bucketType = "aws:s3/bucket:Bucket";
        const sgType = "aws:ec2/securityGroup:SecurityGroup";
        const lbType = "aws:lb/loadBalancer:LoadBalancer";
        const ingressType = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
        const pabType = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
        const request = new analyzerPb.AnalyzeStackRequest();
        request.setResourcesList([
            stackResource(bucketType, "data", { forceDestroy: false }),
            stackResource(pabType, "data", { bucket: "data-bucket", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: false },
                { bucket: [urn(bucketType, "data")] }),
            stackResource(sgType, "lb", { vpcId: "vpc-1" }),
            stackResource(lbType, "web", { internal: false, loadBalancerType: "application" }, { securityGroups: [urn(sgType, "lb")] }),
            stackResource(ingressType, "lb-443", { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 }, { securityGroupId: [urn(sgType, "lb")] }),
            stackResource(ingressType, "lb-22", { cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 22, toPort: 22 }, { securityGroupId: [urn(sgType, "lb")] }),
        ]);
        const diagnostics = diagnosticsOf(await call("analyzeStack", request));
        const found = diagnostics.map((d) => `${d.policyName} ${d.level} ${d.urn.split("::").pop()}`).sort();
        expect(found).to.deep.equal([
            "pack-settings mandatory ",
            "s3-default-encryption mandatory data",
            "s3-public-access-block mandatory data",
            "s3-tls-only mandatory data",
            "security-group-open-ingress mandatory lb-22",
        ]);
        expect(diagnostics.find((d) => d.policyName === "s3-public-access-block")!.message).to.contain("restrictPublicBuckets");
        // The configured waiver names a resource this stack does not have: the pack says so.
        expect(diagnostics.find((d) => d.policyName === "pack-settings")!.message).to.contain("break-glass: no such resource in the stack");
        expect(stderr).to.not.contain("Error");
    });
    it("an expired waiver no longer waives: the finding is mandatory again and says when it expired (Configure, Analyze)", async () => {
        const configure = new analyzerPb.ConfigureAnalyzerRequest();
        configure.getPolicyconfigMap().set("pack-settings", policyConfig(analyzerPb.EnforcementLevel.MANDATORY, {
            waivers: [{ rule: "iam-no-wildcard-actions", name: "old-break-glass", reason: "Break-glass role for the 2019 migration", owner: "security", expires: "2020-01-31" }],
        }));
        await call("configure", configure);
        const [finding, ...rest] = diagnosticsOf(await call("analyze", analyzeRequest("aws:iam/rolePolicy:RolePolicy", "old-break-glass", {
            role: "admin", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" }] }),
        })));
        expect(rest).to.deep.equal([]);
        expect(finding).to.include({ policyName: "iam-no-wildcard-actions", level: "mandatory", severity: "high" });
        expect(finding.message).to.contain("waiver expired on 2020-01-31 (config: Break-glass role for the 2019 migration; owner security)");
    });

    describe("engine parity: the pack's settings apply with pack-settings disabled, as offline", () => {
        const waivers = [{ rule: "iam-no-wildcard-actions", name: "break-glass", reason: "Break-glass role, reviewed quarterly by security", owner: "security", expires: "2099-12-31" }];
        const db = { type: "aws:rds/instance:Instance", name: "db", props: { instanceClass: "db.t4g.micro", engine: "postgres", storageEncrypted: true, deletionProtection: false } };
        const role = { type: "aws:iam/rolePolicy:RolePolicy", name: "break-glass", props: { role: "admin", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" }] }) } };

        for (const [label, levels] of [
            ["pack-settings disabled", { "pack-settings": "disabled" }],
            ["all: disabled, two rules enabled", { all: "disabled", "rds-deletion-protection": "mandatory", "iam-no-wildcard-actions": "mandatory" }],
        ] as [string, Record<string, string>][]) {
            it(`${label}: production flag and config waivers still apply, over gRPC and offline alike`, async () => {
                // What the CLI sends: `all` expanded to every policy, each with its level and properties.
                const configure = new analyzerPb.ConfigureAnalyzerRequest();
                const map = configure.getPolicyconfigMap();
                const levelOf = (name: string) => levels[name] ?? levels.all ?? ALL_RULES.find((r) => r.name === name)!.enforcementLevel;
                const LEVEL = { disabled: analyzerPb.EnforcementLevel.DISABLED, mandatory: analyzerPb.EnforcementLevel.MANDATORY, advisory: analyzerPb.EnforcementLevel.ADVISORY } as Record<string, number>;
                for (const rule of ALL_RULES) {
                    map.set(rule.name, policyConfig(LEVEL[levelOf(rule.name)], rule.name === "pack-settings" ? { production: true, waivers } : {}));
                }
                await call("configure", configure);
                const engine: string[] = [];
                for (const r of [db, role]) {
                    for (const d of diagnosticsOf(await call("analyze", analyzeRequest(r.type, r.name, r.props)))) {
                        engine.push(`${d.policyName} ${d.level} ${r.name}: ${d.message.split("\n").pop()}`);
                    }
                }
                const offline = evaluatePolicies([db, role].map((r) => ({ urn: urn(r.type, r.name), type: r.type, name: r.name, inputs: r.props })), {
                    config: { ...levels, "pack-settings": { ...(levels["pack-settings"] ? { enforcementLevel: levels["pack-settings"] } : {}), production: true, waivers } },
                }).violations.filter((v) => v.urn !== "" && ALL_RULES.some((rule) => rule.name === v.policy && !isStackRule(rule)))
                    .map((v) => `${v.policy} ${v.level} ${v.resourceName}: ${v.message}`);
                expect(engine.sort()).to.deep.equal(offline.sort());
                // The production rule ran (production: true reached it) and the waiver waived.
                expect(engine).to.include("rds-deletion-protection mandatory db: deletionProtection is not true");
                expect(engine.find((e) => e.startsWith("iam-no-wildcard-actions advisory break-glass: waived (config: Break-glass role"))).to.not.equal(undefined);
            });
        }
    });
});
