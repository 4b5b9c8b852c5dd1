/**
 * The test harness: the same recording runtime the offline preview uses, plus assertions.
 * Tests construct components inside `record(() => ...)` and assert on the recorded graph.
 */
import { expect } from "chai";
import { ValidationError } from "../../components/common/errors";

export { Graph, record, RecordedResource, reveal, Secret, Unknown, valueOf } from "../../preview/runtime";

/** Parses a JSON policy document input. */
export function parseJson(value: unknown): any {
    expect(value, "expected a JSON string").to.be.a("string");
    return JSON.parse(value as string);
}

/**
 * Asserts that `build` throws a ValidationError naming the component and the argument, and that
 * nothing was built (validation runs before any resource is registered).
 */
export function expectValidationError(build: () => unknown, component: string, argument: string): ValidationError {
    let caught: unknown;
    try {
        build();
    } catch (err) {
        caught = err;
    }
    expect(caught, `expected ${component} to reject ${argument}`).to.be.instanceOf(ValidationError);
    const error = caught as ValidationError;
    expect(error.component).to.equal(component);
    expect(error.problems.map((p) => p.argument), error.message).to.include(argument);
    expect(error.message).to.contain(component).and.to.contain(argument).and.to.contain("allowed");
    return error;
}
