import { cidrContainsAddress, formatIpv4, parseCidr, parseIpv4 } from '../../common/ipv4.js';
import { computeErrors } from '../compute-error.js';
import type { ComputeContext } from '../compute-context.js';
import type { ResourceRow } from '../store/resources.repository.js';

/**
 * Internal addresses of a subnetwork. Compute reserves four addresses of every primary range:
 * the network and gateway addresses (first two) and the last two. Addresses are held by live
 * `addresses` (their `address`) and live internal `forwardingRules` that did not name a reserved
 * address (their `IPAddress`).
 */
export function usableAddresses(ipCidrRange: string): { first: number; last: number } {
  const cidr = parseCidr(ipCidrRange)!;
  return { first: cidr.network + 2, last: cidr.network + cidr.size - 3 };
}

/** The addresses held in the subnetwork at `subnetPath`, with their holders' paths. */
export async function heldAddresses(ctx: ComputeContext, subnetPath: string, project: string, scope: string): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  const holders: ResourceRow[] = [
    ...(await ctx.repos.resources.live({ collection: 'addresses', project, scope }, ctx.now)),
    ...(await ctx.repos.resources.live({ collection: 'forwardingRules', project, scope }, ctx.now)),
  ];
  for (const row of holders) {
    if (row.body.subnetwork !== subnetPath) continue;
    const ip = row.collection === 'addresses' ? row.body.address : row.body.addressRef ? undefined : row.body.IPAddress;
    if (typeof ip === 'string') held.set(ip, `projects/${row.project}/${row.scope}/${row.collection}/${row.name}`);
  }
  return held;
}

/**
 * An address for a new holder in the subnetwork: `wanted` after checking it lies in the range,
 * outside the reserved addresses and free (409 IP in use otherwise), or the lowest free one
 * (400 ipSpaceExhausted when none is).
 */
export async function allocateAddress(ctx: ComputeContext, subnet: ResourceRow, wanted: string | undefined): Promise<string> {
  const range = String(subnet.body.ipCidrRange);
  const cidr = parseCidr(range)!;
  const { first, last } = usableAddresses(range);
  const subnetPath = `projects/${subnet.project}/${subnet.scope}/subnetworks/${subnet.name}`;
  const held = await heldAddresses(ctx, subnetPath, subnet.project, subnet.scope);
  if (wanted !== undefined) {
    const value = parseIpv4(wanted);
    if (value === undefined) throw computeErrors.invalidField('resource.address', wanted, 'Expected an IPv4 address.');
    if (!cidrContainsAddress(cidr, value) || value < first || value > last)
      throw computeErrors.invalidField('resource.address', wanted, `The address is not a usable address of subnetwork '${subnetPath}' (${range}).`);
    if (held.has(formatIpv4(value))) throw computeErrors.ipInUse(formatIpv4(value));
    return formatIpv4(value);
  }
  for (let value = first; value <= last; value++) {
    const text = formatIpv4(value);
    if (!held.has(text)) return text;
  }
  throw computeErrors.ipSpaceExhausted(subnetPath);
}
