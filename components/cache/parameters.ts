import * as aws from "@pulumi/aws";
import { childName } from "../common/naming";
import { ClusterMode } from "./args";
import { CacheContext } from "./context";

/** The engine parameters: the cache defaults, then the caller's overrides. */
export function cacheParameters(clusterMode: ClusterMode, overrides: Record<string, string> = {}): Record<string, string> {
    return {
        "maxmemory-policy": "allkeys-lru",
        ...overrides,
        "cluster-enabled": clusterMode === ClusterMode.Enabled ? "yes" : "no",
    };
}

/** A parameter group of the engine's family: evict least-recently-used keys (a cache holds copies), mode-matched. */
export function parameterGroup({ spec, kit }: CacheContext): aws.elasticache.ParameterGroup {
    return new aws.elasticache.ParameterGroup(childName(spec.name, "params"), {
        family: spec.parameterFamily,
        description: `Parameters of the ${spec.name} cache`,
        parameters: Object.entries(cacheParameters(spec.clusterMode, spec.parameters))
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([parameter, value]) => ({ name: parameter, value })),
        tags: kit.tags,
    }, kit.childOpts);
}
