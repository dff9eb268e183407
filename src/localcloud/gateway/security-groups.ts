import { indexedBy, type DataPlaneSnapshot, type SnapshotNetwork, type SnapshotSecurityGroup } from '../common/data-plane-snapshot.js';
import { cidrContainsAddress, formatIpv4, parseCidr, parseIpv4 } from '../common/ipv4.js';

/**
 * Where a connection comes from, in the local cloud's terms: a loopback address
 * `127.<loopbackOctet>.x.y` is the private IP `x.y` (low 16 bits) of the network with that
 * octet, whichever cloud it belongs to; any other address is outside every network (the host
 * itself, like an on-premises network) and is matched by its own value.
 */
export function sourceOf(snapshot: DataPlaneSnapshot, address: string): { networkId?: string; ip: string } {
  const plain = address.replace(/^::ffff:/, '');
  const value = parseIpv4(plain);
  if (value === undefined || value >>> 24 !== 127) return { ip: plain };
  const octet = (value >>> 16) & 255;
  const network = indexedBy(snapshot.networks, byLoopbackOctet).get(String(octet))?.[0];
  const cidr = network && parseCidr(network.cidrBlock);
  if (!network || !cidr) return { ip: plain };
  const ip = ((cidr.network & 0xffff0000) | (value & 0xffff)) >>> 0;
  return cidrContainsAddress(cidr, ip) ? { networkId: network.networkId, ip: formatIpv4(ip) } : { ip: plain };
}

const byLoopbackOctet = (network: SnapshotNetwork) => String(network.loopbackOctet);
const byGroupId = (group: SnapshotSecurityGroup) => group.groupId;

/** The snapshot's security groups with these ids. */
export function securityGroupsNamed(snapshot: DataPlaneSnapshot, groupIds: readonly string[]): SnapshotSecurityGroup[] {
  const index = indexedBy(snapshot.securityGroups, byGroupId);
  return [...new Set(groupIds)].flatMap((id) => index.get(id) ?? []);
}

/**
 * Security-group check of inbound traffic (allow-only rules, any matching rule of any attached
 * group allows: AWS semantics, and the snapshot's contract for every cloud). A rule matches on protocol (`-1` all, or `tcp`), port range, and
 * source CIDR. Rules that reference a security group match no client here: clients of the local
 * cloud are processes, not network interfaces in a group (docs/localcloud-aws.md).
 */
export function securityGroupsAllow(groups: readonly SnapshotSecurityGroup[], sourceIp: string, protocol: 'tcp', port: number): boolean {
  const source = parseIpv4(sourceIp);
  if (source === undefined) return false;
  return groups.some((group) =>
    group.ingress.some((rule) => {
      if (rule.ipProtocol !== '-1' && rule.ipProtocol !== protocol) return false;
      if (rule.fromPort !== null && rule.toPort !== null && (port < rule.fromPort || port > rule.toPort)) return false;
      const cidr = rule.cidrIpv4 ? parseCidr(rule.cidrIpv4) : undefined;
      return cidr !== undefined && cidrContainsAddress(cidr, source);
    }),
  );
}
