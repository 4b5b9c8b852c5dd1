/**
 * The shipped price snapshot (preview/cost/prices.json) is generated from the recorded sources by
 * scripts/prices-snapshot.ts: it must be current, and every entry must carry its source and date.
 */
import * as fs from "fs";
import { expect } from "chai";
import { buildSnapshot, PRICES_SOURCE, renderSnapshot, SNAPSHOT_FILE, SNAPSHOT_REGIONS, SourcePrice } from "../../scripts/prices-snapshot";

describe("price snapshot", () => {
    const snapshot = buildSnapshot();

    it("is the generator's output for the recorded sources (npm run prices:snapshot)", () => {
        expect(fs.readFileSync(SNAPSHOT_FILE, "utf8")).to.equal(renderSnapshot(snapshot));
    });

    it("gives every price a source and a date, copied from the source entry", () => {
        const source = JSON.parse(fs.readFileSync(PRICES_SOURCE, "utf8")) as SourcePrice[];
        for (const p of snapshot.prices) {
            expect(p.source, p.id).to.be.a("string").and.not.empty;
            expect(p.asOf, p.id).to.match(/^(\d{4}-\d{2}-\d{2}|undated)$/);
            const original = source.find((s) => s.service === p.service && s.dimension === p.dimension && s.region === p.region);
            expect(original?.usd, p.id).to.equal(p.usd);
        }
        for (const n of snapshot.noCharge) {
            expect(n.source).to.not.be.empty;
            expect(n.statement).to.not.be.empty;
        }
    });

    it("covers the same priced dimensions in each of its regions", () => {
        expect(snapshot.regions).to.deep.equal(SNAPSHOT_REGIONS);
        const idsIn = (region: string) => snapshot.prices.filter((p) => p.region === region).map((p) => p.id).sort();
        const east = idsIn("us-east-1");
        expect(east).to.include.members(["ecs-fargate/linux-x86-64-vcpu", "elastic-load-balancing/application-load-balancer-lcu", "vpc/nat-gateway-hour"]);
        for (const region of SNAPSHOT_REGIONS) {
            expect(idsIn(region), region).to.deep.equal(east);
        }
    });

    it("dates itself by the newest of the assembly date and its entries", () => {
        expect(snapshot.snapshotDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
        for (const p of snapshot.prices.filter((x) => /^\d/.test(x.asOf))) {
            expect(p.asOf <= snapshot.snapshotDate, p.id).to.be.true;
        }
    });
});
