/** The region: the stack's `aws:region` and every explicit AWS provider's or resource's `region` is a real AWS region. */
import { RecordedResource, ROOT_STACK_TYPE } from "../runtime";
import { FACTS } from "./knownFacts";
import { DeployCheckContext, DeployFinding, finding, isUnknown, plain } from "./types";

const message = (region: string) => `"${region}" is not an AWS region; known: ${FACTS.regions.values.join(", ")}`;

export const regionRules = (resources: RecordedResource[], all: RecordedResource[], context: DeployCheckContext): DeployFinding[] => {
    const known = new Set(FACTS.regions.values);
    const out: DeployFinding[] = [];
    if (context.region !== undefined && !isUnknown(context.region) && !known.has(context.region)) {
        const stack = all.find((r) => r.type === ROOT_STACK_TYPE);
        out.push({ rule: "region", urn: stack?.urn ?? "(stack config)", type: ROOT_STACK_TYPE, property: "config aws:region", value: context.region, message: message(context.region), source: FACTS.regions.source });
    }
    for (const r of [...all.filter((x) => x.type === "pulumi:providers:aws"), ...resources]) {
        const value = r.inputs.region;
        const region = plain(value);
        if (typeof region === "string" && !isUnknown(value) && !known.has(region) && region !== context.region) {
            out.push(finding("region", r, "region", region, message(region), FACTS.regions.source));
        }
    }
    return out;
};
