/**
 * `npm run facts:deploy`: extracts the facts the preview's deploy checks use from their sources and
 * writes preview/deployChecks/facts.json (small, shipped in the package). Every fact records where
 * it came from.
 *
 * Sources:
 * - the provider's own types, node_modules/@pulumi/aws (`*Args` interfaces of every resource: input
 *   names, kinds, required; the Region enum), read with the TypeScript compiler API;
 * - AWS's API models as botocore ships them (Debian's `python3-botocore`, fetched with
 *   `apt-get download` into a temporary folder, or `--botocore <data dir>`): length, range, pattern
 *   and enum of the API members a provider property is sent as, tag rules per service, the Fargate
 *   CPU/memory table and the cross-field rules' documentation;
 * - terraform-provider-aws validators and pulumi-aws auto-naming overrides, written down by hand in
 *   scripts/deploy-facts/sources.json (values, and per fact the repository, path, commit and
 *   function it was read from; no code of theirs is kept here);
 * - PostgreSQL's `pg_settings`: the parameters whose context is `postmaster` (they need a restart,
 *   so RDS only accepts them with `applyMethod: pending-reboot`), read from a real server started
 *   on a free port (test/support/postgres.ts), with pg_cron and pg_stat_statements preloaded.
 *
 * Usage: npm run facts:deploy [-- --botocore <botocore data dir>] [--check]
 *   --check exits 1 when the committed extract differs from what the sources give.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import ts from "typescript";
import { parseArgs } from "util";
import type { TagRule, ValueRule } from "../preview/deployChecks/knownFacts";
import { startPostgres } from "../test/support/postgres";

const ROOT = path.resolve(__dirname, "..");
const AWS_DIR = path.join(ROOT, "node_modules", "@pulumi", "aws");
const SOURCES_FILE = path.join(__dirname, "deploy-facts", "sources.json");
const SOURCES_REL = "scripts/deploy-facts/sources.json";
export const FACTS_FILE = path.join(ROOT, "preview", "deployChecks", "facts.json");

// ---------------------------------------------------------------------------------------------
// The provider schema, from the `*Args` interfaces of @pulumi/aws.

/**
 * An input's kind: `s` string, `n` number, `b` boolean, `a` array, `o` object, `m` map,
 * `x` asset or archive, `*` anything. A resource reference counts as a string (its id or ARN).
 */
type Kind = "s" | "n" | "b" | "a" | "o" | "m" | "x" | "*";

function kindOf(node: ts.TypeNode | undefined): Kind {
    if (!node) return "*";
    if (ts.isTypeReferenceNode(node)) {
        const name = node.typeName.getText();
        if ((name === "pulumi.Input" || name === "Input") && node.typeArguments?.length) return kindOf(node.typeArguments[0]);
        if (name === "Array" || name === "ReadonlyArray") return "a";
        if (/^pulumi\.asset\./.test(name)) return "x";
        if (/^inputs\./.test(name)) return "o";
        if (/^enums\./.test(name)) return "s";
        if (name === "Record") return "m";
        // ARN, Tags aliases and resource classes: strings on the wire (Tags is a map).
        if (name === "Tags") return "m";
        return "s";
    }
    if (ts.isArrayTypeNode(node)) return "a";
    if (ts.isUnionTypeNode(node)) {
        const kinds = [...new Set(node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword)).map(kindOf))];
        return kinds.length === 1 ? kinds[0] : "*";
    }
    if (ts.isParenthesizedTypeNode(node)) return kindOf(node.type);
    if (ts.isTypeLiteralNode(node)) return node.members.some(ts.isIndexSignatureDeclaration) ? "m" : "o";
    switch (node.kind) {
        case ts.SyntaxKind.StringKeyword: return "s";
        case ts.SyntaxKind.NumberKeyword: return "n";
        case ts.SyntaxKind.BooleanKeyword: return "b";
        default: return "*";
    }
}

export interface TypeSchema {
    /** Input name to kind. */
    p: Record<string, Kind>;
    /** Required inputs. */
    r: string[];
}

function walk(dir: string, out: string[] = []): string[] {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            if (!["types", "node_modules", "config", "scripts"].includes(entry.name)) walk(full, out);
        } else if (entry.name.endsWith(".d.ts")) {
            out.push(full);
        }
    }
    return out;
}

