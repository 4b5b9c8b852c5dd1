import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CertManagerIssuerKind, IngressController } from "./args";
import { HTTP_PORT_NAME, KubernetesContext } from "./context";
import { NGINX_CANARY_ANNOTATION, NGINX_CANARY_WEIGHT_ANNOTATION } from "./rollout";
import { KubernetesSpec } from "./spec";

/** The HTTPS-only Ingress in front of the Service, with the TLS Secret (or cert-manager's). */
export function ingress(ctx: KubernetesContext, spec: KubernetesSpec, serviceName: pulumi.Input<string>): k8s.networking.v1.Ingress {
    return ingressFor(ctx, spec, serviceName, {
        ...httpsOnlyAnnotations(spec.controller),
        ...(spec.tls.issuer !== undefined
            ? { [spec.tls.issuerKind === CertManagerIssuerKind.ClusterIssuer ? "cert-manager.io/cluster-issuer" : "cert-manager.io/issuer"]: spec.tls.issuer }
            : {}),
        ...spec.ingressAnnotations,
    });
}

/**
 * The canary Ingress (ingress-nginx): the same class, host, path and TLS as the main one, its
 * backend the canary's Service, `canary: "true"` and `canary-weight` percent of the requests.
 * ingress-nginx ignores the other annotations of a canary Ingress (they come from the main one),
 * so it carries no others; the TLS entry keeps it HTTPS-only on its own. It depends on the canary's
 * Deployment, so it is created after the pods are ready and deleted (on promotion) before them.
 */
export function canaryIngress(ctx: KubernetesContext, spec: KubernetesSpec, serviceName: pulumi.Input<string>, weight: number, pods: pulumi.Resource): k8s.networking.v1.Ingress {
    const annotations = { [NGINX_CANARY_ANNOTATION]: "true", [NGINX_CANARY_WEIGHT_ANNOTATION]: String(weight) };
    return ingressFor(ctx, spec, serviceName, annotations, { ...ctx.childOpts, dependsOn: [...asArray(ctx.childOpts.dependsOn), pods] });
}

function asArray(dependsOn: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    return dependsOn === undefined ? [] : Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}

function ingressFor(ctx: KubernetesContext, spec: KubernetesSpec, serviceName: pulumi.Input<string>, annotations: Record<string, string>,
    opts: pulumi.CustomResourceOptions = ctx.childOpts): k8s.networking.v1.Ingress {
    const hosts = spec.domainName !== undefined ? [spec.domainName] : undefined;
    return new k8s.networking.v1.Ingress(ctx.child("ingress"), {
        metadata: ctx.meta({ annotations }),
        spec: {
            ingressClassName: spec.ingressClassName,
            tls: [{ hosts, secretName: spec.tls.secretName }],
            rules: [{
                host: spec.domainName,
                http: {
                    paths: [{
                        path: "/",
                        pathType: "Prefix",
                        backend: { service: { name: serviceName, port: { name: HTTP_PORT_NAME } } },
                    }],
                },
            }],
        },
    }, opts);
}

/** The address the Ingress's load balancer got, once known. */
export function ingressAddress(ing: k8s.networking.v1.Ingress): pulumi.Output<string> {
    return ing.status.apply((s) => {
        const lb = s?.loadBalancer?.ingress?.[0];
        return lb?.hostname ?? lb?.ip ?? "(pending)";
    });
}

/** Annotations that make the controller serve the Ingress over HTTPS only. */
function httpsOnlyAnnotations(controller: IngressController): Record<string, string> {
    switch (controller) {
        case IngressController.Traefik:
            return { "traefik.ingress.kubernetes.io/router.entrypoints": "websecure", "traefik.ingress.kubernetes.io/router.tls": "true" };
        case IngressController.Nginx:
        default:
            return { "nginx.ingress.kubernetes.io/ssl-redirect": "true", "nginx.ingress.kubernetes.io/force-ssl-redirect": "true" };
    }
}
