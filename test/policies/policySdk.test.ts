/**
 * The parts of @pulumi/policy the pack relies on beyond its documented API (policies/policySdk.ts),
 * checked against the installed SDK: an upgrade that renames a sentinel, changes the proxy, the way
 * type tokens are read or how the analyzer service is registered fails here, by name.
 */
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import {
    isUnknownSentinel, onConfigure, policyGrpc, PROXY_TARGET, proxyTarget, pulumiTypeOf, UNKNOWN_SENTINEL_NAMES, UNKNOWN_STRING,
    unknownCheckingProxy, UnknownValueError,
} from "../../policies/policySdk";

const POLICY_DIR = path.dirname(require.resolve("@pulumi/policy"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy");

describe("@pulumi/policy internals the pack uses (policies/policySdk.ts)", () => {
    it("the proxy module exports the seven unknown sentinels, distinct strings", () => {
        const values = UNKNOWN_SENTINEL_NAMES.map((n) => proxy[n]);
        expect(values.every((v) => typeof v === "string" && v.length > 0), JSON.stringify(values)).to.equal(true);
        expect(new Set(values).size).to.equal(7);
        expect(UNKNOWN_STRING).to.equal(proxy.unknownStringValue);
        expect(values.every(isUnknownSentinel)).to.equal(true);
        expect(isUnknownSentinel("(known after apply)")).to.equal(false);
    });

    it("the unknown-checking proxy throws UnknownValueError on every sentinel, and its target key reads around it", () => {
        for (const name of UNKNOWN_SENTINEL_NAMES) {
            const inputs = unknownCheckingProxy({ known: "x", nested: { value: proxy[name] } });
            expect(inputs.known).to.equal("x");
            expect(() => inputs.nested.value, name).to.throw(UnknownValueError, /can't be known during preview/);
            expect(proxyTarget(inputs.nested as Record<string, unknown>).value).to.equal(proxy[name]);
        }
        expect(PROXY_TARGET).to.equal(proxy.getSpecialProxyTarget);
        expect(proxyTarget({ a: 1 })).to.deep.equal({ a: 1 });
    });

    it("reads a resource class's type token the way the SDK's isType does", () => {
        expect(pulumiTypeOf(aws.s3.Bucket)).to.equal("aws:s3/bucket:Bucket");
        expect(pulumiTypeOf(undefined)).to.equal(undefined);
        expect(pulumiTypeOf(class {})).to.equal(undefined);
    });

    it("the PolicyPack registers its analyzer service, with a configure handler, through the grpc-js it loads", () => {
        // The server module's own grpc-js is the one policyGrpc() resolves.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("@pulumi/policy/server");
        const serverModule = require.cache[require.resolve("@pulumi/policy/server")]!;
        const grpcFile = require.resolve("@grpc/grpc-js", { paths: [POLICY_DIR] });
        expect(serverModule.children.map((m) => m.id)).to.include(grpcFile);
        expect(policyGrpc()).to.equal(require.cache[grpcFile]!.exports);
        const source = fs.readFileSync(path.join(POLICY_DIR, "server.js"), "utf8");
        expect(source).to.match(/server\.addService\(analyzerrpc\.AnalyzerService, \{[^}]*\bconfigure: configure,/);
        expect(source).to.contain("req.getPolicyconfigMap()");
    });

    it("onConfigure sees the Configure request before the SDK's handler, once, and restores addService", () => {
        const prototype = policyGrpc().Server.prototype;
        const original = prototype.addService;
        const seen: string[] = [];
        const registered: Record<string, unknown>[] = [];
        prototype.addService = function (_service: unknown, implementation: Record<string, unknown>) {
            registered.push(implementation);
        };
        try {
            onConfigure(() => seen.push("listener"));
            const hooked = prototype.addService;
            prototype.addService.call({}, {}, { configure: () => seen.push("sdk"), analyze: () => undefined });
            expect(prototype.addService).to.not.equal(hooked);
            (registered[0].configure as (call: unknown, cb: unknown) => void)({ request: {} }, () => undefined);
            expect(seen).to.deep.equal(["listener", "sdk"]);
            expect(registered[0]).to.have.property("analyze");
        } finally {
            prototype.addService = original;
        }
    });
});
