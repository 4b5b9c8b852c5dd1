/**
 * Valid Fargate task sizes: CPU units mapped to the memory sizes (MiB) each accepts.
 * Source: the ECS developer guide's "Task CPU and memory" table.
 */
const range = (from: number, to: number, step: number): number[] => {
    const out: number[] = [];
    for (let m = from; m <= to; m += step) {
        out.push(m);
    }
    return out;
};

export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

/** True when Fargate accepts this CPU/memory pair. */
export function isValidFargateSize(cpu: number, memory: number): boolean {
    return FARGATE_SIZES[cpu]?.includes(memory) ?? false;
}

/** A readable list of the memory sizes a CPU size accepts, for error messages. */
export function describeFargateMemory(cpu: number): string {
    const sizes = FARGATE_SIZES[cpu];
    if (!sizes) {
        return `cpu one of ${Object.keys(FARGATE_SIZES).join(", ")}`;
    }
    return sizes.length <= 4 ? `for cpu ${cpu}: memory ${sizes.join(", ")}` : `for cpu ${cpu}: memory ${sizes[0]} to ${sizes[sizes.length - 1]} in steps of ${sizes[1] - sizes[0]}`;
}
