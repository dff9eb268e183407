import type { SnapshotSecurityRule } from '../common/data-plane-snapshot.js';
import { cidrContainsAddress, parseCidr, parseIpv4 } from '../common/ipv4.js';
import type { GcpFirewallView } from './view-model.js';

/** All traffic from anywhere: what a PSC endpoint admits when no egress rule of its network concerns it. */
export const ALLOW_ALL: readonly SnapshotSecurityRule[] = [{ ipProtocol: '-1', fromPort: null, toPort: null, cidrIpv4: '0.0.0.0/0', referencedGroupId: null }];

/** An inclusive port interval. */
type Ports = readonly [number, number];

const ALL_PORTS: readonly Ports[] = [[1, 65535]];

/**
 * What the VPC firewall of `network` lets clients in that network send to a Private Service
 * Connect endpoint at `destinationIp`, as the allow list the data-plane snapshot takes (TCP, from
 * anywhere: the clients are the network's). GCP applies a consumer network's **egress** rules to
 * traffic towards its PSC endpoints (ingress rules concern VMs, and the endpoint is none):
 *
 * - rules of `network` with direction EGRESS, not disabled, whose `destinationRanges` cover the
 *   endpoint's address, and without `targetTags` (a tagged rule applies to tagged VMs only; the
 *   local cloud's clients are processes and carry no tags);
 * - evaluated as Compute does: the lowest `priority` number first, a deny before an allow of equal
 *   priority; the first rule that matches a port decides it;
 * - then the implied rule "allow all egress" (priority 65535) decides every port left.
 *
 * So an EGRESS deny for `tcp` (or `all`) covering the endpoint blocks connections to its ports
 * unless an allow of higher precedence admits them. Protocols other than TCP are not carried by
 * the local data plane and are not listed. Without any applicable rule the result is ALLOW_ALL.
 * Pure.
 */
export function pscEgressAllowRules(firewalls: readonly GcpFirewallView[], network: string, destinationIp: string): SnapshotSecurityRule[] {
  const address = parseIpv4(destinationIp);
  const rules = firewalls
    .filter((f) => f.network === network && f.direction === 'EGRESS' && !f.disabled && f.targetTags.length === 0)
    .filter((f) => address !== undefined && coversDestination(f.destinationRanges, address))
    .sort((a, b) => a.priority - b.priority || (a.action === b.action ? 0 : a.action === 'deny' ? -1 : 1));
  if (rules.length === 0) return [...ALLOW_ALL];
  let undecided: Ports[] = [...ALL_PORTS];
  const allowed: Ports[] = [];
  for (const rule of rules) {
    const covered = tcpPortsOf(rule);
    if (covered.length === 0) continue;
    if (rule.action === 'allow') allowed.push(...intersect(undecided, covered));
    undecided = subtract(undecided, covered);
  }
  allowed.push(...undecided); // the implied allow-all egress rule
  return merge(allowed).map(([fromPort, toPort]) => ({ ipProtocol: 'tcp', fromPort, toPort, cidrIpv4: '0.0.0.0/0', referencedGroupId: null }));
}

function coversDestination(ranges: readonly string[], address: number): boolean {
  // Compute stores 0.0.0.0/0 for an egress rule without destination ranges; an empty list means the same.
  if (ranges.length === 0) return true;
  return ranges.some((range) => {
    const cidr = parseCidr(range.includes('/') ? range : `${range}/32`);
    return cidr !== undefined && cidrContainsAddress(cidr, address);
  });
}

/** The TCP ports a rule's `[{IPProtocol, ports}]` names (`tcp`/`6` with its ports, or every port; `all` every port). */
function tcpPortsOf(rule: GcpFirewallView): Ports[] {
  const out: Ports[] = [];
  for (const entry of rule.rules) {
    const protocol = entry.IPProtocol.toLowerCase();
    if (protocol === 'all') out.push(...ALL_PORTS);
    else if (protocol === 'tcp' || protocol === '6') {
      if (entry.ports.length === 0) out.push(...ALL_PORTS);
      for (const text of entry.ports) {
        const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
        if (!match) continue;
        const from = Number(match[1]);
        const to = Number(match[2] ?? match[1]);
        if (from <= to && to <= 65535) out.push([Math.max(1, from), to]);
      }
    }
  }
  return merge(out);
}

function merge(list: readonly Ports[]): Ports[] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = out.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

function intersect(a: readonly Ports[], b: readonly Ports[]): Ports[] {
  const out: Ports[] = [];
  for (const [af, at] of a) for (const [bf, bt] of b) if (Math.max(af, bf) <= Math.min(at, bt)) out.push([Math.max(af, bf), Math.min(at, bt)]);
  return merge(out);
}

function subtract(a: readonly Ports[], b: readonly Ports[]): Ports[] {
  let rest: Ports[] = [...a];
  for (const [bf, bt] of b) {
    rest = rest.flatMap(([f, t]): Ports[] => {
      if (bt < f || bf > t) return [[f, t]];
      const left: Ports[] = f < bf ? [[f, bf - 1]] : [];
      const right: Ports[] = t > bt ? [[bt + 1, t]] : [];
      return [...left, ...right];
    });
  }
  return rest;
}