function providerSchema(): Record<string, TypeSchema> {
    const schema: Record<string, TypeSchema> = {};
    for (const file of walk(AWS_DIR)) {
        const js = file.replace(/\.d\.ts$/, ".js");
        if (!fs.existsSync(js)) continue;
        const tokens = [...fs.readFileSync(js, "utf8").matchAll(/static __pulumiType = '(aws:[^']+)'/g)].map((m) => m[1]);
        if (tokens.length === 0) continue;
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
        for (const stmt of source.statements) {
            if (!ts.isInterfaceDeclaration(stmt) || !stmt.name.text.endsWith("Args")) continue;
            const className = stmt.name.text.slice(0, -"Args".length);
            const token = tokens.find((t) => t.endsWith(`:${className}`));
            if (!token) continue;
            const p: Record<string, Kind> = {};
            const r: string[] = [];
            for (const m of stmt.members) {
                if (!ts.isPropertySignature(m) || !m.name) continue;
                const name = m.name.getText(source).replace(/^["']|["']$/g, "");
                p[name] = kindOf(m.type);
                if (!m.questionToken) r.push(name);
            }
            schema[token] = { p, r };
        }
    }
    return Object.fromEntries(Object.entries(schema).sort(([a], [b]) => a.localeCompare(b)));
}

/** The values of the `Region` enum in types/enums/index.d.ts. */
function regions(): string[] {
    const file = path.join(AWS_DIR, "types", "enums", "index.d.ts");
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const values: string[] = [];
    const visit = (node: ts.Node) => {
        if (ts.isVariableDeclaration(node) && node.name.getText(source) === "Region" && node.type && ts.isTypeLiteralNode(node.type)) {
            for (const m of node.type.members) {
                if (ts.isPropertySignature(m) && m.type && ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) values.push(m.type.literal.text);
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    if (values.length < 20) throw new Error(`found only ${values.length} regions in ${file}`);
    return [...new Set(values)].sort();
}

/** The values of an enum of types/enums/<module>/index.d.ts. */
function providerEnum(module: string, name: string): string[] {
    const file = path.join(AWS_DIR, "types", "enums", module, "index.d.ts");
    const text = fs.readFileSync(file, "utf8");
    const block = new RegExp(`export declare const ${name}: \\{([\\s\\S]*?)\\n\\};`).exec(text)?.[1];
    if (!block) throw new Error(`no enum ${name} in ${file}`);
    return [...block.matchAll(/readonly \w+: "([^"]+)"/g)].map((m) => m[1]);
}

// ---------------------------------------------------------------------------------------------
// AWS's API models (botocore).

interface Shape { type: string; min?: number; max?: number; pattern?: string; enum?: string[]; members?: Record<string, { shape: string; documentation?: string }>; member?: { shape: string }; documentation?: string }
interface Model { metadata: { apiVersion: string; serviceId?: string }; operations: Record<string, { input?: { shape: string } }>; shapes: Record<string, Shape> }

class Botocore {
    readonly models = new Map<string, Model>();
    readonly used = new Map<string, string>();
    constructor(readonly dataDir: string, readonly version: string) {}

    model(service: string): Model {
        let m = this.models.get(service);
        if (!m) {
            const dir = path.join(this.dataDir, service);
            const apiVersion = fs.readdirSync(dir).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort().pop();
            const file = path.join(dir, apiVersion!, "service-2.json");
            const text = fs.readFileSync(file, "utf8");
            m = JSON.parse(text) as Model;
            this.models.set(service, m);
            this.used.set(service, `${apiVersion} sha256:${createHash("sha256").update(text).digest("hex").slice(0, 16)}`);
        }
        return m;
    }

    /** The shape of an operation's input member, with the member's documentation. */
    member(service: string, operation: string, member: string): { shape: Shape; doc: string } {
        const m = this.model(service);
        const input = m.operations[operation]?.input?.shape;
        const ref = input ? m.shapes[input]?.members?.[member] : undefined;
        if (!ref) throw new Error(`${service} ${operation} has no input member ${member}`);
        return { shape: m.shapes[ref.shape], doc: text(ref.documentation ?? "") };
    }

    source(service: string, what: string): string {
        this.model(service);
        return `AWS API model ${service} ${this.used.get(service)?.split(" ")[0]} ${what} (botocore ${this.version})`;
    }
}

const text = (html: string) => html.replace(/<\/?(?:code|i|b|a|em|strong)(?:\s[^>]*)?>/g, "").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/\s+/g, " ").trim();

function botocore(dataDir: string | undefined): Botocore {
    let dir = dataDir;
    if (!dir) {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "botocore-"));
        execFileSync("apt-get", ["download", "python3-botocore"], { cwd: tmp, stdio: "pipe" });
        const deb = fs.readdirSync(tmp).find((f) => f.endsWith(".deb"));
        if (!deb) throw new Error("apt-get download python3-botocore gave no package");
        execFileSync("dpkg-deb", ["-x", deb, "x"], { cwd: tmp });
        dir = path.join(tmp, "x", "usr", "lib", "python3", "dist-packages", "botocore", "data");
    }
    // botocore/data: the package's version is in botocore/__init__.py.
    const version = /__version__ = '([^']+)'/.exec(fs.readFileSync(path.join(dir, "..", "__init__.py"), "utf8"))?.[1];
    if (!version) throw new Error(`${dir}/../__init__.py names no botocore version`);
    return new Botocore(dir, version);
}

/** A Java regular expression of a model, as a JavaScript one matching the whole value (u flag). */
function fullMatch(pattern: string): string {
    const js = pattern.replace(/\\p\{Print\}/g, "\\P{Cc}");
    return `^(?:${js.replace(/^\^/, "").replace(/\$$/, "")})$`;
}

