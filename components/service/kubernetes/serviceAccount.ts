import * as k8s from "@pulumi/kubernetes";
import { KubernetesContext } from "./context";

/** The pods' service account: it mounts no API token. */
export function serviceAccount(ctx: KubernetesContext): k8s.core.v1.ServiceAccount {
    return new k8s.core.v1.ServiceAccount(ctx.child("sa"), {
        metadata: ctx.meta(),
        automountServiceAccountToken: false,
    }, ctx.childOpts);
}
