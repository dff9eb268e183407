import { createHash } from 'node:crypto';
import {
  indexedBy,
  type DataPlaneSnapshot,
  type SnapshotEndpoint,
  type SnapshotLoadBalancer,
  type SnapshotNetwork,
  type SnapshotPort,
  type SnapshotService,
} from '../common/data-plane-snapshot.js';
import { formatCidr, formatIpv4, parseCidr, parseIpv4, type Cidr } from '../common/ipv4.js';
import { routed } from '../gateway/routed.js';
import { securityGroupsNamed } from '../gateway/security-groups.js';

/**
 * The kernel data plane's picture of the host, made from a data-plane snapshot (pure: the same
 * snapshot and options give the same plan, text for text). Each customer network (AWS VPC, Azure
 * VNet, GCP VPC network) is a Linux network namespace; a process run in it (`privlink localcloud
 * exec`) has one address of the network (`clientAddress`) and reaches, at their real private
 * addresses, the endpoint interfaces of its own network and of the networks a routed path
 * (peering, see `routed`) leads to, and the network's DNS resolver. Nothing else: every other
 * packet is refused in the namespace.
 *
 * The namespace's side of the link is `eth0`; the host's side (`vethName`) has `HOST_LINK_ADDRESS`.
 * In the namespace the endpoint's security groups decide (the packet's source against their
 * inbound rules, every packet, so a connection stops when its endpoint stops forwarding) and the
 * source is then translated to the namespace's own `linkAddress` (unique on the host, so answers
 * find their way back although customer networks overlap). On the host the packet's destination
 * is translated: straight to a load balancer's targets, round robin, when the port sends no PROXY
 * header and every target is a loopback address (the kernel carries the bytes); else to the
 * loopback gateway's listener of that interface and port, which adds the header with the
 * endpoint's TLV (as in the loopback data plane). DNS to the resolver goes to privlink's private
 * DNS. The host accepts nothing else from the namespaces, and routes nothing from or to them.
 *
 * Every value written into a script is parsed and printed again (addresses, blocks, ports) or
 * made here (names from hashes): nothing of the snapshot's text reaches nftables as it is.
 */
export interface KernelPlanOptions {
  /** This privlink's mark on the host's names (`instanceTag`): several privlinks share a host. */
  readonly tag: string;
  /** The private DNS server's port on 127.0.0.1. */
  readonly dnsPort: number;
}

export interface NamespacePlan {
  readonly name: string;
  readonly networkId: string;
  /** The host side of the link. */
  readonly vethName: string;
  /** The namespace's address on the link, unique on the host: what the host sees as the source. */
  readonly linkAddress: string;
  /** The address of the network a process in the namespace has. */
  readonly clientAddress: string;
  /** The network's DNS resolver as the cloud places it (AWS the block's base + 2, also answered at 169.254.169.253; Azure 168.63.129.16; GCP 169.254.169.254). */
  readonly resolverAddress: string;
  /** The namespace's nftables script (replaces its table whole). */
  readonly script: string;
}

export interface KernelPlan {
  readonly namespaces: ReadonlyMap<string, NamespacePlan>;
  /** The host's nftables script (replaces this privlink's table whole). */
  readonly hostScript: string;
}

/** The host side's address on every link (a namespace routes everything to it). */
export const HOST_LINK_ADDRESS = '100.64.0.1';
/** The link addresses: 100.64.0.0/10 (shared address space, RFC 6598). */
const LINK_BASE = 0x64400000;
/** The namespace's table and link interface. */
export const NAMESPACE_TABLE = 'privlink';
export const NAMESPACE_LINK = 'eth0';

/** This privlink's mark: five hex digits of its data directory's hash. */
export function instanceTag(dataDir: string): string {
  return hash(`privlink ${dataDir}`).slice(0, 5);
}

/** The namespace of a network (its id compared case-insensitively, as ARM ids are). */
export function namespaceName(tag: string, networkId: string): string {
  return `privlink-${tag}-${hash(networkId.toLowerCase()).slice(0, 8)}`;
}

/** The prefix of every namespace of this privlink. */
export function namespacePrefix(tag: string): string {
  return `privlink-${tag}-`;
}

/** The host table of this privlink. */
export function hostTable(tag: string): string {
  return `privlink_${tag}`;
}

/** The prefix of the host side of every link of this privlink (interface names have at most 15 characters). */
export function vethPrefix(tag: string): string {
  return `pk${tag}`;
}

