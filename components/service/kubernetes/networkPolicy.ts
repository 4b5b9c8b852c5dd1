import * as k8s from "@pulumi/kubernetes";
import { KubernetesContext } from "./context";
import { KubernetesSpec } from "./spec";

const fromNamespace = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });

/** In only from the ingress controller (and Prometheus); out to the cluster DNS and `egress`. */
export function networkPolicy(ctx: KubernetesContext, spec: KubernetesSpec): k8s.networking.v1.NetworkPolicy {
    const ingressRules = [{ from: [fromNamespace(spec.controllerNamespace)], ports: [{ protocol: "TCP", port: spec.container.port }] }];
    if (spec.prometheus) {
        ingressRules.push({ from: [fromNamespace(spec.prometheus.namespace)], ports: [{ protocol: "TCP", port: spec.prometheus.port }] });
    }
    const egressRules = [
        // DNS to the cluster resolver, so the pods can resolve what egress allows.
        {
            to: [{ ...fromNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
        },
        // TCP only, as the rules mean on AWS: a port range (endPort) rather than every protocol.
        ...spec.egress.map((rule) => ({
            to: [{ ipBlock: { cidr: rule.cidr } }],
            ports: [{
                protocol: "TCP",
                port: Math.max(rule.fromPort, 1),
                ...(rule.toPort > Math.max(rule.fromPort, 1) ? { endPort: rule.toPort } : {}),
            }],
        })),
    ];
    return new k8s.networking.v1.NetworkPolicy(ctx.child("netpol"), {
        metadata: ctx.meta(),
        spec: {
            podSelector: { matchLabels: ctx.selector },
            policyTypes: ["Ingress", "Egress"],
            ingress: ingressRules,
            egress: egressRules,
        },
    }, ctx.childOpts);
}
