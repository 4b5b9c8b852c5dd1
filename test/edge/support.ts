/** What the edge and SLO tests share: the harness, and an offline answer for CloudFront's prefix list. */
import { RuntimeOptions } from "../../preview/runtime";

export { expectValidationError, parseJson, record, Unknown } from "../support/harness";

/**
 * The recording runtime cannot know a managed prefix list's id (it is per account and region):
 * the tests answer the look-up with a marked placeholder, as a `--lookups` file would.
 */
export const RuntimeOptionsWithPrefixList: RuntimeOptions = {
    lookups: {
        "aws:ec2/getManagedPrefixList:getManagedPrefixList": (inputs) => ({ id: "pl-offline-cloudfront", name: inputs.name, entries: [], addressFamily: "IPv4", maxEntries: 55 }),
    },
};
