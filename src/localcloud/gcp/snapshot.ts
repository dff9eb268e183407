import type {
  DataPlaneSnapshot,
  SnapshotEndpoint,
  SnapshotLoadBalancer,
  SnapshotNetwork,
  SnapshotNetworkInterface,
  SnapshotPort,
  SnapshotSecurityGroup,
  SnapshotService,
  SnapshotTarget,
} from '../common/data-plane-snapshot.js';
import { cidrContainsAddress, formatCidr, parseCidr, parseIpv4, type Cidr } from '../common/ipv4.js';
import { loopbackAddress, loopbackOctet, type LoopbackRange } from '../common/loopback.js';
import { ALLOW_ALL, pscEgressAllowRules } from './firewall-rule-set.js';
import type { GcpInternalLoadBalancerView, GcpNetworkView, GcpSubnetworkView, GcpView } from './view-model.js';

/** A subnetwork placed on loopback: its slot and the block (at most /16) that maps. */
interface PlacedSubnet {
  readonly network: GcpNetworkView;
  readonly subnet: GcpSubnetworkView;
  readonly slot: number;
  readonly block: Cidr;
}

/**
 * The block of a subnetwork that loopback maps: its primary range, clipped to its first /16 when
 * larger (Compute accepts /8 to /29; loopback carries 16 bits per slot). Addresses of a larger
 * range beyond its first /16 get no loopback address (docs/localcloud-gcp.md). Undefined when the
 * range does not parse.
 */
export function mappedSubnetBlock(subnet: Pick<GcpSubnetworkView, 'ipCidrRange'>): Cidr | undefined {
  const cidr = parseCidr(subnet.ipCidrRange);
  if (!cidr || cidr.prefix >= 16) return cidr;
  return { network: cidr.network, prefix: 16, size: 65536 };
}

/**
 * Maps the Compute emulation's read model to the neutral data-plane snapshot (cloud `GCP`), given
 * each subnetwork's loopback slot (keyed by subnetwork path; store/loopback-slots.repository.ts):
 *
 * - Subnetworks with a slot → networks. A VPC network has no range of its own, so each of its
 *   subnetworks is one entry with its own octet, all sharing the network's path as `networkId`
 *   (so a client anywhere in the VPC counts as in the endpoint's network).
 * - Internal forwarding rules (producer side) → load balancers (`loadBalancerId` = the rule's
 *   path, one interface at its IP), ports from its backend service's endpoint groups: a
 *   GCE_VM_IP_PORTMAP endpoint serves its `clientDestinationPort` and forwards to `ipAddress:port`
 *   (only client ports the rule forwards: all with `allPorts`); other endpoints serve each port of
 *   the rule's `ports` at their own port (else the group's default port, else the same port), or,
 *   with `allPorts`, their own port. Endpoints serving one port are its targets (round robin). A
 *   target inside a placed subnetwork of the rule's network is dialled at its loopback address;
 *   any other (a simulated node on 127.0.0.1) as it is. `proxyProtocol` is the
 *   `enableProxyProtocol` of the service attachment fronting the rule.
 * - Service attachments → services (serviceId = serviceName = the attachment's path,
 *   loadBalancerIds = [its target rule], acceptanceRequired with ACCEPT_MANUAL).
 * - PSC forwarding rules (consumer side) → endpoints (endpointId = the rule's path
 *   `projects/<p>/regions/<r>/forwardingRules/<name>`), one interface at the rule's IP; state =
 *   `pscConnectionStatus`; forwarding while ACCEPTED and the attachment still lists it; PROXY TLV
 *   = the PSC connection id; no DNS names.
 * - Each endpoint gets one rule set (`<endpoint path>/effectiveFirewalls`): its network's egress
 *   firewall rules towards its address (firewall-rule-set.ts).
 *
 * Pure.
 */
