/**
 * `npm run facts:policies`: extracts the provider facts the policy pack checks against, from the
 * installed provider SDKs, into policies/facts.generated.json (with each fact's source and version).
 * A test re-runs the extraction and fails when the committed file is out of date.
 *
 * - Kubernetes workload type tokens (every API version @pulumi/kubernetes ships of Deployment,
 *   StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and Pod), read from the
 *   `__pulumiType` of each resource class; and where each kind keeps its pod template.
 * - The S3 default-encryption algorithms S3 accepts, from the JSDoc of
 *   `BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault.sseAlgorithm`
 *   in @pulumi/aws types/input.d.ts (the provider's copy of the S3 API's ServerSideEncryption enum).
 * - The Lambda runtimes @pulumi/aws marks `@deprecated` in its `Runtime` enum (types/enums/lambda).
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
export const FACTS_FILE = path.join(ROOT, "policies", "facts.generated.json");

function packageDir(name: string): string {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));
}

function versionOf(name: string): string {
    return (JSON.parse(fs.readFileSync(path.join(packageDir(name), "package.json"), "utf8")) as { version: string }).version;
}

/** Where each workload kind keeps its pod spec: `template` (spec.template.spec), `jobTemplate` or `pod` (spec). */
const POD_PATHS: Record<string, "template" | "jobTemplate" | "pod"> = {
    Deployment: "template", StatefulSet: "template", DaemonSet: "template", ReplicaSet: "template",
    ReplicationController: "template", Job: "template", CronJob: "jobTemplate", Pod: "pod",
};

function kubernetesWorkloads(): Record<string, string> {
    const dir = packageDir("@pulumi/kubernetes");
    const found: Record<string, string> = {};
    const walk = (d: string) => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
            const file = path.join(d, entry.name);
            if (entry.isDirectory() && entry.name !== "node_modules") {
                walk(file);
            } else if (entry.name.endsWith(".js")) {
                const m = /__pulumiType = '(kubernetes:[^']+:([A-Za-z]+))'/.exec(fs.readFileSync(file, "utf8"));
                if (m && POD_PATHS[m[2]] !== undefined) {
                    found[m[1]] = POD_PATHS[m[2]];
                }
            }
        }
    };
    walk(dir);
    return Object.fromEntries(Object.entries(found).sort(([a], [b]) => a.localeCompare(b)));
}

function s3SseAlgorithms(): string[] {
    const text = fs.readFileSync(path.join(packageDir("@pulumi/aws"), "types", "input.d.ts"), "utf8");
    const m = /interface BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault \{[\s\S]*?Valid values are ([^\n]*)\n[\s\S]*?sseAlgorithm:/.exec(text);
    if (!m) {
        throw new Error("@pulumi/aws types/input.d.ts: the sseAlgorithm valid values of BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault were not found");
    }
    return [...m[1].matchAll(/`([^`]+)`/g)].map((v) => v[1]);
}

function deprecatedLambdaRuntimes(): string[] {
    const text = fs.readFileSync(path.join(packageDir("@pulumi/aws"), "types", "enums", "lambda", "index.d.ts"), "utf8");
    const block = /export declare const Runtime: \{([\s\S]*?)\n\};/.exec(text);
    if (!block) {
        throw new Error("@pulumi/aws types/enums/lambda/index.d.ts: no Runtime enum");
    }
    const runtimes = [...block[1].matchAll(/@deprecated[^\n]*\n\s*\*\/\s*readonly \w+: "([^"]+)"/g)].map((m) => m[1]);
    if (runtimes.length === 0) {
        throw new Error("@pulumi/aws Runtime enum: no runtime is marked @deprecated");
    }
    return runtimes.sort();
}

export function policyFacts(): object {
    const aws = `@pulumi/aws@${versionOf("@pulumi/aws")}`;
    const k8s = `@pulumi/kubernetes@${versionOf("@pulumi/kubernetes")}`;
    return {
        kubernetesWorkloads: {
            source: `${k8s}: __pulumiType of every resource class of a workload kind`,
            podTemplate: kubernetesWorkloads(),
        },
        s3SseAlgorithms: {
            source: `${aws} types/input.d.ts: BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault.sseAlgorithm`,
            values: s3SseAlgorithms(),
        },
        deprecatedLambdaRuntimes: {
            source: `${aws} types/enums/lambda/index.d.ts: Runtime members marked @deprecated`,
            values: deprecatedLambdaRuntimes(),
        },
    };
}

export function factsText(): string {
    return `${JSON.stringify(policyFacts(), null, 2)}\n`;
}

if (require.main === module) {
    fs.writeFileSync(FACTS_FILE, factsText());
    console.log(`wrote ${path.relative(ROOT, FACTS_FILE)}`);
}
