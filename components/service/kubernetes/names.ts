/**
 * Kubernetes value formats the KubernetesService validates before creating anything: object names
 * (DNS-1123 / DNS-1035), label keys and values, and resource quantities such as `250m` or `512Mi`.
 */

/** DNS-1123 label: namespaces and most object names. */
export const DNS1123_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1035 label: Service names (must start with a letter). */
export const DNS1035_LABEL = /^(?=.{1,63}$)[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: Secret, IngressClass and cert-manager issuer names. */
export const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const LABEL_NAME = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?=.{0,63}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** A label (or annotation) key: an optional DNS subdomain prefix and `/`, then a name. */
export function isLabelKey(key: string): boolean {
    const slash = key.lastIndexOf("/");
    if (slash < 0) {
        return LABEL_NAME.test(key);
    }
    return DNS1123_SUBDOMAIN.test(key.slice(0, slash)) && LABEL_NAME.test(key.slice(slash + 1));
}

/** A label value: empty, or up to 63 alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric. */
export function isLabelValue(value: string): boolean {
    return LABEL_VALUE.test(value);
}

const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const MULTIPLIER: Record<string, number> = {
    "": 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A parsed, non-negative Kubernetes quantity. */
export interface Quantity {
    /** The value in base units (cores for CPU, bytes for memory). */
    value: number;
    /** The suffix as written (`m`, `Mi`, `e3`...), empty for none. */
    suffix: string;
}

/**
 * Parses a Kubernetes quantity (`250m`, `0.5`, `512Mi`, `1G`, `1e3`); undefined when malformed.
 * Signs are refused: no resource quantity the toolkit sets may be negative.
 */
export function parseQuantity(text: string): Quantity | undefined {
    const m = QUANTITY.exec(text);
    if (!m) {
        return undefined;
    }
    const suffix = m[2] ?? "";
    const multiplier = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : MULTIPLIER[suffix];
    return { value: Number(m[1]) * multiplier, suffix };
}

/** CPU units of 1/1024 vCPU (the shared `cpu` argument) as a Kubernetes millicore quantity. */
export function cpuUnitsToQuantity(units: number): string {
    return `${Math.max(1, Math.round((units * 1000) / 1024))}m`;
}

/** MiB (the shared `memory` argument) as a Kubernetes quantity. */
export function mebibytesToQuantity(mib: number): string {
    return `${mib}Mi`;
}
