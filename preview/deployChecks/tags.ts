/**
 * Tags: at most 50 per resource, keys up to 128 and values up to 256 characters, no `aws:` prefix
 * (AWS-wide), and the stricter characters of the service's own API model where it has them (IAM:
 * letters, digits, spaces and `_.:/=+-@` only).
 */
import { RecordedResource } from "../runtime";
import { FACTS, serviceOf } from "./knownFacts";
import { DeployFinding, finding, isUnknown, plain, regex } from "./types";

export const tagRules = (resources: RecordedResource[]): DeployFinding[] => resources.flatMap((r) => {
    const tags = plain(r.inputs.tags);
    if (tags === null || typeof tags !== "object" || Array.isArray(tags) || isUnknown(r.inputs.tags)) return [];
    const global = FACTS.tags.global;
    const service = serviceOf(r.type);
    const own = service ? FACTS.tags.services[service] : undefined;
    const out: DeployFinding[] = [];
    const entries = Object.entries(tags as Record<string, unknown>);
    const maxTags = own?.maxTags ?? global.maxTags;
    if (maxTags !== undefined && entries.length > maxTags) {
        out.push(finding("tags", r, "tags", `${entries.length} tags`, `${entries.length} tags; at most ${maxTags} allowed`, own?.maxTags ? own.source : global.source));
    }
    for (const [key, raw] of entries) {
        const value = plain(raw);
        if (isUnknown(raw) || typeof value !== "string") continue;
        const keyMax = own?.keyMax ?? global.keyMax;
        const valueMax = own?.valueMax ?? global.valueMax;
        if (key.toLowerCase().startsWith(global.reservedPrefix)) {
            out.push(finding("tags", r, `tags.${key}`, key, `the tag key prefix "${global.reservedPrefix}" is reserved for AWS`, global.source));
        }
        if (keyMax !== undefined && [...key].length > keyMax) {
            out.push(finding("tags", r, `tags.${key}`, key, `tag key of ${[...key].length} characters; at most ${keyMax} allowed`, own?.keyMax ? own.source : global.source));
        }
        if (valueMax !== undefined && [...value].length > valueMax) {
            out.push(finding("tags", r, `tags.${key}`, raw, `tag value of ${[...value].length} characters; at most ${valueMax} allowed`, own?.valueMax ? own.source : global.source));
        }
        if (own?.keyPattern && !regex(own.keyPattern).test(key)) {
            out.push(finding("tags", r, `tags.${key}`, key, `${service} does not accept this tag key: allowed ${own.keyPattern}`, own.source));
        }
        if (own?.valuePattern && !regex(own.valuePattern).test(value)) {
            const bad = [...new Set([...value].filter((c) => !regex(own.valuePattern!).test(c)))].join(" ");
            out.push(finding("tags", r, `tags.${key}`, raw, `${service} does not accept this tag value (characters ${bad}): allowed ${own.valuePattern}`, own.source));
        }
    }
    return out;
});
