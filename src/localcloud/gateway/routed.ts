import type { DataPlaneSnapshot } from '../common/data-plane-snapshot.js';
import { cidrContainsAddress, parseCidr, parseIpv4 } from '../common/ipv4.js';

/**
 * Whether a host at `sourceIp` in network `fromNetworkId` has a routed path (snapshot `reach`) to
 * `destinationIp` in network `toNetworkId`: some path between the two networks covers both
 * addresses. Reach is not transitive, so only direct paths count. Pure.
 */
export function routed(snapshot: DataPlaneSnapshot, fromNetworkId: string, sourceIp: string, toNetworkId: string, destinationIp: string): boolean {
  const source = parseIpv4(sourceIp);
  const destination = parseIpv4(destinationIp);
  if (source === undefined || destination === undefined) return false;
  return (snapshot.reach ?? []).some((path) => {
    if (path.fromNetworkId !== fromNetworkId || path.toNetworkId !== toNetworkId) return false;
    const from = parseCidr(path.fromCidr);
    const to = parseCidr(path.toCidr);
    return from !== undefined && to !== undefined && cidrContainsAddress(from, source) && cidrContainsAddress(to, destination);
  });
}
