import { parseIpv4 } from './ipv4.js';

/**
 * The mapping from VPC private addresses to loopback addresses that the local data plane listens
 * on. Every VPC has a stable slot n (1, 2, …); a private IP of that VPC maps to
 * `127.<loopbackBase + n>.<third octet>.<fourth octet>`. AWS VPCs are at most /16, so the low
 * 16 bits of an address are unique inside its VPC and the mapping is unique overall.
 */

/** The highest VPC slot that still fits in the second octet for this base. */
export function maxVpcSlot(loopbackBase: number): number {
  return 255 - loopbackBase;
}

/**
 * The loopback address for `privateIp` in the VPC with `vpcSlot`. Pure. Throws RangeError for a
 * malformed address, a slot below 1, or a slot that does not fit (see maxVpcSlot).
 *
 * @example loopbackAddress(0, 1, '172.31.16.5') === '127.1.16.5'
 */
export function loopbackAddress(loopbackBase: number, vpcSlot: number, privateIp: string): string {
  const address = parseIpv4(privateIp);
  if (address === undefined) throw new RangeError(`Not an IPv4 address: ${privateIp}`);
  if (!Number.isInteger(loopbackBase) || loopbackBase < 0 || loopbackBase > 254) {
    throw new RangeError(`loopbackBase must be an integer in 0..254, got ${loopbackBase}`);
  }
  if (!Number.isInteger(vpcSlot) || vpcSlot < 1 || vpcSlot > maxVpcSlot(loopbackBase)) {
    throw new RangeError(`VPC slot ${vpcSlot} does not fit loopback base ${loopbackBase}`);
  }
  return `127.${loopbackBase + vpcSlot}.${(address >>> 8) & 255}.${address & 255}`;
}
