/**
 * The recording runtime: runs Pulumi programs in-process on the SDK's mock monitor and records every
 * registered resource (type, name, URN, parent, inputs, dependencies, options). It is the one
 * implementation behind both the test harness and the offline preview.
 *
 * Honesty rules:
 * - Values the cloud computes (ids, ARNs, DNS names, endpoints...) are never invented: they become
 *   placeholders such as `(known after apply: web-alb.dnsName)`, deterministic so plans are stable
 *   and reviewable, and obviously not real. Properties not in the table below stay unknown.
 * - Provider look-ups answered offline (zones, region, account, partition) are recorded, so a plan
 *   can say which answers were assumed; an unsupported look-up fails with a message naming it.
 * - Secrets stay secret: secret inputs are recorded as `Secret` (serialised as `[secret]`), and
 *   outputs a provider marks secret (for example a generated password) are returned as secrets,
 *   unknown during a preview (a RandomId's `hex` is unknown too: it is not in the table below).
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { AssetValue, ResourceRef, Secret, Unknown } from "../components/common/values";

/**
 * The Pulumi SDK modules the recorder drives. A program must be recorded with the SDK copy it
 * imports itself (a project elsewhere on disk has its own `node_modules/@pulumi/pulumi`), so the
 * modules are loaded from a directory rather than imported statically.
 */
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any -- internal, untyped SDK modules */
export interface Sdk {
    root: string;
    pulumi: typeof pulumi;
    mocks: any;
    settings: any;
    state: any;
    rpc: any;
    structproto: any;
    resproto: any;
}

const sdkCache = new Map<string, Sdk>();

/** Loads the SDK that code in `fromDir` would import (default: the toolkit's own). */
export function loadSdk(fromDir?: string): Sdk {
    const pkg = require.resolve("@pulumi/pulumi/package.json", fromDir ? { paths: [fromDir] } : undefined);
    const root = path.dirname(pkg);
    let sdk = sdkCache.get(root);
    if (!sdk) {
        sdk = {
            root,
            pulumi: require(root),
            mocks: require(path.join(root, "runtime", "mocks")),
            settings: require(path.join(root, "runtime", "settings")),
            state: require(path.join(root, "runtime", "state")),
            rpc: require(path.join(root, "runtime", "rpc")),
            structproto: require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [root] })),
            resproto: require(path.join(root, "proto", "resource_pb")),
        };
        sdkCache.set(root, sdk);
    }
    return sdk;
}
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */

const ownSdk = loadSdk();
const rpc = ownSdk.rpc;

// The value markers live in a neutral module that the policies read too; re-exported for existing importers.
export { AssetValue, ResourceRef, Secret, Unknown, UNKNOWN_TEXT } from "../components/common/values";

/** The placeholder for a cloud-computed property of a resource. */
export function computed(resourceName: string, property: string): string {
    return `(known after apply: ${resourceName}.${property})`;
}

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent, if any. */
    parent?: string;
    /** True for a cloud resource, false for a component. */
    custom: boolean;
    /** Inputs as sent to the provider, with Secret/Unknown/ResourceRef markers kept. */
    inputs: Record<string, unknown>;
    /** URNs this resource depends on (explicit and through its inputs). */
    dependencies: string[];
    /** Per input property, the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
    /** Provider reference (URN::id), when set. */
    provider?: string;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    /** The `deleteBeforeReplace` option. */
    deleteBeforeReplace: boolean;
    /** The `replaceOnChanges` option: property paths whose change replaces the resource. */
    replaceOnChanges: string[];
    /** Outputs a component registered with `registerOutputs`. */
    outputs?: Record<string, unknown>;
}

export interface RecordedLookup {
    token: string;
    inputs: Record<string, unknown>;
    /** What the offline answer was. */
    result: Record<string, unknown>;
}

/** Answers a provider function call (an "invoke") offline. */
export type LookupHandler = (inputs: Record<string, unknown>, ctx: LookupContext) => Record<string, unknown>;

export interface LookupContext {
    /** The `aws:region` config value, or `us-east-1`. */
    region: string;
}

export class UnsupportedLookupError extends Error {
    /** The SDK reports a failed invoke by this gRPC-style field. */
    public readonly details: string;