// ---------------------------------------------------------------------------------------------
// The rules on values.


/**
 * Provider input -> the API member it is sent as. Enums that AWS has grown since the models' release
 * (load balancer IP address types, KMS key specs and usages, scaling policy types and namespaces,
 * VPC endpoint types, ECR tag mutability) are left out: an older model would reject new values.
 */
const API_MEMBERS: [type: string, property: string, service: string, operation: string, member: string, physicalName?: boolean][] = [
    ["aws:iam/role:Role", "name", "iam", "CreateRole", "RoleName", true],
    ["aws:iam/role:Role", "path", "iam", "CreateRole", "Path"],
    ["aws:iam/role:Role", "maxSessionDuration", "iam", "CreateRole", "MaxSessionDuration"],
    ["aws:iam/role:Role", "description", "iam", "CreateRole", "Description"],
    ["aws:iam/policy:Policy", "name", "iam", "CreatePolicy", "PolicyName", true],
    ["aws:iam/policy:Policy", "path", "iam", "CreatePolicy", "Path"],
    ["aws:iam/policy:Policy", "description", "iam", "CreatePolicy", "Description"],
    ["aws:iam/rolePolicy:RolePolicy", "name", "iam", "PutRolePolicy", "PolicyName", true],
    ["aws:cloudwatch/logGroup:LogGroup", "name", "logs", "CreateLogGroup", "logGroupName", true],
    ["aws:cloudwatch/logGroup:LogGroup", "retentionInDays", "logs", "PutRetentionPolicy", "retentionInDays"],
    ["aws:cloudwatch/metricAlarm:MetricAlarm", "name", "cloudwatch", "PutMetricAlarm", "AlarmName", true],
    ["aws:cloudwatch/metricAlarm:MetricAlarm", "comparisonOperator", "cloudwatch", "PutMetricAlarm", "ComparisonOperator"],
    ["aws:cloudwatch/metricAlarm:MetricAlarm", "statistic", "cloudwatch", "PutMetricAlarm", "Statistic"],
    ["aws:cloudwatch/metricAlarm:MetricAlarm", "evaluationPeriods", "cloudwatch", "PutMetricAlarm", "EvaluationPeriods"],
    ["aws:cloudwatch/metricAlarm:MetricAlarm", "alarmDescription", "cloudwatch", "PutMetricAlarm", "AlarmDescription"],
    ["aws:cloudwatch/metricAlarm:MetricAlarm", "treatMissingData", "cloudwatch", "PutMetricAlarm", "TreatMissingData"],
    ["aws:cloudwatch/eventRule:EventRule", "name", "events", "PutRule", "Name", true],
    ["aws:cloudwatch/eventRule:EventRule", "description", "events", "PutRule", "Description"],
    ["aws:secretsmanager/secret:Secret", "name", "secretsmanager", "CreateSecret", "Name", true],
    ["aws:secretsmanager/secret:Secret", "recoveryWindowInDays", "secretsmanager", "DeleteSecret", "RecoveryWindowInDays"],
    ["aws:ecr/repository:Repository", "name", "ecr", "CreateRepository", "repositoryName", true],
    ["aws:lambda/function:Function", "name", "lambda", "CreateFunction", "FunctionName", true],
    ["aws:lambda/function:Function", "timeout", "lambda", "CreateFunction", "Timeout"],
    ["aws:lambda/function:Function", "memorySize", "lambda", "CreateFunction", "MemorySize"],
    ["aws:lambda/function:Function", "handler", "lambda", "CreateFunction", "Handler"],
    ["aws:lambda/function:Function", "packageType", "lambda", "CreateFunction", "PackageType"],
    ["aws:codebuild/project:Project", "name", "codebuild", "CreateProject", "name", true],
    ["aws:codebuild/project:Project", "buildTimeout", "codebuild", "CreateProject", "timeoutInMinutes"],
    ["aws:codebuild/project:Project", "queuedTimeout", "codebuild", "CreateProject", "queuedTimeoutInMinutes"],
    ["aws:ecs/taskDefinition:TaskDefinition", "networkMode", "ecs", "RegisterTaskDefinition", "networkMode"],
    ["aws:ecs/taskDefinition:TaskDefinition", "pidMode", "ecs", "RegisterTaskDefinition", "pidMode"],
    ["aws:ecs/taskDefinition:TaskDefinition", "ipcMode", "ecs", "RegisterTaskDefinition", "ipcMode"],
    ["aws:ecs/service:Service", "launchType", "ecs", "CreateService", "launchType"],
    ["aws:ecs/service:Service", "schedulingStrategy", "ecs", "CreateService", "schedulingStrategy"],
    ["aws:ecs/service:Service", "propagateTags", "ecs", "CreateService", "propagateTags"],
    ["aws:lb/loadBalancer:LoadBalancer", "loadBalancerType", "elbv2", "CreateLoadBalancer", "Type"],
    ["aws:lb/targetGroup:TargetGroup", "protocol", "elbv2", "CreateTargetGroup", "Protocol"],
    ["aws:lb/targetGroup:TargetGroup", "targetType", "elbv2", "CreateTargetGroup", "TargetType"],
    ["aws:lb/targetGroup:TargetGroup", "port", "elbv2", "CreateTargetGroup", "Port"],
    ["aws:lb/listener:Listener", "protocol", "elbv2", "CreateListener", "Protocol"],
    ["aws:lb/listener:Listener", "port", "elbv2", "CreateListener", "Port"],
    ["aws:kms/key:Key", "description", "kms", "CreateKey", "Description"],
    ["aws:kms/key:Key", "deletionWindowInDays", "kms", "ScheduleKeyDeletion", "PendingWindowInDays"],
    ["aws:appautoscaling/policy:Policy", "name", "application-autoscaling", "PutScalingPolicy", "PolicyName", true],
    ["aws:codepipeline/pipeline:Pipeline", "name", "codepipeline", "GetPipeline", "name", true],
    ["aws:sns/topic:Topic", "displayName", "sns", "SetTopicAttributes", "AttributeValue"],
    ["aws:ec2/flowLog:FlowLog", "trafficType", "ec2", "CreateFlowLogs", "TrafficType"],
    ["aws:ec2/flowLog:FlowLog", "logDestinationType", "ec2", "CreateFlowLogs", "LogDestinationType"],
    ["aws:ec2/flowLog:FlowLog", "maxAggregationInterval", "ec2", "CreateFlowLogs", "MaxAggregationInterval"],
    ["aws:rds/instance:Instance", "backupRetentionPeriod", "rds", "CreateDBInstance", "BackupRetentionPeriod"],
    ["aws:s3/bucketVersioning:BucketVersioning", "versioningConfiguration.status", "s3", "PutBucketVersioning", "VersioningConfiguration"],
    ["aws:route53/record:Record", "type", "route53", "ChangeResourceRecordSets", "ChangeBatch"],
    // EdgeCache and ServiceLevelObjectives. Left out as grown since the models' release: the
    // distribution's minimumProtocolVersion (TLSv1.2_2025, TLSv1.3_2025) and WAF's RateLimit minimum
    // (now 10, the model says 100).
    ["aws:cloudfront/distribution:Distribution", "httpVersion", "cloudfront", "CreateDistribution", "DistributionConfig"],
    ["aws:cloudfront/distribution:Distribution", "priceClass", "cloudfront", "CreateDistribution", "DistributionConfig"],
    ["aws:cloudfront/distribution:Distribution", "defaultCacheBehavior.viewerProtocolPolicy", "cloudfront", "CreateDistribution", "DistributionConfig"],
    ["aws:cloudfront/distribution:Distribution", "viewerCertificate.sslSupportMethod", "cloudfront", "CreateDistribution", "DistributionConfig"],
    ["aws:wafv2/webAcl:WebAcl", "name", "wafv2", "CreateWebACL", "Name", true],
    ["aws:wafv2/webAcl:WebAcl", "scope", "wafv2", "CreateWebACL", "Scope"],
    ["aws:wafv2/webAcl:WebAcl", "description", "wafv2", "CreateWebACL", "Description"],
    ["aws:cloudwatch/compositeAlarm:CompositeAlarm", "alarmName", "cloudwatch", "PutCompositeAlarm", "AlarmName"],
    ["aws:cloudwatch/compositeAlarm:CompositeAlarm", "alarmRule", "cloudwatch", "PutCompositeAlarm", "AlarmRule"],
    ["aws:cloudwatch/compositeAlarm:CompositeAlarm", "alarmDescription", "cloudwatch", "PutCompositeAlarm", "AlarmDescription"],
];

