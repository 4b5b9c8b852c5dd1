import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HTTP_PORT_NAME, METRICS_PORT_NAME } from "./context";
import { metricsServicePort } from "./monitoring";
import { parseSecretKeyReference, KubernetesSpec } from "./spec";

type Container = k8s.types.input.core.v1.Container;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type Probe = k8s.types.input.core.v1.Probe;

/** Seconds between startup probes: the startup tolerance is a whole number of them. */
export const STARTUP_PROBE_PERIOD_SECONDS = 5;

/** The service's one container, hardened to the `restricted` profile. */
export function container(spec: KubernetesSpec): Container {
    const c = spec.container;
    const ports = [{ name: HTTP_PORT_NAME, containerPort: c.port, protocol: "TCP" }];
    if (metricsServicePort(spec) === METRICS_PORT_NAME) {
        ports.push({ name: METRICS_PORT_NAME, containerPort: spec.prometheus!.port, protocol: "TCP" });
    }
    return {
        name: c.name,
        image: c.image,
        imagePullPolicy: "IfNotPresent",
        ...(c.command !== undefined ? { args: c.command } : {}),
        ports,
        env: environment(spec),
        resources: {
            requests: { cpu: spec.resources.cpuRequest, memory: spec.resources.memoryRequest },
            limits: { cpu: spec.resources.cpuLimit, memory: spec.resources.memoryLimit },
        },
        securityContext: {
            runAsNonRoot: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        ...probes(spec),
        lifecycle: spec.preStopDelaySeconds > 0 ? { preStop: { sleep: { seconds: spec.preStopDelaySeconds } } } : undefined,
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

/** Plain variables, then secrets as `secretKeyRef`s, each sorted by name as the spec sorted them. */
function environment(spec: KubernetesSpec): pulumi.Output<EnvVar[]> {
    const secrets = spec.container.secrets.map((s) => pulumi.output(s.reference).apply((reference): EnvVar => {
        const ref = parseSecretKeyReference(reference);
        if (ref === undefined) {
            throw new Error(`KubernetesService "${spec.name}": secrets.${s.name} resolved to a value that is not "<secret-name>/<key>"`);
        }
        return { name: s.name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
    }));
    return pulumi.all([spec.container.environment, pulumi.all(secrets)]).apply(([plain, secret]): EnvVar[] => [...plain, ...secret]);
}

/**
 * Startup, readiness and liveness on the health path. The startup probe allows the startup
 * tolerance (the shared `startupTimeoutSeconds`); readiness and liveness take the health check.
 */
function probes(spec: KubernetesSpec): { startupProbe: Probe; readinessProbe: Probe; livenessProbe: Probe } {
    const hc = spec.healthCheck;
    const httpGet = { path: hc.path, port: HTTP_PORT_NAME, scheme: "HTTP" };
    return {
        startupProbe: {
            httpGet,
            periodSeconds: STARTUP_PROBE_PERIOD_SECONDS,
            timeoutSeconds: Math.min(hc.timeoutSeconds, STARTUP_PROBE_PERIOD_SECONDS - 1),
            successThreshold: 1,
            failureThreshold: Math.ceil(spec.startupToleranceSeconds / STARTUP_PROBE_PERIOD_SECONDS),
        },
        readinessProbe: {
            httpGet,
            periodSeconds: hc.intervalSeconds,
            timeoutSeconds: hc.timeoutSeconds,
            successThreshold: hc.healthyThreshold,
            failureThreshold: hc.unhealthyThreshold,
        },
        livenessProbe: {
            httpGet,
            periodSeconds: hc.intervalSeconds,
            timeoutSeconds: hc.timeoutSeconds,
            // Kubernetes requires 1 for liveness; restarts need more failures than unreadiness.
            successThreshold: 1,
            failureThreshold: hc.unhealthyThreshold * 2,
        },
    };
}