export function kernelPlan(snapshot: DataPlaneSnapshot, options: KernelPlanOptions): KernelPlan {
  const networks = cloudNetworks(snapshot);
  const services = indexedBy(snapshot.services, byServiceId);
  const balancers = indexedBy(snapshot.loadBalancers, byBalancerId);
  // The forwarding endpoints by network, and the networks each reaches: a namespace looks at its own and theirs only.
  const forwarding = new Map<string, SnapshotEndpoint[]>();
  for (const endpoint of snapshot.endpoints) {
    if (!endpoint.forwarding) continue;
    const mine = forwarding.get(endpoint.networkId);
    if (mine) mine.push(endpoint);
    else forwarding.set(endpoint.networkId, [endpoint]);
  }
  const reaches = new Map<string, Set<string>>();
  for (const path of snapshot.reach ?? []) {
    const to = reaches.get(path.fromNetworkId);
    if (to) to.add(path.toNetworkId);
    else reaches.set(path.fromNetworkId, new Set([path.toNetworkId]));
  }
  const namespaces = new Map<string, NamespacePlan>();
  const hostRules: string[] = [];
  const dnat: string[] = [];
  const hostChains: string[] = [];
  const targetChains = new Map<string, string>();
  for (const [networkId, blocks] of networks) {
    const name = namespaceName(options.tag, networkId);
    const netHash = hash(networkId.toLowerCase());
    const vethName = `${vethPrefix(options.tag)}${netHash.slice(0, 8)}`;
    const linkAddress = formatIpv4((LINK_BASE | ((parseInt(hash(`${options.tag} ${networkId.toLowerCase()}`).slice(0, 6), 16) & 0x1fffff || 1) << 1)) >>> 0);
    const first = blocks[0]!;
    const block = parseCidr(first.cidrBlock)!;
    const clientAddress = formatIpv4((block.network + block.size - 2) >>> 0);
    const resolvers = resolversOf(first, block);
    const resolverAddress = resolvers[0]!;
    // What a process of this network reaches: the forwarding endpoints of its own network and of those a routed path leads to.
    const allow = new Map<string, string>();
    const chains: string[] = [];
    const allowChains = new Map<string, string>();
    const reachable = [networkId, ...[...(reaches.get(networkId) ?? [])].filter((id) => id !== networkId)];
    for (const endpoint of reachable.flatMap((id) => forwarding.get(id) ?? [])) {
      const service = services.get(endpoint.serviceId)?.[0];
      if (!service) continue;
      for (const eni of endpoint.networkInterfaces) {
        const eniIp = parseIpv4(eni.privateIp);
        if (eniIp === undefined) continue;
        if (endpoint.networkId !== networkId && !routed(snapshot, networkId, clientAddress, endpoint.networkId, eni.privateIp)) continue;
        for (const lb of service.loadBalancerIds.flatMap((id) => balancers.get(id) ?? []).filter((b) => b.active)) {
          for (const port of lb.ports) {
            const key = `${formatIpv4(eniIp)} . ${port.port}`;
            if (allow.has(key)) continue;
            const sources = allowedSources(snapshot, endpoint, port.port);
            const sourcesKey = sources.join(', ');
            let chain = allowChains.get(sourcesKey);
            if (!chain) {
              chain = `allow_${allowChains.size}`;
              allowChains.set(sourcesKey, chain);
              chains.push(`  chain ${chain} {`, ...(sources.length > 0 ? [`    ip saddr { ${sourcesKey} } accept`] : []), '    meta l4proto tcp reject with tcp reset', '  }');
            }
            allow.set(key, chain);
            const to = kernelTargets(port, service) ?? [`${eni.loopbackAddress} . ${port.port}`];
            const toKey = to.join(', ');
            let target = targetChains.get(toKey);
            if (!target) {
              target = `to_${targetChains.size}`;
              targetChains.set(toKey, target);
              hostChains.push(
                `  chain ${target} {`,
                to.length === 1
                  ? `    meta l4proto tcp dnat to ${to[0]!.replace(' . ', ':')}`
                  : `    meta l4proto tcp dnat to numgen inc mod ${to.length} map { ${to.map((t, i) => `${i} : ${t}`).join(', ')} }`,
                '  }',
              );
            }
            dnat.push(`"${vethName}" . ${key} : jump ${target}`);
          }
        }
      }
    }
    for (const resolver of resolvers) {
      hostRules.push(
        `    iifname "${vethName}" ip daddr ${resolver} udp dport 53 dnat to 127.0.0.1:${options.dnsPort}`,
        `    iifname "${vethName}" ip daddr ${resolver} tcp dport 53 dnat to 127.0.0.1:${options.dnsPort}`,
      );
    }
    const script = [
      `table ip ${NAMESPACE_TABLE}`,
      `delete table ip ${NAMESPACE_TABLE}`,
      `table ip ${NAMESPACE_TABLE} {`,
      '  chain out {',
      '    type filter hook output priority filter; policy accept;',
      `    oifname != "${NAMESPACE_LINK}" accept`,
      `    ip daddr { ${resolvers.join(', ')} } meta l4proto { tcp, udp } th dport 53 accept`,
      ...(allow.size > 0 ? [`    ip daddr . tcp dport vmap { ${[...allow].map(([key, chain]) => `${key} : jump ${chain}`).join(', ')} }`] : []),
      '    meta l4proto tcp reject with tcp reset',
      '    reject',
      '  }',
      ...chains,
      '  chain post {',
      '    type nat hook postrouting priority srcnat; policy accept;',
      `    oifname "${NAMESPACE_LINK}" snat to ${linkAddress}`,
      '  }',
      '}',
      '',
    ].join('\n');
    namespaces.set(name, { name, networkId, vethName, linkAddress, clientAddress, resolverAddress, script });
  }
  const table = hostTable(options.tag);
  const hostScript = [
    `table ip ${table}`,
    `delete table ip ${table}`,
    `table ip ${table} {`,
    '  chain pre {',
    '    type nat hook prerouting priority dstnat; policy accept;',
    ...(dnat.length > 0 ? [`    iifname . ip daddr . tcp dport vmap { ${dnat.join(', ')} }`] : []),
    ...hostRules,
    '  }',
    ...hostChains,
    '  chain in {',
    '    type filter hook input priority filter; policy accept;',
    `    iifname "${vethPrefix(options.tag)}*" ct status dnat accept`,
    `    iifname "${vethPrefix(options.tag)}*" drop`,
    '  }',
    // Nor does it route a namespace's packets anywhere (a host that forwards, Docker's for one).
    '  chain forward {',
    '    type filter hook forward priority filter; policy accept;',
    `    iifname "${vethPrefix(options.tag)}*" drop`,
    `    oifname "${vethPrefix(options.tag)}*" drop`,
    '  }',
    '}',
    '',
  ].join('\n');
  return { namespaces, hostScript };
}

