import { expect } from "chai";
import { edgeWidgets } from "../../components/edge/alarms";
import { dashboardBody } from "../../components/common/dashboard";

describe("EdgeCache dashboard widgets", () => {
    it("show requests, error rates and the cache hit ratio at the edge, from us-east-1 with Region=Global", () => {
        const widgets = edgeWidgets("E2QWRUHAPOMQZL", "shop");
        expect(widgets.map((w) => w.properties.title)).to.deep.equal([
            "shop: requests at the edge", "shop: error rates at the edge (%)", "shop: cache hit ratio (%)",
        ]);
        for (const w of widgets) {
            expect(w.properties.region).to.equal("us-east-1");
            for (const m of w.properties.metrics as unknown[][]) {
                expect(m.slice(0, 1)).to.deep.equal(["AWS/CloudFront"]);
                expect(m.slice(2)).to.deep.equal(["DistributionId", "E2QWRUHAPOMQZL", "Region", "Global"]);
            }
        }
        expect((widgets[1].properties.metrics as unknown[][]).map((m) => m[1])).to.deep.equal(["5xxErrorRate", "4xxErrorRate"]);
    });

    it("leave out the cache hit ratio without the additional metrics, and lay out three to a row", () => {
        expect(edgeWidgets("E1", "shop", false)).to.have.length(2);
        const body = JSON.parse(dashboardBody([...edgeWidgets("E1", "a"), ...edgeWidgets("E2", "b")]));
        expect(body.widgets.map((w: { x: number; y: number }) => [w.x, w.y])).to.deep.equal([[0, 0], [8, 0], [16, 0], [0, 6], [8, 6], [16, 6]]);
    });
});
