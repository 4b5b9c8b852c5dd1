import * as pulumi from "@pulumi/pulumi";
import { ComponentContext, typeToken } from "../../common/component";
import { publish } from "../../common/publish";
import { serviceUrl } from "../spec";
import { KubernetesServiceArgs } from "./args";
import { autoscaler } from "./autoscaler";
import { canary } from "./canary";
import { dependingOn, kubernetesContext } from "./context";
import { deployment } from "./deployment";
import { disruptionBudget } from "./disruptionBudget";
import { ingress, ingressAddress } from "./ingress";
import { monitoring } from "./monitoring";
import { namespace } from "./namespace";
import { networkPolicy } from "./networkPolicy";
import { service } from "./service";
import { serviceAccount } from "./serviceAccount";
import { COMPONENT, resolveKubernetesSpec } from "./spec";

export * from "./args";
export { PrometheusSloMetrics } from "../../slo/kubernetes";
export { matcherWithin200To399, parseSecretKeyReference } from "./spec";

/**
 * The load-balanced service on any conformant Kubernetes cluster (EKS or other): a Deployment
 * hardened to the Pod Security Standards `restricted` profile, a ClusterIP Service behind an
 * HTTPS-only Ingress, a HorizontalPodAutoscaler, a PodDisruptionBudget and a NetworkPolicy that
 * admits only the ingress controller; optionally a weighted canary on ingress-nginx, and a
 * ServiceMonitor and the SLOs' PrometheusRule for the Prometheus Operator. The cluster is the caller's: pass a `k8s.Provider` in the
 * resource options (`provider` or `providers`).
 */
export class KubernetesService extends pulumi.ComponentResource {
    /** Name of the Kubernetes Service (and of the Deployment). */
    public readonly serviceName!: pulumi.Output<string>;
    /** Namespace the objects live in. */
    public readonly namespace!: pulumi.Output<string>;
    /** `https://` URL: the domain name, else the Ingress's load balancer address. */
    public readonly url!: pulumi.Output<string>;

    constructor(name: string, args: KubernetesServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = resolveKubernetesSpec(name, args);
        super(typeToken(COMPONENT), name, {}, opts);
        const base = kubernetesContext(name, new ComponentContext(this, COMPONENT, args), spec);
        const ns = namespace(base, spec);
        const ctx = dependingOn(base, ns ? [ns] : []);

        const account = serviceAccount(ctx);
        const pods = deployment(ctx, spec, account.metadata.name);
        const svc = service(ctx, spec);
        const ing = ingress(ctx, spec, svc.metadata.name);
        autoscaler(ctx, spec, pods.metadata.name);
        disruptionBudget(ctx, spec);
        networkPolicy(ctx, spec);
        canary(ctx, spec, account.metadata.name);
        monitoring(ctx, spec);

        publish<KubernetesService>(this, {
            serviceName: svc.metadata.name,
            namespace: svc.metadata.namespace,
            url: serviceUrl(spec, ingressAddress(ing)),
        });
    }
}
