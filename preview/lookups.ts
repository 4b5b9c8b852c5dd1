/**
 * Offline answers to provider look-ups (invokes) the preview cannot answer itself, from a JSON file
 * passed with `--lookups`:
 *
 * ```json
 * {
 *   "aws:ec2/getVpc:getVpc": { "id": "vpc-0123456789abcdef0", "cidrBlock": "10.20.0.0/16" },
 *   "aws:ssm/getParameter:getParameter": [
 *     { "args": { "name": "/shop/image-tag" }, "result": { "value": "1.4.2", "type": "String" } },
 *     { "result": { "value": "latest", "type": "String" } }
 *   ]
 * }
 * ```
 *
 * A token maps to one result (for any arguments) or to a list of `{ args?, result }`: the first entry
 * whose `args` are all equal to the call's (a subset: other arguments may differ) answers; an entry
 * without `args` answers any call. A call no entry matches fails naming the token and its arguments.
 * An answer for a token the preview answers itself (for example `getCallerIdentity`) replaces it.
 */
import { UsageError } from "./project";
import { LookupHandler, UnsupportedLookupError } from "./runtime";

interface Answer {
    args?: Record<string, unknown>;
    result: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Deep equality of JSON values (object key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
    }
    if (isObject(a) || isObject(b)) {
        if (!isObject(a) || !isObject(b)) {
            return false;
        }
        const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => a[k] !== undefined || b[k] !== undefined));
        return [...keys].every((k) => sameJson(a[k], b[k]));
    }
    return a === b;
}

/** Parses the answers of a `--lookups` document; `file` names it in errors. */
export function lookupAnswers(doc: unknown, file: string): Record<string, LookupHandler> {
    if (!isObject(doc)) {
        throw new UsageError(`${file}: --lookups expects a JSON object from invoke token (such as "aws:ec2/getVpc:getVpc") to a result or a list of { args, result }`);
    }
    const handlers: Record<string, LookupHandler> = {};
    for (const [token, value] of Object.entries(doc)) {
        if (!/^[^:\s]+:[^:\s]*:[^:\s]+$/.test(token)) {
            throw new UsageError(`${file}: "${token}" is not an invoke token; allowed: "<package>:<module>:<function>", such as "aws:ec2/getVpc:getVpc"`);
        }
        const answers: Answer[] = Array.isArray(value) ? value as Answer[] : [{ result: value as Record<string, unknown> }];
        answers.forEach((a, i) => {
            const where = Array.isArray(value) ? `${token}[${i}]` : token;
            if (!isObject(a) || !isObject(a.result) || (a.args !== undefined && !isObject(a.args)) || Object.keys(a).some((k) => k !== "args" && k !== "result")) {
                throw new UsageError(`${file}: "${where}" must be ${Array.isArray(value) ? "{ \"args\"?: {...}, \"result\": {...} }" : "an object (the look-up's result)"}`);
            }
        });
        handlers[token] = (inputs) => {
            const match = answers.find((a) => a.args === undefined || Object.entries(a.args).every(([k, v]) => sameJson(inputs[k], v)));
            if (!match) {
                throw new UnsupportedLookupError(token, inputs);
            }
            return match.result;
        };
    }
    return handlers;
}