    constructor(public readonly token: string, args?: Record<string, unknown>) {
        super(`the offline preview cannot answer the provider look-up "${token}"${args === undefined ? "" : ` with arguments ${JSON.stringify(args)}`}: ` +
            "it needs the cloud. Pass the value in through config, or answer it offline with --lookups <file.json> (README: \"Answering look-ups offline\").");
        this.name = "UnsupportedLookupError";
        this.details = this.message;
    }
}

const partitionOf = (region: string) => region.startsWith("cn-") ? { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" }
    : region.startsWith("us-gov-") ? { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" }
        : { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };

/**
 * The look-ups answered offline. Zone names and the partition follow from the configured region;
 * the account id is not knowable without credentials, so it is a marked placeholder.
 */
export const DEFAULT_LOOKUPS: Record<string, LookupHandler> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, { region }) => ({
        id: region,
        region,
        names: ["a", "b", "c"].map((z) => `${region}${z}`),
        zoneIds: [1, 2, 3].map((i) => `(offline: zone id ${i} of ${region})`),
        groupNames: [region],
    }),
    "aws:index/getRegion:getRegion": (_inputs, { region }) => ({
        id: region,
        region,
        name: region,
        description: region,
        endpoint: `ec2.${region}.${partitionOf(region).dnsSuffix}`,
    }),
    "aws:index/getPartition:getPartition": (_inputs, { region }) => ({ id: partitionOf(region).partition, ...partitionOf(region) }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: "(offline: account id)",
        accountId: "(offline: account id)",
        arn: "(offline: caller arn)",
        userId: "(offline: caller user id)",
    }),
    "aws:elb/getServiceAccount:getServiceAccount": (_inputs, { region }) => ({
        id: "(offline: ELB account id)",
        arn: `(offline: ELB log delivery account of ${region})`,
        region,
    }),
    // The per-account id of CloudFront's origin-facing prefix list cannot be known offline.
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": (inputs) => ({
        id: `(offline: prefix list ${String(inputs.name)})`,
        name: inputs.name,
        entries: [],
        addressFamily: "IPv4",
        maxEntries: 55,
    }),
};

/**
 * Cloud-computed properties, per resource type, beyond the `id`, `arn` and `name` every resource
 * gets. Anything not listed stays unknown (and a program reading it sees an unknown value).
 */
const COMPUTED: Record<string, (name: string, inputs: Record<string, unknown>) => Record<string, unknown>> = {
    "aws:lb/loadBalancer:LoadBalancer": (n) => ({ dnsName: computed(n, "dnsName"), zoneId: computed(n, "zoneId"), arnSuffix: computed(n, "arnSuffix") }),
    "aws:lb/targetGroup:TargetGroup": (n) => ({ arnSuffix: computed(n, "arnSuffix") }),
    "aws:acm/certificate:Certificate": (n, i) => ({
        domainValidationOptions: [{
            domainName: i.domainName,
            resourceRecordName: computed(n, "validationRecordName"),
            resourceRecordType: "CNAME",
            resourceRecordValue: computed(n, "validationRecordValue"),
        }],
    }),
    "aws:acm/certificateValidation:CertificateValidation": (_n, i) => ({ certificateArn: i.certificateArn }),
    "aws:route53/record:Record": (n) => ({ fqdn: computed(n, "fqdn") }),
    "aws:s3/bucket:Bucket": (n) => ({ bucket: computed(n, "bucket"), bucketDomainName: computed(n, "bucketDomainName"), bucketRegionalDomainName: computed(n, "bucketRegionalDomainName") }),
    "aws:ecr/repository:Repository": (n) => ({ repositoryUrl: computed(n, "repositoryUrl"), registryId: computed(n, "registryId") }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (n, i) => ({
        primaryEndpointAddress: computed(n, "primaryEndpointAddress"),
        readerEndpointAddress: computed(n, "readerEndpointAddress"),
        configurationEndpointAddress: computed(n, "configurationEndpointAddress"),
        port: i.port ?? 6379,
    }),
    "aws:rds/instance:Instance": (n, i) => ({
        address: computed(n, "address"),
        endpoint: computed(n, "endpoint"),
        port: i.port ?? 5432,
        resourceId: computed(n, "resourceId"),
        identifier: i.identifier ?? computed(n, "identifier"),
        masterUserSecrets: i.manageMasterUserPassword ? [{ secretArn: computed(n, "masterUserSecretArn"), secretStatus: "active", kmsKeyId: computed(n, "masterUserSecretKmsKeyId") }] : [],
    }),
    "aws:rds/proxy:Proxy": (n) => ({ endpoint: computed(n, "endpoint") }),
    "aws:kms/key:Key": (n) => ({ keyId: computed(n, "keyId") }),
    "aws:lambda/function:Function": (n) => ({ invokeArn: computed(n, "invokeArn"), qualifiedArn: computed(n, "qualifiedArn"), version: computed(n, "version") }),
    "aws:iam/role:Role": (n) => ({ uniqueId: computed(n, "uniqueId") }),
};

/** Outputs a provider draws at create: unknown during a preview, placeholders after an update. */
const GENERATED: Record<string, string[]> = {
    "random:index/randomId:RandomId": ["hex", "dec", "b64Url", "b64Std"],
};

/** Outputs every custom resource gets a placeholder for. */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const base: Record<string, unknown> = { arn: computed(name, "arn") };
    if (inputs.name === undefined) {
        base.name = computed(name, "name");
    }
    return { ...base, ...(COMPUTED[type]?.(name, inputs) ?? {}) };
}

