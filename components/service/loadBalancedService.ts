// The module LoadBalancedService lived in before it was split into service/aws/ (one file per
// concern): kept so existing imports keep working.
export * from "./aws";