export function buildGcpSnapshot(view: GcpView, slots: ReadonlyMap<string, number>, range: LoopbackRange): DataPlaneSnapshot {
  const placed = new Map<string, PlacedSubnet>();
  for (const network of view.networks) {
    for (const subnet of network.subnetworks) {
      const slot = slots.get(subnet.path);
      const block = mappedSubnetBlock(subnet);
      if (slot !== undefined && slot >= 1 && slot <= range.maxSlot && block) placed.set(subnet.path, { network, subnet, slot, block });
    }
  }
  const loopbackIn = (networkPath: string, ip: string): string | null => {
    const address = parseIpv4(ip);
    if (address === undefined) return null;
    for (const p of placed.values()) if (p.network.path === networkPath && cidrContainsAddress(p.block, address)) return loopbackAddress(range, p.slot, ip);
    return null;
  };
  const nic = (id: string, subnetPath: string, ip: string): SnapshotNetworkInterface[] => {
    const where = placed.get(subnetPath);
    const address = where && loopbackIn(where.network.path, ip);
    return where && address
      ? [{ networkInterfaceId: id, networkId: where.network.path, subnetId: subnetPath, availabilityZone: null, privateIp: ip, loopbackAddress: address }]
      : [];
  };

  const networks: SnapshotNetwork[] = [...placed.values()].map(({ network, subnet, slot, block }) => ({
    cloud: 'GCP',
    networkId: network.path,
    accountId: network.project,
    region: subnet.region,
    cidrBlock: formatCidr(block),
    isDefault: false,
    loopbackOctet: loopbackOctet(range, slot),
  }));

  const proxyOf = new Map(view.serviceAttachments.map((a) => [a.targetService, a.enableProxyProtocol]));
  const loadBalancers: SnapshotLoadBalancer[] = view.internalLoadBalancers.map((ilb) => ({
    cloud: 'GCP',
    loadBalancerId: ilb.path,
    name: ilb.name,
    accountId: ilb.project,
    region: ilb.region,
    networkId: ilb.network,
    active: true,
    dnsName: null,
    securityGroupIds: [],
    networkInterfaces: nic(ilb.path, ilb.subnetwork, ilb.ipAddress),
    ports: portsOf(ilb, proxyOf.get(ilb.path) ?? false, loopbackIn),
  }));

  const services: SnapshotService[] = view.serviceAttachments.map((a) => ({
    cloud: 'GCP',
    serviceId: a.path,
    serviceName: a.path,
    accountId: a.project,
    region: a.region,
    state: 'ACTIVE',
    acceptanceRequired: a.connectionPreference === 'ACCEPT_MANUAL',
    loadBalancerIds: [a.targetService],
    availabilityZones: [],
    allowedPrincipals: [],
    proxyProtocol: a.enableProxyProtocol,
  }));

  const attachments = new Map(view.serviceAttachments.map((a) => [a.path, a]));
  const securityGroups: SnapshotSecurityGroup[] = [];
  const endpoints: SnapshotEndpoint[] = [];
  for (const psc of view.pscEndpoints) {
    const attachment = attachments.get(psc.target);
    const listed = attachment?.connectedEndpoints.some((c) => c.endpoint === psc.path) ?? false;
    const groupId = `${psc.path}/effectiveFirewalls`;
    securityGroups.push({
      cloud: 'GCP',
      groupId,
      groupName: `egress firewall rules of ${psc.network}`,
      networkId: psc.network,
      accountId: psc.project,
      region: psc.region,
      ingress: pscEgressAllowRules(view.firewalls, psc.network, psc.ipAddress),
      egress: ALLOW_ALL,
    });
    endpoints.push({
      cloud: 'GCP',
      endpointId: psc.path,
      accountId: psc.project,
      region: psc.region,
      networkId: psc.network,
      serviceId: psc.target,
      serviceName: psc.target,
      state: psc.status,
      forwarding: psc.status === 'ACCEPTED' && listed,
      securityGroupIds: [groupId],
      networkInterfaces: nic(psc.path, psc.subnetwork, psc.ipAddress),
      dnsNames: [],
      proxyTlv: { kind: 'gcp-psc-connection-id', pscConnectionId: psc.pscConnectionId },
    });
  }

  return { takenAt: view.takenAt, nextTransitionAt: view.nextTransitionAt, networks, securityGroups, loadBalancers, services, endpoints };
}

/** The ports an internal forwarding rule serves and their targets (see buildGcpSnapshot). */
function portsOf(ilb: GcpInternalLoadBalancerView, proxyProtocol: boolean, loopbackIn: (network: string, ip: string) => string | null): SnapshotPort[] {
  const byPort = new Map<number, SnapshotTarget[]>();
  const add = (port: number, ip: string, targetPort: number) => {
    const targets = byPort.get(port) ?? [];
    if (!targets.some((t) => t.id === ip && t.port === targetPort))
      targets.push({ id: ip, port: targetPort, availabilityZone: null, loopbackAddress: loopbackIn(ilb.network, ip) });
    byPort.set(port, targets);
  };
  for (const t of ilb.targets) {
    if (t.groupType === 'GCE_VM_IP_PORTMAP') {
      if (t.clientDestinationPort !== null && t.port !== null && (ilb.ports === null || ilb.ports.includes(t.clientDestinationPort)))
        add(t.clientDestinationPort, t.ipAddress, t.port);
    } else if (ilb.ports !== null) {
      for (const port of ilb.ports) add(port, t.ipAddress, t.port ?? port);
    } else if (t.port !== null) {
      add(t.port, t.ipAddress, t.port);
    }
  }
  return [...byPort.entries()].sort(([a], [b]) => a - b).map(([port, targets]) => ({ id: `${ilb.path}/ports/${port}`, port, protocol: 'TCP', proxyProtocol, targets }));
}
