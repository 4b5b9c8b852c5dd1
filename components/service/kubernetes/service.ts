import * as k8s from "@pulumi/kubernetes";
import { HTTP_PORT_NAME, KubernetesContext } from "./context";

/** The ClusterIP Service: port 80 to the container's `http` port. */
export function service(ctx: KubernetesContext): k8s.core.v1.Service {
    return new k8s.core.v1.Service(ctx.child("service"), {
        metadata: ctx.meta(),
        spec: {
            type: "ClusterIP",
            selector: ctx.selector,
            ports: [{ name: HTTP_PORT_NAME, port: 80, targetPort: HTTP_PORT_NAME, protocol: "TCP" }],
        },
    }, ctx.childOpts);
}
