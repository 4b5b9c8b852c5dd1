// Moved to kubernetes/names.ts (KubernetesService's own room): kept so existing imports keep working.
export * from "./kubernetes/names";
