// The module KubernetesService lived in before it was split into service/kubernetes/ (one file per
// concern): kept so existing imports keep working.
export * from "./kubernetes";
