/**
 * The facts the deploy checks use, as extracted by `npm run facts:deploy` (scripts/deploy-facts.ts)
 * from their sources into facts.json, which ships in the package beside this module.
 */
import data from "./facts.json";

export type Kind = "s" | "n" | "b" | "a" | "o" | "m" | "x" | "*";

export interface ValueRule {
    type: string;
    property: string;
    physicalName?: boolean;
    minLength?: number;
    maxLength?: number;
    min?: number;
    max?: number;
    pattern?: string;
    must?: { pattern: string; says: string }[];
    mustNot?: { pattern: string; says: string }[];
    enum?: string[];
    source: string;
}

export interface TagRule {
    keyMax?: number;
    valueMax?: number;
    keyPattern?: string;
    valuePattern?: string;
    maxTags?: number;
    source: string;
}

export interface DeployFacts {
    sources: { provider: string; awsApiModels: string; awsApiModelFiles: Record<string, string>; terraform: string; postgres: string };
    regions: { values: string[]; source: string };
    schema: { types: Record<string, { p: Record<string, Kind>; r: string[] }>; source: string };
    autonaming: {
        default: { property: string; maxLength: number; separator: string; randomHex: number };
        overrides: Record<string, { property: string; maxLength: number; separator: string }>;
        source: string;
    };
    values: ValueRule[];
    /** Provider module (or `module/type`) to the AWS API service it calls. */
    services: Record<string, string>;
    tags: { global: TagRule & { reservedPrefix: string }; services: Record<string, TagRule> };
    fargate: { pairs: Record<string, number[]>; source: string };
    crossField: Record<"multiAzNeedsFailover" | "failoverNeedsTwoNodes" | "authTokenNeedsTransitEncryption" | "backupWindowOutsideMaintenance"
        | "staticParameterPendingReboot" | "fargateNeedsTaskSize" | "serviceTargetGroupNeedsListener", string>;
    postgresStaticParameters: { parameters: string[]; source: string };
}

export const FACTS = data as unknown as DeployFacts;

/** The AWS API service a resource type calls (`aws:cloudwatch/logGroup:LogGroup` -> `logs`). */
export function serviceOf(type: string): string | undefined {
    const [, modulePath] = type.split(":");
    const [mod, member] = modulePath.split("/");
    return FACTS.services[`${mod}/${member}`] ?? FACTS.services[mod];
}
