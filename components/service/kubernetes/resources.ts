import { Validator } from "../../common/validation";
import { cpuUnitsToQuantity, mebibytesToQuantity, parseQuantity } from "./names";
import { KubernetesResourcesArgs } from "./args";

/** Requests and limits as Kubernetes quantities. */
export interface ResolvedResources {
    cpuRequest: string;
    cpuLimit: string;
    memoryRequest: string;
    memoryLimit: string;
}

/** Resolves and validates requests and limits: well-formed, positive, limits at least the requests. */
export function checkResources(v: Validator, given: KubernetesResourcesArgs | undefined, cpu: number, memory: number): ResolvedResources {
    const cpuRequest = given?.cpuRequest ?? cpuUnitsToQuantity(cpu);
    const memoryRequest = given?.memoryRequest ?? mebibytesToQuantity(memory);
    const out: ResolvedResources = {
        cpuRequest,
        cpuLimit: given?.cpuLimit ?? cpuRequest,
        memoryRequest,
        memoryLimit: given?.memoryLimit ?? memoryRequest,
    };
    const cpuOk = (arg: string, q: string) => {
        const parsed = parseQuantity(q);
        v.check(parsed !== undefined && parsed.value >= 0.001, `resources.${arg}`, q, "a CPU quantity of at least 1m, such as \"250m\" or \"0.5\"");
        return parsed?.value;
    };
    const req = cpuOk("cpuRequest", out.cpuRequest);
    const lim = given?.cpuLimit !== undefined ? cpuOk("cpuLimit", out.cpuLimit) : req;
    if (req !== undefined && lim !== undefined) {
        v.check(lim >= req, "resources.cpuLimit", out.cpuLimit, `at least the CPU request (${out.cpuRequest})`);
    }
    const memReq = checkMemoryQuantity(v, "resources.memoryRequest", out.memoryRequest);
    const memLim = given?.memoryLimit !== undefined ? checkMemoryQuantity(v, "resources.memoryLimit", out.memoryLimit) : memReq;
    if (memReq !== undefined && memLim !== undefined) {
        v.check(memLim >= memReq, "resources.memoryLimit", out.memoryLimit, `at least the memory request (${out.memoryRequest})`);
    }
    return out;
}

/** A memory quantity of at least 4Mi, refusing the classic `512m` (0.512 bytes) mistake. */
export function checkMemoryQuantity(v: Validator, argument: string, text: string): number | undefined {
    const parsed = parseQuantity(text);
    const ok = parsed !== undefined && !["m", "u", "n"].includes(parsed.suffix) && parsed.value >= 4 * 2 ** 20;
    v.check(ok, argument, text, "a memory quantity of at least 4Mi, such as \"512Mi\" or \"1Gi\" (\"m\" means milli-bytes)");
    return parsed?.value;
}