/** Decodes a property value from the wire form the SDK sends, keeping secrets and unknowns visible. */
function decodeWire(value: unknown): unknown {
    if (value === rpc.unknownValue) {
        return new Unknown();
    }
    if (Array.isArray(value)) {
        return value.map(decodeWire);
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        const sig = obj[rpc.specialSigKey];
        if (sig === rpc.specialSecretSig) {
            return new Secret(decodeWire(obj.value));
        }
        if (sig === rpc.specialResourceSig) {
            return new ResourceRef(String(obj.urn), obj.id === undefined ? undefined : decodeWire(obj.id));
        }
        if (sig === rpc.specialAssetSig || sig === rpc.specialArchiveSig) {
            const detail = Object.fromEntries(Object.entries(obj).filter(([k]) => k !== rpc.specialSigKey && k !== "assets"));
            if (obj.assets) {
                detail.assets = Object.keys(obj.assets as object).sort();
            }
            return new AssetValue(sig === rpc.specialAssetSig ? "asset" : "archive", detail);
        }
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, decodeWire(v)]));
    }
    return value;
}

/** Removes Secret wrappers and leaves other markers: for asserting on values in tests. */
export function reveal(value: unknown): unknown {
    if (value instanceof Secret) {
        return reveal(value.value);
    }
    if (Array.isArray(value)) {
        return value.map(reveal);
    }
    if (value !== null && typeof value === "object" && value.constructor === Object) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
    }
    return value;
}

/** Encodes a state value for the SDK: plain values as they are, secrets in their wire wrapper. */
function encodeWire(value: unknown): unknown {
    if (value instanceof Secret) {
        return { [rpc.specialSigKey]: rpc.specialSecretSig, value: encodeWire(value.value) };
    }
    if (value instanceof Unknown) {
        return rpc.unknownValue;
    }
    if (value instanceof ResourceRef) {
        return value.urn;
    }
    if (value instanceof AssetValue) {
        return undefined;
    }
    if (Array.isArray(value)) {
        return value.map(encodeWire);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeWire(v)]).filter(([, v]) => v !== undefined));
    }
    return value;
}

/** The parts of the SDK's RegisterResourceRequest protobuf message the recorder reads. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): { toJavaScript(): unknown } | undefined;
    getPropertydependenciesMap(): { forEach(fn: (deps: { getUrnsList(): string[] }, key: string) => void): void };
    getDependenciesList(): string[];
    getProvider(): string;
    getProtect?(): boolean;
    getRetainondelete?(): boolean;
    getIgnorechangesList?(): string[];
    getDeletebeforereplace?(): boolean;
    getReplaceonchangesList?(): string[];
    getAdditionalsecretoutputsList(): string[];
}

interface RegisterOutputsRequest {
    getUrn(): string;
    getOutputs(): { toJavaScript(): unknown } | undefined;
}

/** Output's promise/isKnown/isSecret members are internal to the SDK but stable. */
interface OutputInternals {
    isKnown: Promise<boolean>;
    isSecret: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
}

/** The root stack's type: the engine leaves it out of its children's URNs. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The qualified type of a URN: the parents' types and its own, joined by `$`. */
export function urnQualifiedType(urn: string): string {
    return urn.split("::")[2] ?? "";
}

