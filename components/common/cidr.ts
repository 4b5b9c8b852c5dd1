/** IPv4 CIDR arithmetic for carving subnet tiers out of a VPC block. */

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    base: number;
    prefix: number;
}

const PRIVATE_BLOCKS: Cidr[] = [parseCidrStrict("10.0.0.0/8"), parseCidrStrict("172.16.0.0/12"), parseCidrStrict("192.168.0.0/16")];

/** Parses `a.b.c.d/n`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    if ((base & hostMask(prefix)) !== 0) {
        return undefined;
    }
    return { base, prefix };
}

function parseCidrStrict(text: string): Cidr {
    const c = parseCidr(text);
    if (!c) {
        throw new Error(`bad CIDR constant ${text}`);
    }
    return c;
}

function hostMask(prefix: number): number {
    return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

export function formatCidr(c: Cidr): string {
    const b = c.base;
    return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

/** True when `inner` lies entirely within `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && ((inner.base & ~hostMask(outer.prefix)) >>> 0) === outer.base;
}

/** True when the block lies inside one of the RFC 1918 private ranges. */
export function isPrivate(c: Cidr): boolean {
    return PRIVATE_BLOCKS.some((p) => contains(p, c));
}

/**
 * The `index`-th subnet of `parent` with `newBits` more prefix bits (Terraform's `cidrsubnet`).
 */
export function subnet(parent: Cidr, newBits: number, index: number): Cidr {
    const prefix = parent.prefix + newBits;
    if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
        throw new RangeError(`cannot take subnet ${index} of /${prefix} from ${formatCidr(parent)}`);
    }
    return { base: (parent.base + index * 2 ** (32 - prefix)) >>> 0, prefix };
}