const byBalancerId = (lb: SnapshotLoadBalancer) => lb.loadBalancerId;
const byServiceId = (service: SnapshotService) => service.serviceId;

/** The cloud networks of the picture (on-premises networks have no namespace), each with its blocks in the picture's order. */
function cloudNetworks(snapshot: DataPlaneSnapshot): Map<string, SnapshotNetwork[]> {
  const networks = new Map<string, SnapshotNetwork[]>();
  for (const network of snapshot.networks) {
    if (network.kind === 'on-premises' || !parseCidr(network.cidrBlock)) continue;
    const blocks = networks.get(network.networkId);
    if (blocks) blocks.push(network);
    else networks.set(network.networkId, [network]);
  }
  return networks;
}

/**
 * Where the kernel sends a port's connections itself: its targets' loopback addresses, when it
 * sends no PROXY header and every target has one; undefined when the gateway must carry them.
 */
function kernelTargets(port: SnapshotPort, service: SnapshotService): string[] | undefined {
  if (port.proxyProtocol || service.proxyProtocol || port.targets.length === 0) return undefined;
  const to: string[] = [];
  for (const target of port.targets) {
    const address = parseIpv4(target.loopbackAddress ?? target.id);
    if (address === undefined || address >>> 24 !== 127 || !Number.isInteger(target.port) || target.port < 1 || target.port > 65535) return undefined;
    to.push(`${formatIpv4(address)} . ${target.port}`);
  }
  return to;
}

/** The source blocks the endpoint's security groups admit on this TCP port (AWS semantics: any rule of any group; rules naming a group match no process here). */
function allowedSources(snapshot: DataPlaneSnapshot, endpoint: SnapshotEndpoint, port: number): string[] {
  const blocks = new Set<string>();
  for (const group of securityGroupsNamed(snapshot, endpoint.securityGroupIds)) {
    for (const rule of group.ingress) {
      if (rule.ipProtocol !== '-1' && rule.ipProtocol !== 'tcp') continue;
      if (rule.fromPort !== null && rule.toPort !== null && (port < rule.fromPort || port > rule.toPort)) continue;
      const cidr = rule.cidrIpv4 ? parseCidr(rule.cidrIpv4) : undefined;
      if (cidr) blocks.add(formatCidr(cidr));
    }
  }
  return [...blocks].sort();
}

/** The network's DNS resolver as the cloud places it, the one a namespace's resolver file names first. */
function resolversOf(network: SnapshotNetwork, block: Cidr): string[] {
  // Azure: "the virtual public IP address 168.63.129.16"; GCP: the metadata server 169.254.169.254.
  if (network.cloud === 'AZURE') return ['168.63.129.16'];
  if (network.cloud === 'GCP') return ['169.254.169.254'];
  // AWS: the Route 53 Resolver "is located at 169.254.169.253 (IPv4) … and at the primary
  // private IPV4 CIDR range provisioned to your VPC plus two".
  return [formatIpv4((block.network + 2) >>> 0), '169.254.169.253'];
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
