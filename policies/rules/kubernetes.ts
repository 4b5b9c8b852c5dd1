/** Kubernetes workloads (Pod Security Standards "restricted"), RBAC and Services. */
import { asList, Concern, resourceRule } from "../rule";
import facts from "../facts.generated.json";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes manifests of any shape
type Manifest = Record<string, any>;

/** Role and ClusterRole in every RBAC API version @pulumi/kubernetes ships. */
const RBAC_ROLE_TYPES = ["v1", "v1beta1", "v1alpha1"].flatMap((v) => [`kubernetes:rbac.authorization.k8s.io/${v}:Role`, `kubernetes:rbac.authorization.k8s.io/${v}:ClusterRole`]);

/** Where each workload kind keeps its pod spec (facts.generated.json: every API version @pulumi/kubernetes ships). */
const POD_PATHS: Record<string, (props: Manifest) => Manifest | undefined> = {
    template: (p) => p.spec?.template?.spec,
    jobTemplate: (p) => p.spec?.jobTemplate?.spec?.template?.spec,
    pod: (p) => p.spec,
};
const POD_SPEC: Record<string, (props: Manifest) => Manifest | undefined> = Object.fromEntries(
    Object.entries(facts.kubernetesWorkloads.podTemplate).map(([type, where]) => [type, POD_PATHS[where]]));
export const WORKLOAD_TYPES = Object.keys(POD_SPEC);

/** The pod spec of a workload (undefined when it has none). */
export function podSpecOf(type: string, props: Manifest): Manifest | undefined {
    return POD_SPEC[type]?.(props);
}

export interface Container {
    kind: string;
    name: string;
    spec: Manifest;
}

export function containersOf(pod: Manifest): Container[] {
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
    description: "RBAC Roles and ClusterRoles do not grant `*` verbs, resources or apiGroups.",
    why: "Wildcards grant every verb (including escalate, bind and impersonate) or every resource (including secrets), now and in future API versions.",
    remediationSteps: "List the exact verbs (get, list, watch...) and resources the subject needs.",
    concern: Concern.Kubernetes,
    enforcementLevel: "mandatory",
    severity: "high",
    types: RBAC_ROLE_TYPES,
    check: ({ props }) => (asList(props.rules) as Manifest[]).flatMap((rule, i) => [
        ...(asList(rule.verbs).includes("*") ? [`rules[${i}] grants verb "*"`] : []),
        ...(asList(rule.resources).includes("*") ? [`rules[${i}] grants resource "*"`] : []),
        ...(asList(rule.apiGroups).includes("*") ? [`rules[${i}] grants apiGroups "*"`] : []),
    ]),
});

/** Verbs that let a subject grant itself more than it has (Kubernetes RBAC "privilege escalation prevention"). */
const ESCALATING_VERBS = ["escalate", "bind", "impersonate"];

export const k8sRbacEscalation = resourceRule({
    name: "k8s-rbac-escalation",
    description: "RBAC Roles and ClusterRoles do not grant the escalate, bind or impersonate verbs.",
    why: "escalate lets a subject write roles with permissions it lacks, bind lets it bind any role to itself, impersonate lets it act as any user, group or service account: each is cluster-admin in a few steps.",
    remediationSteps: "Remove the verbs; if a controller truly needs bind or escalate, limit the rule with resourceNames to the exact roles and waive the resource with a reason.",
    concern: Concern.Kubernetes,
    enforcementLevel: "mandatory",
    severity: "critical",
    types: RBAC_ROLE_TYPES,
    check: ({ props }) => (asList(props.rules) as Manifest[]).flatMap((rule, i) => {
        const verbs = asList(rule.verbs).filter((v) => ESCALATING_VERBS.includes(String(v)));
        return verbs.length > 0 ? [`rules[${i}] grants ${verbs.join(", ")} on ${asList(rule.resources).join(", ") || "(no resources)"}`] : [];
    }),
});

export const k8sAutomountServiceAccountToken = resourceRule({
    name: "k8s-automount-sa-token",
    description: "Pods do not automount their service account token (automountServiceAccountToken: false).",
    why: "A mounted token lets any code in the pod, including an attacker's, call the Kubernetes API as the service account.",
    remediationSteps: "Set spec.template.spec.automountServiceAccountToken: false; a pod that calls the API mounts a projected token volume with a short expiry and an audience instead.",
    concern: Concern.Kubernetes,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: WORKLOAD_TYPES,
    check: onPod((pod) => pod.automountServiceAccountToken === false ? [] : ["automountServiceAccountToken is not false: the pod mounts a Kubernetes API token"]),
});

export const k8sDefaultServiceAccount = resourceRule({
    name: "k8s-default-service-account",
    description: "Pods run as a service account of their own, not the namespace's `default`.",
    why: "Every pod of the namespace that names no account shares `default`: a role bound to it for one workload is granted to all of them.",
    remediationSteps: "Create a ServiceAccount per workload (automountServiceAccountToken: false) and set serviceAccountName.",
    concern: Concern.Kubernetes,
    enforcementLevel: "mandatory",
    severity: "medium",
    types: WORKLOAD_TYPES,
    check: onPod((pod) => {
        const account = pod.serviceAccountName ?? pod.serviceAccount;
        return account === undefined || account === "default" ? [`the pod runs as the namespace's default service account${account === undefined ? " (no serviceAccountName)" : ""}`] : [];
    }),
});

export const k8sResourceRequests = resourceRule({
    name: "k8s-resource-requests",
    description: "Containers set CPU and memory requests explicitly.",
    why: "The scheduler places pods by their requests; without them (Kubernetes then copies the limits) pods are overcommitted or packed wrongly, and the autoscaler's utilisation has no baseline.",
    remediationSteps: "Set resources.requests.cpu and resources.requests.memory on every container (at or below the limits).",
    concern: Concern.Kubernetes,
    enforcementLevel: "advisory",
    severity: "low",
    types: WORKLOAD_TYPES,
    check: onPod((_pod, containers) => containers.filter((c) => c.kind !== "ephemeral container").flatMap((c) => {
        const requests: Manifest = c.spec.resources?.requests ?? {};
        const missing = ["cpu", "memory"].filter((k) => requests[k] === undefined);
        return missing.length > 0 ? [`${c.kind} "${c.name}" sets no ${missing.join(" or ")} request`] : [];
    })),
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

export const KUBERNETES_RULES = [
    k8sPodSecurityRestricted, k8sReadOnlyRootFilesystem, k8sResourceLimits, k8sRbacNoWildcards, k8sNoNodePort,
    k8sRbacEscalation, k8sAutomountServiceAccountToken, k8sDefaultServiceAccount, k8sResourceRequests,
];