/** The rules an API member's shape gives (only what the model states). */
function rulesFromShape(b: Botocore, [type, property, service, operation, member, physicalName]: typeof API_MEMBERS[number]): ValueRule | undefined {
    let { shape } = b.member(service, operation, member);
    // Members that are structures: follow the property path's fields down (status of
    // VersioningConfiguration; DefaultCacheBehavior.ViewerProtocolPolicy of DistributionConfig). A
    // first segment that is no field of the structure names the API member itself.
    const m = b.model(service);
    const followed: string[] = [];
    for (const [i, field] of property.split(".").entries()) {
        if (shape.type !== "structure") break;
        const entry = Object.entries(shape.members ?? {}).find(([k]) => k.toLowerCase() === field.toLowerCase());
        if (entry) {
            followed.push(entry[0]);
            shape = m.shapes[entry[1].shape];
        } else if (i > 0 || property.split(".").length === 1) {
            return undefined;
        }
    }
    if (shape.type === "structure") return undefined;
    const rule: ValueRule = { type, property, source: b.source(service, [operation, member, ...followed].join(".")) };
    if (physicalName) rule.physicalName = true;
    if (shape.type === "string") {
        if (shape.min !== undefined && shape.min > 0) rule.minLength = shape.min;
        if (shape.max !== undefined) rule.maxLength = shape.max;
        if (shape.pattern && shape.pattern !== "[\\s\\S]*" && shape.pattern !== "[\\s\\S]+") rule.pattern = fullMatch(shape.pattern);
        if (shape.enum) rule.enum = shape.enum;
    } else if (shape.type === "integer" || shape.type === "long") {
        if (shape.min !== undefined) rule.min = shape.min;
        if (shape.max !== undefined) rule.max = shape.max;
    }
    const keys = Object.keys(rule).filter((k) => !["type", "property", "source", "physicalName"].includes(k));
    return keys.length ? rule : undefined;
}

