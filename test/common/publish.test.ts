import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { publish } from "../../components/common/publish";
import { record, valueOf } from "../support/harness";

class Sample extends pulumi.ComponentResource {
    public readonly url!: pulumi.Output<string>;
    public readonly port!: pulumi.Output<number>;
    constructor(name: string) {
        super("test:index:Sample", name, {}, {});
        publish<Sample>(this, { url: pulumi.output("https://example.test"), port: pulumi.output(443) });
    }
}

describe("publish", () => {
    it("sets every output field and registers the same values as the component's outputs", async () => {
        let sample: Sample | undefined;
        const rec = await record(() => {
            sample = new Sample("s");
        });
        expect(await valueOf(sample!.url)).to.equal("https://example.test");
        expect(await valueOf(sample!.port)).to.equal(443);
        const component = rec.graph.one("test:index:Sample");
        expect(component.outputs).to.deep.equal({ url: "https://example.test", port: 443 });
    });
});
