// The shared service arguments moved to spec.ts (the platform-neutral service spec): kept so
// existing imports keep working.
export {
    AutoscalingArgs,
    checkNonRootUser,
    definedOnly,
    EgressRuleArgs,
    HealthCheckArgs,
    ResolvedAutoscaling,
    ResolvedHealthCheck,
    ResolvedServiceArgs,
    resolveServiceArgs,
    SERVICE_DEFAULTS,
    ServiceCommonArgs,
} from "./spec";
