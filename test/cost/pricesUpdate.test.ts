/**
 * `npm run prices:update` against recorded GetProducts responses of the Price List API's shape,
 * served through the official client's custom requestHandler: the real SDK serialises each query
 * and deserialises each answer, and nothing touches the network.
 */
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { PricingClient } from "@aws-sdk/client-pricing";
import { expect } from "chai";
import { fetchPrices, QUERIES } from "../../scripts/prices-update";
import { SourcePrice } from "../../scripts/prices-snapshot";

interface Recorded {
    responses: { match: Record<string, string>; pages: { FormatVersion: string; PriceList: string[]; NextToken?: string }[] }[];
}
const RECORDED = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "pricing", "get-products.json"), "utf8")) as Recorded;

/** A requestHandler answering GetProducts from the recordings; it keeps every request it saw. */
function recordedHandler() {
    const seen: { target: string; body: any }[] = [];
    return {
        seen,
        handler: {
            handle: async (request: { headers: Record<string, string>; body: string | Uint8Array }) => {
                const body = JSON.parse(typeof request.body === "string" ? request.body : Buffer.from(request.body).toString("utf8"));
                seen.push({ target: request.headers["x-amz-target"], body });
                const filters = Object.fromEntries(body.Filters.map((f: { Field: string; Value: string }) => [f.Field, f.Value]));
                const recording = RECORDED.responses.find((r) => Object.entries(r.match).every(([k, v]) => (k === "ServiceCode" ? body.ServiceCode === v : filters[k] === v))
                    && Object.keys(filters).length === Object.keys(r.match).length - 1);
                const page = recording ? recording.pages[body.NextToken ? Number(String(body.NextToken).split("-")[1]) - 1 : 0] : { FormatVersion: "aws_v1", PriceList: [] };
                return {
                    response: {
                        statusCode: 200,
                        reason: "OK",
                        headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "recorded" },
                        body: Readable.from([Buffer.from(JSON.stringify(page))]),
                    },
                };
            },
            updateHttpClientConfig: () => undefined,
            httpHandlerConfigs: () => ({}),
        },
    };
}

const current: SourcePrice[] = [
    { service: "ECS Fargate", dimension: "Linux/x86_64 vCPU", region: "us-east-1", unit: "vCPU-hour", usd: 0.04, source: "an older source", asOf: "2025-01-01", note: "old" },
    { service: "RDS for PostgreSQL", dimension: "db.r7g.xlarge Multi-AZ", region: "us-east-1", unit: "instance-hour", usd: 0.9, source: "an older source", asOf: "2025-01-01" },
    { service: "Route 53", dimension: "hosted zone, first 25", region: "global", unit: "hosted-zone-month", usd: 0.5, source: "kept", asOf: "2025-08-28" },
];

describe("prices:update (Price List API, recorded responses)", function () {
    this.timeout(60_000);

    it("asks GetProducts with TERM_MATCH filters per region, follows NextToken, and records the answer's price, SKU, date and source", async () => {
        const { seen, handler } = recordedHandler();
        const client = new PricingClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" }, requestHandler: handler as never });
        const result = await fetchPrices(client, current, ["us-east-1"]);
        expect(seen.length).to.equal(QUERIES.length + 1); // every query once, the Fargate vCPU query twice (two pages)
        expect(seen[0].target).to.equal("AWSPriceListService.GetProducts");
        expect(seen[0].body).to.deep.include({ ServiceCode: "AmazonECS", FormatVersion: "aws_v1" });
        expect(seen[0].body.Filters).to.deep.include({ Type: "TERM_MATCH", Field: "usagetype", Value: "USE1-Fargate-vCPU-Hours:perCPU" });
        expect(seen[1].body.NextToken).to.equal("page-2");

        const vcpu = result.prices.find((p) => p.dimension === "Linux/x86_64 vCPU")!;
        expect(vcpu).to.deep.include({ usd: 0.04048, sku: "8CESGAFWKAJ98PME", asOf: "2026-09-11", unit: "vCPU-hour", unitFromSource: true });
        expect(vcpu.source).to.equal("AWS Price List API GetProducts ServiceCode=AmazonECS usagetype=USE1-Fargate-vCPU-Hours:perCPU regionCode=us-east-1");
        expect(vcpu.note).to.be.undefined;
        const memory = result.prices.find((p) => p.dimension === "Linux/x86_64 memory")!;
        expect(memory).to.deep.include({ usd: 0.004445, region: "us-east-1", sku: "PBZNQUSEXZUC34C9" });
    });

    it("keeps the vCPU count of an RDS instance class (what RDS Proxy is priced by), and leaves what no query covers alone", async () => {
        const { handler } = recordedHandler();
        const client = new PricingClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" }, requestHandler: handler as never });
        const result = await fetchPrices(client, current, ["us-east-1"]);
        expect(result.prices.find((p) => p.dimension === "db.r7g.xlarge Multi-AZ")).to.deep.include({ usd: 0.956, attributes: { vcpu: "4" }, asOf: "2025-06-18" });
        expect(result.prices.find((p) => p.service === "Route 53")).to.deep.equal(current[2]);
    });

    it("reports a query that matches no product or several priced ones instead of guessing", async () => {
        const { handler } = recordedHandler();
        const client = new PricingClient({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" }, requestHandler: handler as never });
        const result = await fetchPrices(client, current, ["us-east-1"]);
        expect(result.updated).to.equal(3);
        expect(result.problems.find((p) => p.startsWith("Elastic Load Balancing / Application Load Balancer hour in us-east-1"))).to.contain("2 on-demand prices matched");
        expect(result.problems.find((p) => p.startsWith("VPC / NAT gateway hour in us-east-1"))).to.contain("0 on-demand prices matched");
        expect(result.problems.length).to.equal(QUERIES.length - 3);
    });
});
