/** Kubernetes workloads (Pod Security Standards "restricted"), RBAC and Services. */
import { asList, Concern, resourceRule } from "../rule";
import facts from "../facts.generated.json";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests of any shape
type Manifest = Record<string, any>;

/** Where each workload kind keeps its pod spec (facts.generated.json: every API version @pulumi/kubernetes ships). */
const POD_PATHS: Record<string, (props: Manifest) => Manifest | undefined> = {
    template: (p) => p.spec?.template?.spec,
    jobTemplate: (p) => p.spec?.jobTemplate?.spec?.template?.spec,
    pod: (p) => p.spec,
};
const POD_SPEC: Record<string, (props: Manifest) => Manifest | undefined> = Object.fromEntries(
    Object.entries(facts.kubernetesWorkloads.podTemplate).map(([type, where]) => [type, POD_PATHS[where]]));
export const WORKLOAD_TYPES = Object.keys(POD_SPEC);

interface Container {
    kind: string;
    name: string;
    spec: Manifest;
}

function containersOf(pod: Manifest): Container[] {
    return [
        ...(asList(pod.initContainers) as Manifest[]).map((c) => ({ kind: "init container", name: String(c.name), spec: c })),
        ...(asList(pod.containers) as Manifest[]).map((c) => ({ kind: "container", name: String(c.name), spec: c })),
        ...(asList(pod.ephemeralContainers) as Manifest[]).map((c) => ({ kind: "ephemeral container", name: String(c.name), spec: c })),
    ];
}

/** Runs `check` on the pod spec of a workload; a workload without a pod spec is reported. */
function onPod(check: (pod: Manifest, containers: Container[]) => string[]) {
    return ({ type, props }: { type: string; props: Manifest }) => {
        const pod = POD_SPEC[type](props);
        return pod ? check(pod, containersOf(pod)) : ["the workload has no pod template spec"];
    };
}

export const k8sPodSecurityRestricted = resourceRule({
    name: "k8s-pod-security-restricted",
    description: "Workloads meet the Pod Security Standards \"restricted\" profile.",
    why: "Privileged, root or host-sharing containers turn a compromised application into a compromised node and cluster.",
    remediationSteps: "Set securityContext: runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [\"ALL\"], seccompProfile.type: RuntimeDefault; no privileged, hostNetwork/hostPID/hostIPC, hostPath volumes or hostPorts.",
    concern: Concern.Kubernetes,
    enforcementLevel: "mandatory",
    severity: "high",
    types: WORKLOAD_TYPES,
    check: onPod((pod, containers) => {
        const problems: string[] = [];
        for (const host of ["hostNetwork", "hostPID", "hostIPC"]) {
            if (pod[host] === true) {
                problems.push(`${host} is true`);
            }
        }
        for (const volume of asList(pod.volumes) as Manifest[]) {
            if (volume.hostPath !== undefined) {
                problems.push(`volume "${volume.name}" is a hostPath`);
            }
        }
        const podContext: Manifest = pod.securityContext ?? {};
        for (const c of containers) {
            const ctx: Manifest = c.spec.securityContext ?? {};
            const who = `${c.kind} "${c.name}"`;
            if (ctx.privileged === true) {
                problems.push(`${who} is privileged`);
            }
            if (ctx.allowPrivilegeEscalation !== false) {
                problems.push(`${who} does not set allowPrivilegeEscalation: false`);
            }
            if ((ctx.runAsNonRoot ?? podContext.runAsNonRoot) !== true) {
                problems.push(`${who} does not set runAsNonRoot: true`);
            }
            if ((ctx.runAsUser ?? podContext.runAsUser) === 0) {
                problems.push(`${who} runs as UID 0`);
            }
            const caps: Manifest = ctx.capabilities ?? {};
            if (!asList(caps.drop).includes("ALL")) {
                problems.push(`${who} does not drop ALL capabilities`);
            }
            const added = asList(caps.add).filter((cap) => cap !== "NET_BIND_SERVICE");
            if (added.length > 0) {
                problems.push(`${who} adds capabilities ${added.join(", ")}`);
            }
            const seccomp = (ctx.seccompProfile ?? podContext.seccompProfile)?.type;
            if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") {
                problems.push(`${who} has no seccompProfile RuntimeDefault (or Localhost)`);
            }
            for (const port of asList(c.spec.ports) as Manifest[]) {
                if (port.hostPort !== undefined && port.hostPort !== 0) {
                    problems.push(`${who} uses hostPort ${port.hostPort}`);
                }
            }
        }
        return problems;
    }),
});

export const k8sReadOnlyRootFilesystem = resourceRule({
    name: "k8s-read-only-root-filesystem",
    description: "Containers run with a read-only root file system.",
    why: "A writable root file system lets an attacker drop tools and modify binaries in the running container.",
    remediationSteps: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir at the paths the application writes (e.g. /tmp).",
    concern: Concern.Kubernetes,
    enforcementLevel: "advisory",
    severity: "medium",
    types: WORKLOAD_TYPES,
    check: onPod((_pod, containers) => containers.filter((c) => c.spec.securityContext?.readOnlyRootFilesystem !== true)
        .map((c) => `${c.kind} "${c.name}" has a writable root file system`)),
});

export const k8sResourceLimits = resourceRule({
    name: "k8s-resource-limits",
    description: "Containers set CPU and memory limits.",
    why: "A container without limits can starve every other pod on its node (noisy neighbour, or a memory leak taking the node down).",
    remediationSteps: "Set resources.limits.cpu and resources.limits.memory (and requests) on every container.",
    concern: Concern.Kubernetes,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: WORKLOAD_TYPES,
    check: onPod((_pod, containers) => containers.filter((c) => c.kind !== "ephemeral container").flatMap((c) => {
        const limits: Manifest = c.spec.resources?.limits ?? {};
        const missing = ["cpu", "memory"].filter((k) => limits[k] === undefined);
        return missing.length > 0 ? [`${c.kind} "${c.name}" sets no ${missing.join(" or ")} limit`] : [];
    })),
});

export const k8sRbacNoWildcards = resourceRule({
    name: "k8s-rbac-no-wildcards",
    description: "RBAC Roles and ClusterRoles do not grant `*` verbs or resources.",
    why: "Wildcards grant every verb (including escalate, bind and impersonate) or every resource (including secrets), now and in future API versions.",
    remediationSteps: "List the exact verbs (get, list, watch...) and resources the subject needs.",
    concern: Concern.Kubernetes,
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"],
    check: ({ props }) => (asList(props.rules) as Manifest[]).flatMap((rule, i) => [
        ...(asList(rule.verbs).includes("*") ? [`rules[${i}] grants verb "*"`] : []),
        ...(asList(rule.resources).includes("*") ? [`rules[${i}] grants resource "*"`] : []),
    ]),
});

export const k8sNoNodePort = resourceRule({
    name: "k8s-no-nodeport",
    description: "Services are not of type NodePort.",
    why: "A NodePort opens the port on every node, bypassing the ingress and its TLS, usually reachable from far more than intended.",
    remediationSteps: "Use type ClusterIP behind an Ingress (or a LoadBalancer Service with restricted loadBalancerSourceRanges).",
    concern: Concern.Kubernetes,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["kubernetes:core/v1:Service"],
    check: ({ props }) => props.spec?.type === "NodePort" ? ["spec.type is NodePort"] : [],
});

export const KUBERNETES_RULES = [k8sPodSecurityRestricted, k8sReadOnlyRootFilesystem, k8sResourceLimits, k8sRbacNoWildcards, k8sNoNodePort];
