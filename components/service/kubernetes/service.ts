import * as k8s from "@pulumi/kubernetes";
import { HTTP_PORT_NAME, KubernetesContext, METRICS_PORT_NAME } from "./context";
import { metricsServicePort, SERVICE_HTTP_PORT } from "./monitoring";
import { KubernetesSpec } from "./spec";

/**
 * The ClusterIP Service: port 80 to the container's `http` port and, when the metrics have a port
 * of their own, that port to the container's `metrics` port (what a ServiceMonitor scrapes).
 */
export function service(ctx: KubernetesContext, spec: KubernetesSpec): k8s.core.v1.Service {
    const ports = [{ name: HTTP_PORT_NAME, port: SERVICE_HTTP_PORT, targetPort: HTTP_PORT_NAME, protocol: "TCP" }];
    if (metricsServicePort(spec) === METRICS_PORT_NAME) {
        ports.push({ name: METRICS_PORT_NAME, port: spec.prometheus!.port, targetPort: METRICS_PORT_NAME, protocol: "TCP" });
    }
    return new k8s.core.v1.Service(ctx.child("service"), {
        metadata: ctx.meta(),
        spec: {
            type: "ClusterIP",
            selector: ctx.selector,
            ports,
        },
    }, ctx.childOpts);
}
