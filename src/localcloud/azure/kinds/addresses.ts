import { formatIpv4, lowestFreeAddress, parseCidr, parseIpv4, usableRange, cidrContainsAddress } from '../../common/ipv4.js';
import { armErrors } from '../arm-error.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { ArmContext } from './kind.js';

/**
 * Private IP addresses from subnets. Azure, like AWS, reserves the first four addresses and the
 * last one of every subnet ("Azure reserves the first four and last IP address for a total of 5
 * IP addresses within each subnet"), so Dynamic allocation starts at x.x.x.4.
 */

/** The subnet's first address prefix. */
export function subnetPrefix(subnet: ResourceRow): string {
  const props = subnet.properties;
  if (typeof props.addressPrefix === 'string') return props.addressPrefix;
  const list = props.addressPrefixes;
  return Array.isArray(list) && typeof list[0] === 'string' ? list[0] : '0.0.0.0/32';
}

/**
 * Gives `ownerKey` an address of `subnet`: `requested` (Static) when free and usable, else
 * `previous` when the owner held it before this write, else the lowest free one. Errors as Azure:
 * PrivateIPAddressNotInSubnet, PrivateIPAddressInReservedRange, PrivateIPAddressInUse, SubnetIsFull.
 */
export async function allocateAddress(ctx: ArmContext, subnet: ResourceRow, ownerKey: string, requested: string | undefined, previous: string | undefined): Promise<string> {
  const cidr = parseCidr(subnetPrefix(subnet));
  if (!cidr) throw armErrors.subnetFull(subnet.id);
  const taken = await ctx.repos.resources.takenAddresses(subnet.key);
  let address: string | undefined;
  if (requested !== undefined) {
    const value = parseIpv4(requested);
    if (value === undefined || !cidrContainsAddress(cidr, value)) throw armErrors.privateIpNotInSubnet(requested, subnet.id);
    const { first, last } = usableRange(cidr);
    if (value < first || value > last) throw armErrors.privateIpReserved(requested, subnet.id);
    address = formatIpv4(value);
    if (taken.has(address)) {
      const holder = await ctx.repos.resources.addressOwner(subnet.key, address);
      throw armErrors.privateIpInUse(address, holder ?? 'another resource');
    }
  } else if (previous !== undefined && !taken.has(previous) && parseIpv4(previous) !== undefined && cidrContainsAddress(cidr, parseIpv4(previous)!)) {
    address = previous;
  } else {
    address = lowestFreeAddress(cidr, taken);
    if (!address) throw armErrors.subnetFull(subnet.id);
  }
  await ctx.repos.resources.allocateAddress(subnet.key, address, ownerKey);
  return address;
}

/** Releases what `ownerKey` (and its children) hold and returns the old addresses by owner, so a re-PUT keeps them. */
export async function releaseForRewrite(ctx: ArmContext, ownerKey: string): Promise<Map<string, string>> {
  const held = await ctx.repos.resources.addressesOf(ownerKey);
  await ctx.repos.resources.releaseAddresses(ownerKey);
  return new Map(held.map((h) => [h.ownerKey, h.ip]));
}
