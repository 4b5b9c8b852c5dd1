/**
 * The facts the deploy checks use, as extracted by `npm run facts:deploy` (scripts/deploy-facts.ts)
 * from their sources into facts.json, which ships in the package beside this module.
 */
import data from "./facts.json";

export type Kind = "s" | "n" | "b" | "a" | "o" | "m" | "x" | "*";

/** A rule on one input of one resource type. */
export interface ValueRule {
    type: string;
    property: string;
    /** The physical name: when absent, Pulumi's auto-name `<name>-<7 hex>` is predicted and checked. */
    physicalName?: boolean;
    minLength?: number;
    maxLength?: number;
    min?: number;
    max?: number;
    /** The whole value must match (JavaScript, `u` flag). */
    pattern?: string;
    /** Extra patterns the value must (`must`) or must not (`mustNot`) match, with what they say. */
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
