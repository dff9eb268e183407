import type { CloudName } from './cloud-name.js';
import { parseIpv4 } from './ipv4.js';

/**
 * The mapping from private network addresses to the loopback addresses the local data plane
 * listens on and dials. Every network (AWS VPC, Azure VNet, GCP VPC network) has a stable slot
 * n (1, 2, …) inside its emulator's range; a private IP of that network maps to
 * `127.<range.base + n>.<third octet>.<fourth octet>`. Networks are at most /16 (AWS allows no
 * larger VPC; the other emulators refuse larger address spaces), so the low 16 bits of an
 * address are unique inside its network and the mapping is unique overall — provided the
 * emulators' ranges are disjoint, which loopbackRanges guarantees.
 */

/** The second octets an emulator may use: slot n (1..maxSlot) is `127.<base + n>.0.0/16`. */
export interface LoopbackRange {
  readonly base: number;
  readonly maxSlot: number;
}

/**
 * Each emulator's range for the configured `loopbackBase` (1..254), disjoint by construction:
 * AWS keeps `127.<loopbackBase + 1 … 255>` (its addresses do not depend on which other emulators
 * run); Azure takes the lower half of `127.<1 … loopbackBase - 1>` and GCP the upper half.
 * `127.0.x.x` (the host itself) and `127.<loopbackBase>.x.x` belong to no network.
 *
 * @example loopbackRanges(100) // AWS 101..255, AZURE 1..49, GCP 50..99
 */
export function loopbackRanges(loopbackBase: number): Readonly<Record<CloudName, LoopbackRange>> {
  if (!Number.isInteger(loopbackBase) || loopbackBase < 0 || loopbackBase > 254) {
    throw new RangeError(`loopbackBase must be an integer in 0..254, got ${loopbackBase}`);
  }
  const below = Math.max(0, loopbackBase - 1);
  const azure = Math.floor(below / 2);
  return {
    AWS: { base: loopbackBase, maxSlot: 255 - loopbackBase },
    AZURE: { base: 0, maxSlot: azure },
    GCP: { base: azure, maxSlot: below - azure },
  };
}

/** The second octet of slot `slot` in `range`. Throws RangeError when the slot does not fit. */
export function loopbackOctet(range: LoopbackRange, slot: number): number {
  if (!Number.isInteger(range.base) || range.base < 0 || range.base + range.maxSlot > 255) {
    throw new RangeError(`Loopback range ${range.base}+${range.maxSlot} does not fit 127.0.0.0/8`);
  }
  if (!Number.isInteger(slot) || slot < 1 || slot > range.maxSlot) {
    throw new RangeError(`Network slot ${slot} does not fit loopback base ${range.base} (at most ${range.maxSlot} slots)`);
  }
  return range.base + slot;
}

/**
 * The loopback address for `privateIp` in the network with `slot`. Pure. Throws RangeError for a
 * malformed address, a slot below 1, or a slot that does not fit the range.
 *
 * @example loopbackAddress({ base: 0, maxSlot: 255 }, 1, '172.31.16.5') === '127.1.16.5'
 */
export function loopbackAddress(range: LoopbackRange, slot: number, privateIp: string): string {
  const address = parseIpv4(privateIp);
  if (address === undefined) throw new RangeError(`Not an IPv4 address: ${privateIp}`);
  return `127.${loopbackOctet(range, slot)}.${(address >>> 8) & 255}.${address & 255}`;
}
