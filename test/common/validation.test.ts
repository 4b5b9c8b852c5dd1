/**
 * The Validator's rules shared by every component: one type rule (a string where a number belongs is
 * refused with the same wording whatever the component), number ranges, and the message that lists
 * every problem, one per line, which the offline preview prints as it is.
 */
import { expect } from "chai";
import { Network } from "../../components";
import { ValidationError } from "../../components/common/errors";
import { DEFAULTED_FROM_NAME, describeRange, Validator } from "../../components/common/validation";
import { oneLine } from "../../preview/cli";
import { record } from "../../preview/runtime";
import { expectValidationError } from "../support/harness";

function problems(build: (v: Validator) => void): ValidationError["problems"] {
    const v = new Validator("Thing", "t");
    build(v);
    try {
        v.throwIfAny();
    } catch (err) {
        return (err as ValidationError).problems;
    }
    return [];
}

describe("Validator: argument types, one rule for every component", () => {
    it("refuses a string where Network wants a number, naming its type, before creating anything", async () => {
        const { graph } = await record(() => {
            const err = expectValidationError(() => new Network("net", { availabilityZoneCount: "2" as unknown as number }), "Network", "availabilityZoneCount");
            expect(err.message).to.equal("Network \"net\": argument \"availabilityZoneCount\" was \"2\" (a string); allowed: an integer from 2 to 3");
        });
        expect(graph.resources).to.have.length(0);
    });

    it("words a wrong type the same in every number rule: integer, number, intRange, oneOf, percent, port", () => {
        const found = problems((v) => v
            .integer("cpu", "512", { min: 256, max: 16384 })
            .number("ratio", "0.5", { min: 0 })
            .intRange("count", "2" as unknown as number, 1, 3)
            .oneOf("size", "512" as unknown as number, [256, 512])
            .percent("target", "70" as unknown as number)
            .port("port", "80" as unknown as number)
            .boolean("enabled", "true"));
        expect(found.map((p) => `${p.argument}: ${p.given} / ${p.allowed}`)).to.deep.equal([
            "cpu: \"512\" (a string) / an integer from 256 to 16384",
            "ratio: \"0.5\" (a string) / a number of at least 0",
            "count: \"2\" (a string) / an integer from 1 to 3",
            "size: \"512\" (a string) / one of 256, 512",
            "target: \"70\" (a string) / a percentage above 0 and at most 100",
            "port: \"80\" (a string) / an integer from 1 to 65535",
            "enabled: \"true\" (a string) / a boolean",
        ]);
    });

    it("checks the range only of values of the right type, and lets undefined through (the default applies)", () => {
        expect(problems((v) => v.integer("a", 2.5, { min: 1 }).integer("b", 0, { min: 1, max: 3 }).number("c", Number.NaN)).map((p) => p.given))
            .to.deep.equal(["2.5", "0", "NaN"]);
        expect(problems((v) => v.integer("a", undefined, { min: 1 }).number("b", 7, { max: 7 }).oneOf("c", undefined, [1]).boolean("d", false))).to.deep.equal([]);
        expect(problems((v) => v.integer("a", [1]).integer("b", null).integer("c", {})).map((p) => p.given))
            .to.deep.equal(["[1] (an array)", "null (null)", "an object (an object)"]);
        expect([describeRange({}), describeRange({ integer: true, max: 9 })]).to.deep.equal(["a number", "an integer of at most 9"]);
    });
});

describe("ValidationError: the message", () => {
    it("is one line for one problem and one line per problem for several, with a note where a value was defaulted", () => {
        const one = new ValidationError("Thing", "t", [{ argument: "a", given: "1", allowed: "2" }]);
        expect(one.message).to.equal("Thing \"t\": argument \"a\" was 1; allowed: 2");
        const several = new ValidationError("Thing", "t", [
            { argument: "a", given: "1", allowed: "2" },
            { argument: "name", given: "\"t\"", allowed: "a lower-case name", note: DEFAULTED_FROM_NAME },
        ]);
        expect(several.message).to.equal("Thing \"t\": invalid arguments:\n  - argument \"a\" was 1; allowed: 2\n"
            + "  - argument \"name\" was \"t\" (defaulted from the component's name); allowed: a lower-case name");
        expect(problems((v) => v.check(false, "name", "t", "x", DEFAULTED_FROM_NAME))).to.deep.equal([{ argument: "name", given: "\"t\"", allowed: "x", note: DEFAULTED_FROM_NAME }]);
    });

    it("reads well when an output flattens it to one line: never \"invalid arguments:; - argument\"", () => {
        const several = new ValidationError("Thing", "t", [{ argument: "a", given: "1", allowed: "2" }, { argument: "b", given: "3", allowed: "4" }]);
        expect(oneLine(several.message)).to.equal("Thing \"t\": invalid arguments: argument \"a\" was 1; allowed: 2; argument \"b\" was 3; allowed: 4");
        expect(oneLine("first\n\n  second ")).to.equal("first; second");
    });
});