/** Constraints an API member's documentation states in words (names the model gives no pattern). */
function rulesFromDocumentation(b: Botocore): ValueRule[] {
    const rules: ValueRule[] = [];
    const from = (type: string, property: string, service: string, operation: string, member: string, parse: (doc: string) => Omit<ValueRule, "type" | "property" | "source"> | undefined) => {
        const { doc } = b.member(service, operation, member);
        const parsed = parse(doc);
        if (!parsed) throw new Error(`${service} ${operation}.${member}: the documentation no longer states its constraints: ${doc.slice(0, 200)}`);
        rules.push({ type, property, physicalName: true, ...parsed, source: b.source(service, `${operation}.${member} (documentation)`) });
    };
    // "Up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed."
    const lettersNumbersUnderscoresHyphens = (doc: string) => {
        const m = /Up to (\d+) letters \(uppercase and lowercase\), numbers, underscores, and hyphens/.exec(doc);
        return m ? { maxLength: Number(m[1]), pattern: "^[A-Za-z0-9_-]+$" } : undefined;
    };
    from("aws:ecs/cluster:Cluster", "name", "ecs", "CreateCluster", "clusterName", lettersNumbersUnderscoresHyphens);
    from("aws:ecs/service:Service", "name", "ecs", "CreateService", "serviceName", lettersNumbersUnderscoresHyphens);
    from("aws:ecs/taskDefinition:TaskDefinition", "family", "ecs", "RegisterTaskDefinition", "family", lettersNumbersUnderscoresHyphens);
    // RDS and ElastiCache identifiers: "from 1 to 63 letters, numbers, or hyphens. First character must be a letter. Can't end with a hyphen or contain two consecutive hyphens."
    const identifier = (doc: string) => {
        const m = /(?:from|be) (\d+) to (\d+) (?:letters, numbers, or hyphens|alphanumeric characters or hyphens)/i.exec(doc);
        if (!m || !/First character must be a letter/i.test(doc) || !/(?:Can't|cannot) end with a hyphen or contain two consecutive hyphens/i.test(doc)) return undefined;
        return {
            minLength: Number(m[1]), maxLength: Number(m[2]), pattern: "^[A-Za-z0-9-]+$",
            must: [{ pattern: "^[A-Za-z]", says: "must begin with a letter" }],
            mustNot: [{ pattern: "-$", says: "cannot end with a hyphen" }, { pattern: "--", says: "cannot contain two consecutive hyphens" }],
        };
    };
    from("aws:rds/instance:Instance", "identifier", "rds", "CreateDBInstance", "DBInstanceIdentifier", identifier);
    from("aws:rds/parameterGroup:ParameterGroup", "name", "rds", "CreateDBParameterGroup", "DBParameterGroupName", identifier);
    // "Must contain no more than 255 letters, numbers, periods, underscores, spaces, or hyphens. Must not be default. First character must be a letter."
    from("aws:rds/subnetGroup:SubnetGroup", "name", "rds", "CreateDBSubnetGroup", "DBSubnetGroupName", (doc) => {
        const m = /no more than (\d+) letters, numbers, periods, underscores, spaces, or hyphens/.exec(doc);
        return m && /First character must be a letter/.test(doc) ? { maxLength: Number(m[1]), pattern: "^[A-Za-z0-9._ -]+$", must: [{ pattern: "^[A-Za-z]", says: "must begin with a letter" }], mustNot: [{ pattern: "^default$", says: "must not be default" }] } : undefined;
    });
    from("aws:elasticache/subnetGroup:SubnetGroup", "name", "elasticache", "CreateCacheSubnetGroup", "CacheSubnetGroupName", (doc) => {
        const m = /no more than (\d+) alphanumeric characters or hyphens/.exec(doc);
        return m ? { maxLength: Number(m[1]), pattern: "^[A-Za-z0-9-]+$" } : undefined;
    });
    // "Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
    from("aws:sns/topic:Topic", "name", "sns", "CreateTopic", "Name", (doc) => {
        const m = /uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between (\d+) and (\d+) characters long/.exec(doc);
        return m ? { minLength: Number(m[1]), maxLength: Number(m[2]), pattern: "^[A-Za-z0-9_-]+(?:\\.fifo)?$" } : undefined;
    });
    // "Up to 255 characters in length. Cannot start with sg-. ... Constraints for EC2-VPC: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"
    from("aws:ec2/securityGroup:SecurityGroup", "name", "ec2", "CreateSecurityGroup", "GroupName", (doc) => {
        const len = /Up to (\d+) characters in length/.exec(doc);
        const chars = /EC2-VPC: a-z, A-Z, 0-9, spaces, and (\S+)/.exec(doc);
        if (!len || !chars || !/Cannot start with sg-/.test(doc)) return undefined;
        // Inside a character class (u flag) only syntax characters and "-" may be escaped.
        const escaped = [...chars[1]].map((c) => (/[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c)).join("");
        return { maxLength: Number(len[1]), pattern: `^[a-zA-Z0-9 ${escaped}]+$`, mustNot: [{ pattern: "^sg-", says: "cannot start with sg-" }] };
    });
    // "The maximum length is 255, and valid characters are A-Z, a-z, 0-9, "-", and "_"."
    from("aws:cloudwatch/dashboard:Dashboard", "dashboardName", "cloudwatch", "PutDashboard", "DashboardName", (doc) => {
        const m = /maximum length is (\d+), and valid characters are A-Z, a-z, 0-9, "-", and "_"/.exec(doc);
        return m ? { maxLength: Number(m[1]), pattern: "^[A-Za-z0-9_-]+$" } : undefined;
    });
    return rules;
}

// ---------------------------------------------------------------------------------------------
// terraform-provider-aws validators and pulumi-aws auto-naming: hand-written facts with their
// provenance (repository, path, commit, function) in scripts/deploy-facts/sources.json.

interface Cited { path: string; commit: string; function: string; summary: string }
interface SourceRecord {
    terraform: {
        repository: string;
        rules: (Cited & { type: string; property: string; rule: Omit<ValueRule, "type" | "property" | "source"> })[];
        crossField: Record<string, Cited>;
    };
    autonaming: {
        repository: string;
        path: string;
        commit: string;
        function: string;
        default: Autonaming["default"];
        overrides: { terraformType: string; type: string; commit: string; entry: string; property: string; maxLength: number; separator: string }[];
    };
}

function sourceRecord(): SourceRecord {
    return JSON.parse(fs.readFileSync(SOURCES_FILE, "utf8")) as SourceRecord;
}

/** `<repository> <path>@<commit, 12>: <function>`, as facts.json cites a fact of a repository. */
function cite(repository: string, c: { path: string; commit: string; function: string }): string {
    if (!/^[0-9a-f]{40}$/.test(c.commit)) throw new Error(`${SOURCES_REL}: ${c.function} has no full commit`);
    return `${repository} ${c.path}@${c.commit.slice(0, 12)}: ${c.function}`;
}

function terraformRules(): ValueRule[] {
    const { terraform } = sourceRecord();
    return terraform.rules.map((r) => ({ type: r.type, property: r.property, physicalName: true, ...structuredClone(r.rule), source: cite(terraform.repository, r) }));
}

export interface Autonaming {
    /** Every type with an input `name` (pulumi-aws's setAutonaming). */
    default: { property: string; maxLength: number; separator: string; randomHex: number };
    /** Types whose auto-named property or maximum differs. */
    overrides: Record<string, { property: string; maxLength: number; separator: string }>;
    source: string;
}

/** pulumi-aws auto-naming: the default of setAutonaming and the per-type overrides. */
function autonaming(schema: Record<string, TypeSchema>): Autonaming {
    const a = sourceRecord().autonaming;
    const overrides: Autonaming["overrides"] = {};
    for (const o of a.overrides) {
        if (!schema[o.type]?.p[o.property]) throw new Error(`${SOURCES_REL}: ${o.terraformType}.${o.property} is not an input of a known provider type`);
        overrides[o.type] = { property: o.property, maxLength: o.maxLength, separator: o.separator };
    }
    const d = a.default;
    return {
        default: { property: d.property, maxLength: d.maxLength, separator: d.separator, randomHex: d.randomHex },
        overrides,
        source: `${a.repository} ${a.path}@${a.commit.slice(0, 12)} ${a.function} and AutoName overrides (${SOURCES_REL})`,
    };
}

// ---------------------------------------------------------------------------------------------
// Tags, Fargate, cross-field rules.

/** Service of the API a provider module (or type) talks to: for tag rules and the API members. */
const SERVICES: Record<string, string> = {
    acm: "acm", appautoscaling: "application-autoscaling", cloudwatch: "cloudwatch", "cloudwatch/logGroup": "logs", "cloudwatch/eventRule": "events",
    codebuild: "codebuild", codepipeline: "codepipeline", ec2: "ec2", vpc: "ec2", ecr: "ecr", ecs: "ecs", elasticache: "elasticache", iam: "iam",
    kms: "kms", lambda: "lambda", lb: "elbv2", alb: "elbv2", rds: "rds", route53: "route53", s3: "s3", secretsmanager: "secretsmanager",
    sns: "sns", sqs: "sqs", dynamodb: "dynamodb", efs: "efs", eks: "eks", apigateway: "apigateway", cloudfront: "cloudfront", ssm: "ssm",
    wafv2: "wafv2",
};


function tagRules(b: Botocore): { global: TagRule & { reservedPrefix: string }; services: Record<string, TagRule> } {
    const tagging = b.model("resourcegroupstaggingapi");
    const ecsTag = text(b.model("ecs").shapes.Tag.documentation ?? "");
    const maxTags = /Maximum number of tags per resource - (\d+)/.exec(ecsTag);
    if (!maxTags || !/Do not use aws:, AWS:, or any upper or lowercase combination of such as a prefix/.test(ecsTag)) throw new Error("the ECS Tag documentation no longer states the tag limits");
    const global = {
        keyMax: tagging.shapes.TagKey.max, valueMax: tagging.shapes.TagValue.max, maxTags: Number(maxTags[1]), reservedPrefix: "aws:",
        source: `${b.source("resourcegroupstaggingapi", "TagKey, TagValue")}; ${b.source("ecs", "Tag (documentation: at most 50 tags, the aws: prefix is reserved)")}`,
    };
    const services: Record<string, TagRule> = {};
    for (const service of [...new Set(Object.values(SERVICES))].sort()) {
        let m: Model;
        try {
            m = b.model(service);
        } catch {
            continue;
        }
        const tagShape = Object.entries(m.shapes).find(([k, s]) => /^tag$/i.test(k) && s.type === "structure")?.[1];
        if (!tagShape?.members) continue;
        const member = (name: string) => Object.entries(tagShape.members!).find(([k]) => k.toLowerCase() === name)?.[1];
        const key = member("key") ? m.shapes[member("key")!.shape] : undefined;
        const value = member("value") ? m.shapes[member("value")!.shape] : undefined;
        const list = Object.entries(m.shapes).find(([k, s]) => /^(tags|taglist|tagListType)$/i.test(k) && s.type === "list")?.[1];
        const rule: TagRule = { source: b.source(service, "Tag") };
        if (key?.max) rule.keyMax = key.max;
        if (value?.max !== undefined) rule.valueMax = value.max;
        if (key?.pattern && !/^\[\\s\\S\]/.test(key.pattern)) rule.keyPattern = fullMatch(key.pattern);
        if (value?.pattern && !/^\[\\s\\S\]/.test(value.pattern)) rule.valuePattern = fullMatch(value.pattern);
        if (list?.max) rule.maxTags = list.max;
        if (Object.keys(rule).length > 1) services[service] = rule;
    }
    return { global, services };
}

/** The Fargate task CPU/memory table from the documentation of RegisterTaskDefinition's `cpu`. */
function fargate(b: Botocore): { pairs: Record<string, number[]>; source: string } {
    const { doc } = b.member("ecs", "RegisterTaskDefinition", "cpu");
    const table = doc.split("If you're using the Fargate launch type")[1];
    if (!table) throw new Error("the ECS cpu documentation no longer has the Fargate table");
    const pairs: Record<string, number[]> = {};
    const gb = (s: string) => Number(s) * 1024;
    for (const row of table.matchAll(/(\d+) \((?:\.?\d+(?:\.\d+)?) ?vCPU\) - Available memory values: (.*?)(?=\d+ \(\.?\d+(?:\.\d+)? ?vCPU\) - |$)/g)) {
        const cpu = row[1];
        const values = row[2];
        let mem: number[] = [];
        let m: RegExpExecArray | null;
        if ((m = /(\d+) \(\d+ GB\) and (\d+) \(\d+ GB\) in increments of (\d+) \(\d+ GB\)/.exec(values))) {
            for (let x = Number(m[1]); x <= Number(m[2]); x += Number(m[3])) mem.push(x);
        } else if ((m = /(\d+) ?GB and (\d+) ?GB in (\d+) ?GB increments/.exec(values))) {
            for (let x = gb(m[1]); x <= gb(m[2]); x += gb(m[3])) mem.push(x);
        } else {
            mem = [...values.matchAll(/(\d+) \(\d+(?:\.\d+)? GB\)/g)].map((v) => Number(v[1]));
        }
        if (mem.length === 0) throw new Error(`cannot read the Fargate row for ${cpu}: ${values}`);
        pairs[cpu] = mem;
    }
    if (Object.keys(pairs).length < 5) throw new Error(`the Fargate table has only ${Object.keys(pairs).length} rows`);
    return { pairs, source: b.source("ecs", "RegisterTaskDefinition.cpu (documentation: the Fargate CPU and memory table)") };
}

/** Cross-field rules: each is checked by code in preview/deployChecks/crossField.ts; here their sources, verified to still say so. */
function crossFieldSources(b: Botocore): Record<string, string> {
    const says = (service: string, operation: string, member: string, phrase: RegExp) => {
        const { doc } = b.member(service, operation, member);
        if (!phrase.test(doc)) throw new Error(`${service} ${operation}.${member} no longer says ${phrase}`);
        return b.source(service, `${operation}.${member} (documentation)`);
    };
    const { terraform } = sourceRecord();
    const tf = (key: string) => {
        const c = terraform.crossField[key];
        if (!c) throw new Error(`${SOURCES_REL} records no terraform-provider-aws source for ${key}`);
        return cite(terraform.repository, c);
    };
    return {
        multiAzNeedsFailover: tf("multiAzNeedsFailover"),
        failoverNeedsTwoNodes: `${tf("failoverNeedsTwoNodes")}; ${says("elasticache", "CreateReplicationGroup", "NumCacheClusters", /If AutomaticFailoverEnabled is true, the value of this parameter must be at least 2/)}`,
        authTokenNeedsTransitEncryption: says("elasticache", "CreateReplicationGroup", "AuthToken", /AuthToken can be specified only on replication groups where TransitEncryptionEnabled is true/),
        backupWindowOutsideMaintenance: says("rds", "CreateDBInstance", "PreferredBackupWindow", /Must not conflict with the preferred maintenance window/),
        staticParameterPendingReboot: b.source("rds", "Parameter.ApplyMethod (immediate | pending-reboot)"),
        fargateNeedsTaskSize: says("ecs", "RegisterTaskDefinition", "cpu", /If you're using the Fargate launch type, this field is required/),
        serviceTargetGroupNeedsListener: says("ecs", "CreateService", "loadBalancers", /target group/i),
    };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL.

export async function postgresStatic(): Promise<{ version: string; parameters: string[]; source: string }> {
    const pg = await startPostgres();
    try {
        const client = await pg.connect("postgres");
        const version = (await client.query("SHOW server_version")).rows[0].server_version as string;
        const rows = (await client.query("SELECT name FROM pg_settings WHERE context = 'postmaster' ORDER BY name")).rows as { name: string }[];
        const ext = (await client.query("SELECT name, default_version FROM pg_available_extensions WHERE name IN ('pg_cron', 'pg_stat_statements') ORDER BY name")).rows as { name: string; default_version: string }[];
        return {
            version,
            parameters: rows.map((r) => r.name),
            source: `PostgreSQL ${version} pg_settings.context = 'postmaster' (with ${ext.map((e) => `${e.name} ${e.default_version}`).join(", ")} preloaded)`,
        };
    } finally {
        await pg.stop();
    }
}

// ---------------------------------------------------------------------------------------------

export async function extractFacts(botocoreDir?: string): Promise<Record<string, unknown>> {
    const b = botocore(botocoreDir);
    const schema = providerSchema();
    const awsVersion = (JSON.parse(fs.readFileSync(path.join(AWS_DIR, "package.json"), "utf8")) as { version: string }).version;
    const values: ValueRule[] = [
        ...API_MEMBERS.map((m) => rulesFromShape(b, m)).filter((r): r is ValueRule => r !== undefined),
        ...rulesFromDocumentation(b),
        ...terraformRules(),
        { type: "aws:lambda/function:Function", property: "runtime", enum: providerEnum("lambda", "Runtime"), source: `@pulumi/aws@${awsVersion} types/enums lambda.Runtime` },
    ];
    for (const v of values) {
        if (!schema[v.type] || !(v.property.split(".")[0] in schema[v.type].p)) throw new Error(`${v.type} has no input ${v.property} (${v.source})`);
        if (v.must?.length === 0) delete v.must;
        if (v.mustNot?.length === 0) delete v.mustNot;
    }
    const postgres = await postgresStatic();
    const facts = {
        sources: {
            provider: `@pulumi/aws@${awsVersion}`,
            awsApiModels: `botocore ${b.version} (Debian package python3-botocore)`,
            awsApiModelFiles: Object.fromEntries([...b.used.entries()].sort()),
            terraform: `hashicorp/terraform-provider-aws (paths, commits and functions in ${SOURCES_REL})`,
            postgres: postgres.source,
        },
        regions: { values: regions(), source: `@pulumi/aws@${awsVersion} types/enums Region` },
        schema: { types: schema, source: `@pulumi/aws@${awsVersion} *Args interfaces` },
        autonaming: autonaming(schema),
        values,
        services: SERVICES,
        tags: tagRules(b),
        fargate: fargate(b),
        crossField: crossFieldSources(b),
        postgresStaticParameters: { parameters: postgres.parameters, source: postgres.source },
    };
    return facts;
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: { botocore: { type: "string" }, check: { type: "boolean" } } });
    const facts = await extractFacts(values.botocore);
    const json = `${JSON.stringify(facts)}\n`;
    if (values.check) {
        const committed = fs.readFileSync(FACTS_FILE, "utf8");
        if (committed !== json) {
            console.error(`${path.relative(ROOT, FACTS_FILE)} is not what the sources give: run npm run facts:deploy`);
            process.exit(1);
        }
        console.log(`${path.relative(ROOT, FACTS_FILE)} is up to date`);
        return;
    }
    fs.writeFileSync(FACTS_FILE, json);
    console.log(`wrote ${path.relative(ROOT, FACTS_FILE)}: ${json.length} bytes, ${Object.keys((facts.schema as { types: object }).types).length} types, ${(facts.values as unknown[]).length} value rules`);
}

if (require.main === module) {
    main().catch((err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
    });
}
