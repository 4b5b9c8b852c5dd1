/** The containers of ECS task definitions and Kubernetes workloads, in one shape for the rules that read images and environments. */
import { asList } from "../rule";
import { containersOf, podSpecOf, WORKLOAD_TYPES } from "./kubernetes";

export const TASK_DEFINITION_TYPE = "aws:ecs/taskDefinition:TaskDefinition";
export const CONTAINER_TYPES = [TASK_DEFINITION_TYPE, ...WORKLOAD_TYPES];

export interface ContainerView {
    /** `container "api"`, `init container "migrate"`. */
    who: string;
    image?: string;
    /** Plain-value environment variables (not secrets references). */
    env: { name: string; value: string }[];
}

function parseDefinitions(value: unknown): Record<string, unknown>[] {
    if (typeof value !== "string") {
        return asList(value as Record<string, unknown>[]);
    }
    try {
        return asList(JSON.parse(value) as Record<string, unknown>[]);
    } catch {
        return [];
    }
}

/** The containers of a task definition or workload; [] for other types. */
export function containerViews(type: string, props: Record<string, unknown>): ContainerView[] {
    if (type === TASK_DEFINITION_TYPE) {
        return parseDefinitions(props.containerDefinitions).filter((c) => c && typeof c === "object").map((c) => ({
            who: `container "${String(c.name)}"`,
            image: typeof c.image === "string" ? c.image : undefined,
            env: (asList(c.environment as Record<string, unknown>[])).map((e) => ({ name: String(e?.name ?? ""), value: String(e?.value ?? "") })),
        }));
    }
    const pod = podSpecOf(type, props);
    return pod ? containersOf(pod).map((c) => ({
        who: `${c.kind} "${c.name}"`,
        image: typeof c.spec.image === "string" ? c.spec.image : undefined,
        env: (asList(c.spec.env) as Record<string, unknown>[]).filter((e) => e && e.value !== undefined && e.valueFrom === undefined)
            .map((e) => ({ name: String(e.name ?? ""), value: String(e.value) })),
    })) : [];
}