/** The name part of a URN (everything after the third `::`: a name may itself contain `::`). */
export function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/**
 * A URN as the engine generates it (pulumi/pulumi `sdk/go/common/resource/urn/urn.go` `New`, called
 * by the deployment's `generateURN`): `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, the
 * qualified type being the parent's qualified type, `$`, the resource's type, except that a parent
 * of the root stack's type is left out. (The SDK's own mock monitor keeps only the parent's last
 * type, the root stack's included: `pulumi:pulumi:Stack$aws:...`, a URN the engine never writes.)
 */
export function engineUrn(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
    const parentType = parent ? urnQualifiedType(parent) : "";
    const qualified = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * The id and state the mock answers for a custom resource. What a provider draws (GENERATED, and
 * secret outputs such as a RandomPassword's `result`) is unknown during a preview, as `pulumi
 * preview` shows a new one (a placeholder would read as a known value); after an update it is a
 * placeholder (a secret one when the output is secret).
 */
function customState(type: string, name: string, inputs: Record<string, unknown>, dryRun: boolean, secretOutputs: string[]): { id: string; state: Record<string, unknown> } {
    if (type.startsWith("pulumi:providers:")) {
        return { id: `${name}-provider-id`, state: { ...inputs } };
    }
    const state: Record<string, unknown> = { ...inputs, ...computedOutputs(type, name, inputs) };
    const generated = (key: string) => (dryRun ? new Unknown() : computed(name, key));
    for (const key of dryRun ? [] : GENERATED[type] ?? []) {
        state[key] ??= computed(name, key);
    }
    for (const key of secretOutputs) {
        state[key] = state[key] instanceof Secret ? state[key] : new Secret(state[key] ?? generated(key));
    }
    return { id: computed(name, "id"), state };
}

/**
 * Builds the mock monitor for one SDK copy: the SDK's own MockMonitor, extended to record whole
 * registration requests (parents, dependencies, options) and to answer look-ups offline.
 */
function createMonitor(sdk: Sdk, recorder: Recorder): { mocks: unknown } {
    class RecordingMonitor extends sdk.mocks.MockMonitor {
        constructor() {
            super({
                call: (args: { token: string; inputs: Record<string, unknown> }) => recorder.lookup(args.token, args.inputs),
                newResource: () => {
                    throw new Error("RecordingMonitor registers resources itself");
                },
            });
        }

        async registerResource(req: RegisterRequest, callback: (err: unknown, resp?: unknown) => void): Promise<void> {
            try {
                callback(null, this.register(req));
            } catch (err) {
                callback(err);
            }
        }

        private register(req: RegisterRequest): unknown {
            const type = req.getType();
            const name = req.getName();
            const parent = req.getParent();
            const custom = req.getCustom();
            const urn = engineUrn(sdk.settings.getStack(), sdk.settings.getProject(), parent, type, name);
            const inputs = decodeWire(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
            const propertyDependencies: Record<string, string[]> = {};
            req.getPropertydependenciesMap().forEach((deps, key) => {
                propertyDependencies[key] = [...deps.getUrnsList()].sort();
            });
            recorder.resources.push({
                urn,
                type,
                name,
                parent: parent || undefined,
                custom,
                inputs,
                dependencies: [...new Set<string>(req.getDependenciesList())].sort(),
                propertyDependencies,
                provider: req.getProvider() || undefined,
                protect: req.getProtect?.() ?? false,
                retainOnDelete: req.getRetainondelete?.() ?? false,
                ignoreChanges: [...(req.getIgnorechangesList?.() ?? [])],
                deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
                replaceOnChanges: [...(req.getReplaceonchangesList?.() ?? [])],
            });

            const { id, state } = custom ? customState(type, name, inputs, sdk.settings.isDryRun(), req.getAdditionalsecretoutputsList()) : { id: "", state: {} };
            const wire = encodeWire(state) as Record<string, unknown>;
            this.resources.set(urn, { urn, id, state: wire });
            const response = new sdk.resproto.RegisterResourceResponse();
            response.setUrn(urn);
            response.setId(id);
            response.setObject(sdk.structproto.Struct.fromJavaScript(wire));
            return response;
        }

        registerResourceOutputs(req: RegisterOutputsRequest, callback: (err: unknown, resp?: unknown) => void): void {
            const urn = req.getUrn();
            const recorded = recorder.resources.find((r) => r.urn === urn);
            if (recorded) {
                recorded.outputs = decodeWire(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
            }
            super.registerResourceOutputs(req, callback);
        }
    }
    return new RecordingMonitor() as unknown as { mocks: unknown };
}

export interface RuntimeOptions {
    /** @default "project" */
    project?: string;
    /** @default "test" */
    stack?: string;
    /**
     * Stack configuration: `"<namespace>:<key>"` (or a bare key, taken as the project's) to a value;
     * non-string values are JSON-encoded as Pulumi does for structured config.
     */
    config?: Record<string, unknown>;
    /** Config keys whose values are secret. */
    secretKeys?: string[];
    /**
     * Run as a preview (unknown values stay unknown) rather than as an update.
     * @default true
     */
    preview?: boolean;
    /** Extra or replacement offline answers for provider look-ups, by token. */
    lookups?: Record<string, LookupHandler>;
    /** The SDK the program uses. @default the toolkit's own */
    sdk?: Sdk;
    /**
     * Capture stack traces while the program runs. The SDK captures one for every promise it
     * makes (for leak diagnostics); without them a run is much faster, and errors keep their
     * messages but lose their frames. The offline preview turns them off unless asked to be verbose.
     * @default true
     */
    stackTraces?: boolean;
}

/** One recording session: the resources and look-ups of one program run. */
class Recorder {
    readonly resources: RecordedResource[] = [];
    readonly lookups: RecordedLookup[] = [];
    /** Look-ups that could not be answered offline (the SDK turns them into plain Errors). */
    readonly lookupFailures: UnsupportedLookupError[] = [];
    readonly sdk: Sdk;
    private readonly handlers: Record<string, LookupHandler>;
    private readonly region: string;
    private readonly config: Record<string, string>;

    constructor(private readonly options: RuntimeOptions = {}) {
        this.sdk = options.sdk ?? ownSdk;
        this.handlers = { ...DEFAULT_LOOKUPS, ...(options.lookups ?? {}) };
        const project = options.project ?? "project";
        const raw = options.config ?? {};
        this.region = String(raw["aws:region"] ?? "us-east-1");
        this.config = Object.fromEntries(Object.entries(raw).map(([k, val]) => [
            k.includes(":") ? k : `${project}:${k}`,
            typeof val === "string" ? val : JSON.stringify(val),
        ]));
    }

    /** Answers a provider look-up offline, or fails naming it. */
    lookup(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
        try {
            const handler = this.handlers[token];
            if (!handler) {
                throw new UnsupportedLookupError(token);
            }
            const result = handler(inputs, { region: this.region });
            this.lookups.push({ token, inputs, result });
            return result;
        } catch (error) {
            if (error instanceof UnsupportedLookupError) {
                this.lookupFailures.push(error);
            }
            throw error;
        }
    }

    /**
     * Resolves once the run has stopped moving: no registration, look-up or RPC started for a while
     * (the mock monitor answers at once, so a run that moves never pauses this long).
     */
    idle(quietMs = 50, pollMs = 10): Promise<void> {
        const progress = () => [this.resources.length, this.lookups.length, this.lookupFailures.length, this.sdk.state.getStore().settings.rpcDone] as const;
        return new Promise((resolve) => {
            let last = progress();
            let quietFor = 0;
            const poll = () => {
                const now = progress();
                quietFor = now.every((v, i) => v === last[i]) ? quietFor + pollMs : 0;
                last = now;
                if (quietFor >= quietMs) {
                    resolve();
                } else {
                    setTimeout(poll, pollMs);
                }
            };
            setTimeout(poll, pollMs);
        });
    }

    /** Installs this recorder as the SDK's monitor and sets the stack's config. */
    install(): void {
        const project = this.options.project ?? "project";
        const stack = this.options.stack ?? "test";
        const preview = this.options.preview ?? true;
        const monitor = createMonitor(this.sdk, this);
        // setMocks resets the runtime and turns on the features a mock engine supports (secrets,
        // resource references...); then the recording monitor takes the mock monitor's place. (Calling
        // setMockOptions again would reset those features: secrets would be recorded in plaintext.)
        this.sdk.pulumi.runtime.setMocks(monitor.mocks as pulumi.runtime.Mocks, project, stack, preview);
        this.sdk.state.getStore().settings.monitor = monitor;
        this.sdk.pulumi.runtime.setAllConfig(this.config, this.options.secretKeys);
    }
}

/** The recorded result of running a program. */
export interface Recording<T> {
    graph: Graph;
    lookups: RecordedLookup[];
    result: T;
}

/**
 * Runs `program` on a fresh recording runtime and waits until every resource it registered has
 * been recorded. Errors thrown by the program, and errors raised while resources register or look-ups
 * are answered, are rethrown here (the first of them) instead of leaking as unhandled rejections.
 */
export async function record<T>(program: () => T | Promise<T>, options: RuntimeOptions = {}): Promise<Recording<T>> {
    const recorder = new Recorder(options);
    recorder.install();
    // The SDK captures a full stack trace for every resource (its source position, which the mock
    // monitor ignores); formatting them through source maps dominates a run. V8's own formatter
    // is used while recording; error messages are unaffected.
    const prepareStackTrace = Error.prepareStackTrace;
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    const stackTraceLimit = Error.stackTraceLimit;
    if (options.stackTraces === false) {
        Error.stackTraceLimit = 0;
    }
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        let result: T;
        try {
            result = await program();
        } catch (err) {
            // Let what the program started finish so nothing leaks into the next run; but a failed
            // program may leave registrations waiting forever (on a deferred output it never
            // resolved): stop waiting once nothing moves, and report the program's own error.
            await Promise.race([recorder.sdk.settings.waitForRPCs(), recorder.idle()]);
            // A failed look-up surfaces as a plain Error from the SDK: report the precise one.
            throw recorder.lookupFailures[0] ?? err;
        }
        // An error raised inside the run (an apply, a registration) may leave the rest waiting
        // forever, too: once nothing moves, report it rather than wait for the SDK's leak message.
        const rpcs = recorder.sdk.settings.waitForRPCs();
        let finished = false;
        while (!finished) {
            finished = await Promise.race([rpcs.then(() => true), recorder.idle().then(() => false)]);
            if (!finished && failures.length > 0) {
                throw recorder.lookupFailures[0] ?? failures[0];
            }
        }
        // Let rejected promises of the run surface before deciding the run was clean.
        await new Promise((resolve) => setImmediate(resolve));
        if (failures.length > 0) {
            throw recorder.lookupFailures[0] ?? failures[0];
        }
        return { graph: new Graph(recorder.resources), lookups: recorder.lookups, result };
    } finally {
        process.off("unhandledRejection", onRejection);
        Error.prepareStackTrace = prepareStackTrace;
        Error.stackTraceLimit = stackTraceLimit;
    }
}

/** A recorded resource graph with the look-ups tests and the preview need. */
export class Graph {
    constructor(public readonly resources: RecordedResource[]) {}

    /** Resources of a type token, in registration order. */
    byType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of a type; fails when there are none or several. */
    one(type: string): RecordedResource {
        const found = this.byType(type);
        if (found.length !== 1) {
            throw new Error(`expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
        }
        return found[0];
    }

    /** The resource with this logical name (and type, when names repeat across types). */
    named(name: string, type?: string): RecordedResource {
        const found = this.resources.filter((r) => r.name === name && (type === undefined || r.type === type));
        if (found.length !== 1) {
            throw new Error(`expected exactly one resource named ${name}${type ? ` of type ${type}` : ""}, found ${found.length}`);
        }
        return found[0];
    }

    byUrn(urn: string): RecordedResource | undefined {
        return this.resources.find((r) => r.urn === urn);
    }

    /** Direct children of a resource. */
    childrenOf(parent: RecordedResource | string): RecordedResource[] {
        const urn = typeof parent === "string" ? parent : parent.urn;
        return this.resources.filter((r) => r.parent === urn);
    }

    /** Every resource below a parent, depth first. */
    descendantsOf(parent: RecordedResource | string): RecordedResource[] {
        return this.childrenOf(parent).flatMap((c) => [c, ...this.descendantsOf(c)]);
    }

    /** Inputs of a resource with secrets revealed (tests only: plans never reveal). */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests walk arbitrary provider inputs
    inputsOf(resource: RecordedResource): Record<string, any> {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return reveal(resource.inputs) as Record<string, any>;
    }

    /** Cloud resources (not components, providers or the stack). */
    get customResources(): RecordedResource[] {
        return this.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    }
}

/**
 * The value of an Output (or any input) as the program would see it: `Unknown` when not known
 * during the preview, a `Secret` wrapper when secret.
 */
export async function valueOf(input: pulumi.Input<unknown>): Promise<unknown> {
    const out = pulumi.output(input) as unknown as OutputInternals;
    const [known, secret, value] = await Promise.all([out.isKnown, out.isSecret, out.promise(true)]);
    if (!known) {
        return new Unknown();
    }
    return secret ? new Secret(value) : value;
}
