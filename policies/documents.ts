/** Reading IAM policy documents (identity, resource and trust policies) as rules need them. */
import { asList } from "./rule";

export interface NormalStatement {
    Sid?: string;
    Effect: string;
    Action: string[];
    NotAction: string[];
    Resource: string[];
    NotResource: string[];
    /** `"*"` for everyone, else the listed principals (AWS, Service, Federated...) flattened. */
    Principal: string[];
    Condition: Record<string, Record<string, unknown>>;
}

export interface NormalDocument {
    Statement: NormalStatement[];
    /** Set when the document could not be read as JSON. */
    unreadable?: string;
}

/** Parses a policy document given as a JSON string or an object; never throws. */
export function parseDocument(value: unknown): NormalDocument {
    let doc: unknown = value;
    if (typeof value === "string") {
        try {
            doc = JSON.parse(value);
        } catch {
            return { Statement: [], unreadable: value.length > 60 ? `${value.slice(0, 60)}...` : value };
        }
    }
    if (doc === null || typeof doc !== "object") {
        return { Statement: [], unreadable: String(doc) };
    }
    const statements = asList((doc as Record<string, unknown>).Statement) as Record<string, unknown>[];
    return {
        Statement: statements.filter((s) => s !== null && typeof s === "object").map((s) => ({
            Sid: typeof s.Sid === "string" ? s.Sid : undefined,
            Effect: String(s.Effect ?? "Allow"),
            Action: asList(s.Action as string | string[]).map(String),
            NotAction: asList(s.NotAction as string | string[]).map(String),
            Resource: asList(s.Resource as string | string[]).map(String),
            NotResource: asList(s.NotResource as string | string[]).map(String),
            Principal: principals(s.Principal),
            Condition: (s.Condition ?? {}) as Record<string, Record<string, unknown>>,
        })),
    };
}

function principals(value: unknown): string[] {
    if (value === undefined || value === null) {
        return [];
    }
    if (typeof value === "string") {
        return [value];
    }
    return Object.values(value as Record<string, unknown>).flatMap((v) => asList(v as string | string[]).map(String));
}

/** The label of a statement in messages. */
export function statementLabel(s: NormalStatement, index: number): string {
    return s.Sid ? `statement "${s.Sid}"` : `statement ${index + 1}`;
}

/** A Deny of every S3 action to everyone when aws:SecureTransport is false. */
export function isDenyInsecureTransport(s: NormalStatement): boolean {
    const secureTransportFalse = Object.entries(s.Condition).some(([op, conds]) => /^Bool(IfExists)?$/.test(op)
        && Object.entries(conds ?? {}).some(([key, v]) => key.toLowerCase() === "aws:securetransport" && asList(v as string | string[]).map(String).includes("false")));
    return s.Effect === "Deny" && s.Principal.includes("*")
        && s.Action.some((a) => a === "*" || a === "s3:*")
        && s.Resource.some((r) => r === "*" || r.endsWith("/*"))
        && secureTransportFalse;
}

/** True when an IAM action pattern is `*` or `service:*`. */
export function isWildcardAction(action: string): boolean {
    return action === "*" || /^[a-z0-9-]+:\*$/i.test(action);
}
