import type {
  DataPlaneSnapshot,
  SnapshotEndpoint,
  SnapshotLoadBalancer,
  SnapshotNetwork,
  SnapshotNetworkInterface,
  SnapshotSecurityGroup,
  SnapshotService,
} from '../common/data-plane-snapshot.js';
import { cidrContainsAddress, formatCidr, parseCidr, parseIpv4, type Cidr } from '../common/ipv4.js';
import { loopbackAddress, loopbackOctet, type LoopbackRange } from '../common/loopback.js';
import { ALLOW_ALL, nsgAppliesToPrivateEndpoints, nsgInboundAllowRules } from './nsg-rule-set.js';
import { resourceKey } from './resource-ids.js';
import type { AzurePrivateLinkServiceView, AzureSubnetView, AzureView, AzureVirtualNetworkView } from './view-model.js';

/** A VNet placed on loopback: its slot and the block (at most /16) that maps. */
interface PlacedNetwork {
  readonly vnet: AzureVirtualNetworkView;
  readonly slot: number;
  readonly block: Cidr;
}

const LINK_ID = /^\d{1,10}$/;

/**
 * The block of a VNet that loopback maps: its first address prefix, clipped to a /16 when larger
 * (the emulator accepts any size, as Azure does; loopback carries 16 bits per network). A larger
 * prefix keeps the /16 holding the VNet's first subnet inside it, else its first /16; addresses
 * outside the block get no loopback address (docs/localcloud-azure.md). Undefined without a
 * parseable prefix.
 */
export function mappedBlock(vnet: AzureVirtualNetworkView): Cidr | undefined {
  const first = vnet.addressPrefixes.map(parseCidr).find((c): c is Cidr => c !== undefined);
  if (!first || first.prefix >= 16) return first;
  const subnet = vnet.subnets.map((s) => parseCidr(s.addressPrefix)).find((c) => c !== undefined && cidrContainsAddress(first, c.network));
  const start = subnet ? subnet.network : first.network;
  return { network: (start - (start % 65536)) >>> 0, prefix: 16, size: 65536 };
}

/**
 * Maps the Azure emulation's read model to the neutral data-plane snapshot (cloud `AZURE`), given
 * each VNet's loopback slot (keyed by lower-cased VNet id; see store/loopback-slots.repository.ts):
 *
 * - VNets with a slot → networks; VNets without one are left out with everything in them.
 * - Standard load balancers → load balancers whose ports are the TCP load-balancing rules
 *   (frontendPort → the backend pool's addresses at backendPort; an address inside the VNet is
 *   dialled at its loopback address, any other, e.g. a simulated node's 127.0.0.1, as it is).
 *   Active while Succeeded or Updating.
 * - Private link services → services (serviceName = alias, `proxyProtocol` =
 *   `enableProxyProtocol`, loadBalancerIds = the load balancers owning its frontends).
 * - Private endpoints → endpoints with their one NIC; `forwarding` only while the connection is
 *   Approved, the endpoint and the service are Succeeded and the service still exists; the PROXY
 *   TLV is the connection's LinkID.
 * - Each endpoint gets one rule set (`<endpoint id>/effectiveSecurityRules`): its subnet's NSG as
 *   an allow list when the subnet's private endpoint network policies enable NSGs
 *   (nsg-rule-set.ts), else allow-all — NSGs do not apply to private endpoints then.
 *
 * ARM ids are compared case-insensitively; the ids in the snapshot are the view's. Pure.
 */
