/**
 * IPv4 arithmetic for VPC and subnet CIDR blocks. Addresses are handled as unsigned 32-bit
 * numbers. Functions that parse return undefined for malformed input instead of throwing.
 */

/** A parsed CIDR block: first address, prefix length and size. */
export interface Cidr {
  readonly network: number;
  readonly prefix: number;
  readonly size: number;
}

/** Parses `a.b.c.d`; undefined when malformed. */
export function parseIpv4(text: string): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

/** Formats an unsigned 32-bit number as `a.b.c.d`. */
export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/** Parses `a.b.c.d/n`; undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  if (address === undefined || extra !== undefined || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const network = parseIpv4(address);
  if (network === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  if (network % size !== 0) return undefined;
  return { network, prefix, size };
}

/** Formats a CIDR block as text. */
export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.network >= outer.network && inner.network + inner.size <= outer.network + outer.size;
}

/** Whether the address lies inside the block. */
export function cidrContainsAddress(cidr: Cidr, address: number): boolean {
  return address >= cidr.network && address < cidr.network + cidr.size;
}

/** Whether two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network < b.network + b.size && b.network < a.network + a.size;
}

/**
 * The addresses of a subnet an interface may get: AWS reserves the first four (network, router,
 * DNS, future use) and the last (broadcast) of every subnet.
 */
export function usableRange(cidr: Cidr): { first: number; last: number; count: number } {
  const first = cidr.network + 4;
  const last = cidr.network + cidr.size - 2;
  return { first, last, count: Math.max(0, last - first + 1) };
}

/**
 * The lowest usable address of `cidr` not in `taken` (formatted addresses), or undefined when
 * the subnet is full.
 */
export function lowestFreeAddress(cidr: Cidr, taken: ReadonlySet<string>): string | undefined {
  const { first, last } = usableRange(cidr);
  for (let address = first; address <= last; address++) {
    const text = formatIpv4(address);
    if (!taken.has(text)) return text;
  }
  return undefined;
}
