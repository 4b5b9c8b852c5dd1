// Enums more than one component's arguments use. A component re-exports the ones it takes, so
// `import { CpuArchitecture } from "scaling-toolkit"` keeps working wherever the enum lives.

/** CPU architecture of containers: the tasks a service runs, the images a pipeline builds. */
export enum CpuArchitecture {
    X86_64 = "X86_64",
    ARM64 = "ARM64",
}