export function buildAzureSnapshot(view: AzureView, slots: ReadonlyMap<string, number>, range: LoopbackRange): DataPlaneSnapshot {
  const placed = new Map<string, PlacedNetwork>();
  for (const vnet of view.virtualNetworks) {
    const slot = slots.get(resourceKey(vnet.id));
    const block = mappedBlock(vnet);
    if (slot !== undefined && slot >= 1 && slot <= range.maxSlot && block) placed.set(resourceKey(vnet.id), { vnet, slot, block });
  }
  const subnets = new Map<string, { network: PlacedNetwork; subnet: AzureSubnetView }>();
  for (const network of placed.values()) for (const subnet of network.vnet.subnets) subnets.set(resourceKey(subnet.id), { network, subnet });
  const networkOfSubnet = (subnetId: string) => subnets.get(resourceKey(subnetId))?.network;
  const loopbackOf = (network: PlacedNetwork, ip: string): string | null => {
    const address = parseIpv4(ip);
    return address !== undefined && cidrContainsAddress(network.block, address) ? loopbackAddress(range, network.slot, ip) : null;
  };
  const nic = (network: PlacedNetwork, id: string, subnetId: string, ip: string): SnapshotNetworkInterface[] => {
    const address = loopbackOf(network, ip);
    return address ? [{ networkInterfaceId: id, networkId: network.vnet.id, subnetId, availabilityZone: null, privateIp: ip, loopbackAddress: address }] : [];
  };

  const networks: SnapshotNetwork[] = [...placed.values()].map(({ vnet, slot, block }) => ({
    cloud: 'AZURE',
    networkId: vnet.id,
    accountId: vnet.subscriptionId,
    region: vnet.location,
    cidrBlock: formatCidr(block),
    isDefault: false,
    loopbackOctet: loopbackOctet(range, slot),
  }));

  const loadBalancers: SnapshotLoadBalancer[] = [];
  const lbByFrontend = new Map<string, string>();
  for (const lb of view.loadBalancers) {
    const network = lb.frontends.map((f) => networkOfSubnet(f.subnetId)).find((n) => n !== undefined);
    if (!network) continue;
    for (const f of lb.frontends) lbByFrontend.set(resourceKey(f.id), lb.id);
    const pools = new Map(lb.backendPools.map((p) => [resourceKey(p.id), p]));
    loadBalancers.push({
      cloud: 'AZURE',
      loadBalancerId: lb.id,
      name: lb.name,
      accountId: lb.subscriptionId,
      region: lb.location,
      networkId: network.vnet.id,
      active: lb.provisioningState === 'Succeeded' || lb.provisioningState === 'Updating',
      dnsName: null,
      securityGroupIds: [],
      networkInterfaces: lb.frontends.flatMap((f) => {
        const own = networkOfSubnet(f.subnetId);
        return own ? nic(own, f.id, f.subnetId, f.privateIpAddress) : [];
      }),
      ports: lb.rules.flatMap((rule) => {
        const pool = rule.backendPoolId ? pools.get(resourceKey(rule.backendPoolId)) : undefined;
        const protocol = rule.protocol.toLowerCase();
        if (!pool || (protocol !== 'tcp' && protocol !== 'all')) return [];
        const targets = pool.addresses
          .filter((a) => parseIpv4(a.ipAddress) !== undefined)
          .map((a) => ({ id: a.ipAddress, port: rule.backendPort, availabilityZone: null, loopbackAddress: loopbackOf(network, a.ipAddress) }));
        return [{ id: rule.id, port: rule.frontendPort, protocol: 'TCP', proxyProtocol: false, targets }];
      }),
    });
  }

  const servicesByKey = new Map<string, AzurePrivateLinkServiceView>(view.privateLinkServices.map((s) => [resourceKey(s.id), s]));
  const services: SnapshotService[] = view.privateLinkServices.map((pls) => ({
    cloud: 'AZURE',
    serviceId: pls.id,
    serviceName: pls.alias,
    accountId: pls.subscriptionId,
    region: pls.location,
    state: pls.provisioningState,
    acceptanceRequired: !pls.autoApprovalSubscriptions.includes('*'),
    loadBalancerIds: [...new Set(pls.loadBalancerFrontendIds.flatMap((id) => lbByFrontend.get(resourceKey(id)) ?? []))],
    availabilityZones: [],
    allowedPrincipals: [...pls.visibilitySubscriptions],
    proxyProtocol: pls.enableProxyProtocol,
  }));

  const nsgs = new Map(view.networkSecurityGroups.map((g) => [resourceKey(g.id), g]));
  const securityGroups: SnapshotSecurityGroup[] = [];
  const endpoints: SnapshotEndpoint[] = [];
  for (const pe of view.privateEndpoints) {
    const where = subnets.get(resourceKey(pe.subnetId));
    if (!where) continue;
    const { network, subnet } = where;
    const pls = servicesByKey.get(resourceKey(pe.privateLinkServiceId));
    const connection = pls?.connections.find((c) => resourceKey(c.privateEndpointId) === resourceKey(pe.id));
    const linkId = pe.linkIdentifier !== null && LINK_ID.test(pe.linkIdentifier) ? Number(pe.linkIdentifier) : undefined;
    const validLinkId = linkId !== undefined && linkId <= 0xffff_ffff;
    const nsg =
      subnet.networkSecurityGroupId && nsgAppliesToPrivateEndpoints(subnet.privateEndpointNetworkPolicies) ? nsgs.get(resourceKey(subnet.networkSecurityGroupId)) : undefined;
    const groupId = `${pe.id}/effectiveSecurityRules`;
    securityGroups.push({
      cloud: 'AZURE',
      groupId,
      groupName: nsg ? nsg.name : 'no network security group applies',
      networkId: network.vnet.id,
      accountId: pe.subscriptionId,
      region: pe.location,
      ingress: nsg ? nsgInboundAllowRules(nsg, network.vnet.addressPrefixes, pe.privateIpAddress) : ALLOW_ALL,
      egress: ALLOW_ALL,
    });
    endpoints.push({
      cloud: 'AZURE',
      endpointId: pe.id,
      accountId: pe.subscriptionId,
      region: pe.location,
      networkId: network.vnet.id,
      serviceId: pls?.id ?? pe.privateLinkServiceId,
      serviceName: pls?.alias ?? pe.privateLinkServiceId,
      state: pe.status,
      forwarding: pe.status === 'Approved' && connection?.status === 'Approved' && pe.provisioningState === 'Succeeded' && pls?.provisioningState === 'Succeeded' && validLinkId,
      securityGroupIds: [groupId],
      networkInterfaces: nic(network, pe.networkInterfaceId, subnet.id, pe.privateIpAddress),
      dnsNames: pls ? [...pls.fqdns] : [],
      proxyTlv: { kind: 'azure-link-id', linkId: validLinkId ? linkId : 0 },
    });
  }

  return { takenAt: view.takenAt, nextTransitionAt: view.nextTransitionAt, networks, securityGroups, loadBalancers, services, endpoints };
}
