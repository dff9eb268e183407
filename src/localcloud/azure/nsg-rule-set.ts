import type { SnapshotSecurityRule } from '../common/data-plane-snapshot.js';
import { cidrContainsAddress, parseCidr, parseIpv4 } from '../common/ipv4.js';
import type { AzureNetworkSecurityGroupView, AzureSecurityRuleView } from './view-model.js';

/** All traffic from anywhere: what a private endpoint admits when NSGs do not apply to it. */
export const ALLOW_ALL: readonly SnapshotSecurityRule[] = [{ ipProtocol: '-1', fromPort: null, toPort: null, cidrIpv4: '0.0.0.0/0', referencedGroupId: null }];

/**
 * Whether a subnet's NSG applies to the private endpoints in it. Azure: "By default, network
 * policies are disabled for a subnet in a virtual network. To use network policies like
 * user-defined routes and network security group support, network policy support must be enabled
 * for the subnet" (`privateEndpointNetworkPolicies` `Enabled` or `NetworkSecurityGroupEnabled`;
 * `RouteTableEnabled` enables routes only).
 */
export function nsgAppliesToPrivateEndpoints(privateEndpointNetworkPolicies: string): boolean {
  const policy = privateEndpointNetworkPolicies.toLowerCase();
  return policy === 'enabled' || policy === 'networksecuritygroupenabled';
}

const ANYWHERE = new Set(['*', 'any', 'internet', '0.0.0.0/0']);

/**
 * The inbound rules of `nsg` for traffic to `destinationIp` in a VNet with `vnetPrefixes`, as an
 * allow list (the data-plane snapshot's rule sets are allow-only). Rules are taken by priority, as
 * Azure evaluates them, followed by Azure's default `AllowVnetInBound` (65000: VirtualNetwork to
 * VirtualNetwork, any port). Prefixes: `*`, `Any`, `Internet` and `0.0.0.0/0` are anywhere;
 * `VirtualNetwork` is the VNet's address space; a CIDR or an address is itself; other service
 * tags (`AzureLoadBalancer`, …) match no client of the local cloud and are skipped. A rule whose
 * destination does not cover the endpoint's address does not apply to it.
 *
 * Deny rules: one that denies every source, port and protocol (e.g. a custom "deny all inbound")
 * ends the list, so the Allow rules and defaults below it admit nothing, as in Azure. A narrower
 * Deny rule is not modelled: Allow rules below it still admit what it would have refused
 * (docs/decisions.md). Pure.
 */
export function nsgInboundAllowRules(nsg: AzureNetworkSecurityGroupView, vnetPrefixes: readonly string[], destinationIp: string): SnapshotSecurityRule[] {
  const out: SnapshotSecurityRule[] = [];
  const defaults: AzureSecurityRuleView = {
    name: 'AllowVnetInBound',
    priority: 65000,
    direction: 'Inbound',
    access: 'Allow',
    protocol: '*',
    sourceAddressPrefixes: ['VirtualNetwork'],
    destinationAddressPrefixes: ['VirtualNetwork'],
    sourcePortRanges: ['*'],
    destinationPortRanges: ['*'],
  };
  const rules = [...nsg.securityRules.filter((r) => r.direction === 'Inbound'), defaults].sort((a, b) => a.priority - b.priority);
  for (const rule of rules) {
    if (!coversDestination(rule.destinationAddressPrefixes, vnetPrefixes, destinationIp)) continue;
    const protocol = ipProtocolOf(rule.protocol);
    if (protocol === undefined) continue;
    if (rule.access === 'Deny') {
      const everyone = rule.sourceAddressPrefixes.some((p) => ANYWHERE.has(p.toLowerCase()));
      const everyPort = rule.destinationPortRanges.some((p) => p === '*');
      if (everyone && everyPort && (protocol === '-1' || protocol === 'tcp')) break;
      continue;
    }
    const sources = rule.sourceAddressPrefixes.flatMap((p) => sourceCidrs(p, vnetPrefixes));
    const ports = rule.destinationPortRanges.flatMap((p) => portRange(p));
    for (const cidrIpv4 of sources) for (const [fromPort, toPort] of ports) out.push({ ipProtocol: protocol, fromPort, toPort, cidrIpv4, referencedGroupId: null });
  }
  return out;
}

function ipProtocolOf(protocol: string): string | undefined {
  const p = protocol.toLowerCase();
  if (p === '*') return '-1';
  return ['tcp', 'udp', 'icmp'].includes(p) ? p : undefined;
}

function sourceCidrs(prefix: string, vnetPrefixes: readonly string[]): string[] {
  const p = prefix.trim();
  if (ANYWHERE.has(p.toLowerCase())) return ['0.0.0.0/0'];
  if (p.toLowerCase() === 'virtualnetwork') return [...vnetPrefixes];
  if (parseCidr(p)) return [p];
  if (parseIpv4(p) !== undefined) return [`${p}/32`];
  return [];
}

function coversDestination(prefixes: readonly string[], vnetPrefixes: readonly string[], destinationIp: string): boolean {
  const address = parseIpv4(destinationIp);
  if (address === undefined) return false;
  return prefixes.some((prefix) => sourceCidrs(prefix, vnetPrefixes).some((cidr) => cidrContainsAddress(parseCidr(cidr)!, address)));
}

/** `*` → all ports (null, null); `n` → n..n; `a-b` → a..b; anything else → none. */
function portRange(range: string): Array<[number | null, number | null]> {
  const r = range.trim();
  if (r === '*') return [[null, null]];
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(r);
  if (!match) return [];
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  return from <= to && to <= 65535 ? [[from, to]] : [];
}
