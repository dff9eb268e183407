import { findRegion } from './geography.js';
import { cidrContainsAddress, parseCidr, parseIpv4 } from '../common/ipv4.js';
import { nextDueAt } from './lazy-transitions.js';
import { loopbackAddress, loopbackOctet, type LoopbackRange } from '../common/loopback.js';
import type { NetworkInterface, Vpc } from './model.js';
import { endpointDnsNames } from './names.js';
import { zonesDown } from './zone-outages.js';
import type { Repositories } from './store/repositories.js';
import type { DataPlaneSnapshot, SnapshotNetwork, SnapshotNetworkInterface, SnapshotReach, SnapshotService, SnapshotTarget } from '../common/data-plane-snapshot.js';
import { currentStatus } from './peering-status.js';

/**
 * Builds the neutral data-plane snapshot from the AWS emulation's store (rows already advanced to
 * `now`): VPCs are networks, NLB listeners are ports (with their target group's targets and its
 * `proxy_protocol_v2.enabled`), endpoint services are services, VPC endpoints are endpoints
 * carrying the VPC-endpoint-id TLV. Read-only; call inside one transaction so the picture is
 * consistent.
 */
export async function buildSnapshot(repos: Repositories, now: Date, range: LoopbackRange): Promise<DataPlaneSnapshot> {
  // Zones taken down with the fault switch carry nothing: their interfaces and targets are left out.
  const down = await zonesDown(repos.control);
  const vpcs = await repos.network.allVpcs();
  const vpcById = new Map(vpcs.map((v) => [v.vpcId, v]));
  const loopback = (vpc: Vpc | undefined, ip: string) => (vpc ? loopbackAddress(range, vpc.slot, ip) : ip);
  const interfaces = await repos.network.allInterfaces();
  const toInterface = (eni: NetworkInterface): SnapshotNetworkInterface => ({
    networkInterfaceId: eni.networkInterfaceId,
    networkId: eni.vpcId,
    subnetId: eni.subnetId,
    availabilityZone: eni.availabilityZone,
    privateIp: eni.privateIp,
    loopbackAddress: loopback(vpcById.get(eni.vpcId), eni.privateIp),
  });
  // Grouped once: the snapshot is built on every change, so it must stay linear in the number of rows.
  const interfacesByOwner = groupBy(interfaces, (eni) => eni.ownerId);
  const interfacesOf = (ownerId: string) => (interfacesByOwner.get(ownerId) ?? []).filter((eni) => !down.has(eni.availabilityZone)).map(toInterface);

  const rules = await repos.network.listRules();
  const rulesByGroup = groupBy(rules, (r) => r.groupId);
  const securityGroups = (await repos.network.allSecurityGroups()).map((g) => {
    const mine = rulesByGroup.get(g.groupId) ?? [];
    const shape = (r: (typeof rules)[number]) => ({
      ipProtocol: r.ipProtocol,
      fromPort: r.fromPort,
      toPort: r.toPort,
      cidrIpv4: r.cidrIpv4,
      referencedGroupId: r.referencedGroupId,
    });
    return {
      cloud: 'AWS' as const,
      groupId: g.groupId,
      groupName: g.groupName,
      networkId: g.vpcId,
      accountId: g.accountId,
      region: g.region,
      ingress: mine.filter((r) => !r.isEgress).map(shape),
      egress: mine.filter((r) => r.isEgress).map(shape),
    };
  });

  const groups = await repos.loadBalancers.allTargetGroups();
  const targetsByGroup = groupBy(await repos.loadBalancers.listTargets(groups.map((g) => g.arn)), (t) => t.targetGroupArn);
  const groupView = new Map<string, { readonly proxyProtocol: boolean; readonly targets: readonly SnapshotTarget[] }>(
    groups.map((g) => {
      const vpc = vpcById.get(g.vpcId);
      const cidr = vpc && parseCidr(vpc.cidrBlock);
      return [
        g.arn,
        {
          proxyProtocol: g.attributes['proxy_protocol_v2.enabled'] === 'true',
          targets: (targetsByGroup.get(g.arn) ?? [])
            .filter((t) => !(t.availabilityZone && down.has(t.availabilityZone)))
            .map((t) => {
              const address = parseIpv4(t.targetId);
              const inside = address !== undefined && cidr !== undefined && cidrContainsAddress(cidr, address);
              return { id: t.targetId, port: t.port, availabilityZone: t.availabilityZone, loopbackAddress: inside ? loopback(vpc, t.targetId) : null };
            }),
        },
      ];
    }),
  );

  const lbs = await repos.loadBalancers.allLoadBalancers();
  const lbByArn = new Map(lbs.map((lb) => [lb.arn, lb]));
  const listenersByLb = groupBy(await repos.loadBalancers.listListeners(lbs.map((lb) => lb.arn)), (l) => l.loadBalancerArn);
  const loadBalancers = lbs.map((lb) => ({
    cloud: 'AWS' as const,
    loadBalancerId: lb.arn,
    name: lb.name,
    accountId: lb.accountId,
    region: lb.region,
    networkId: lb.vpcId,
    active: lb.state === 'active',
    dnsName: lb.dnsName,
    securityGroupIds: lb.securityGroups,
    networkInterfaces: interfacesOf(lb.arn),
    ports: (listenersByLb.get(lb.arn) ?? [])
      .filter((l) => groupView.has(l.targetGroupArn))
      .map((l) => ({ id: l.arn, port: l.port, protocol: l.protocol, ...groupView.get(l.targetGroupArn)! })),
  }));

  const services = await repos.endpoints.allServices();
  const permissionsByService = groupBy(await repos.endpoints.allPermissions(), (p) => p.serviceId);
  const endpointServices: SnapshotService[] = [];
  for (const s of services) {
    const zones = new Set(s.loadBalancerArns.flatMap((arn) => lbByArn.get(arn)?.subnets.map((sub) => sub.zoneName) ?? []));
    endpointServices.push({
      cloud: 'AWS',
      serviceId: s.serviceId,
      serviceName: s.serviceName,
      accountId: s.accountId,
      region: s.region,
      state: s.state,
      acceptanceRequired: s.acceptanceRequired,
      loadBalancerIds: s.loadBalancerArns,
      availabilityZones: [...zones].sort(),
      allowedPrincipals: (permissionsByService.get(s.serviceId) ?? []).map((p) => p.principal),
      proxyProtocol: false,
    });
  }
  const liveServices = new Set(services.filter((s) => s.state === 'Available' || s.state === 'Pending').map((s) => s.serviceId));
  const endpoints = (await repos.endpoints.allEndpoints()).map((e) => {
    const enis = interfacesOf(e.vpcEndpointId);
    const region = findRegion(e.region);
    // The endpoint's DNS names stay those of all its zones, impaired ones included.
    const allZones = new Set((interfacesByOwner.get(e.vpcEndpointId) ?? []).map((eni) => eni.availabilityZone));
    const zones = region ? region.zones.map((z) => z.zoneName).filter((z) => allZones.has(z)) : [];
    return {
      cloud: 'AWS' as const,
      endpointId: e.vpcEndpointId,
      accountId: e.accountId,
      region: e.region,
      networkId: e.vpcId,
      serviceId: e.serviceId,
      serviceName: e.serviceName,
      state: e.state,
      forwarding: e.state === 'available' && liveServices.has(e.serviceId),
      securityGroupIds: e.securityGroupIds,
      networkInterfaces: enis,
      dnsNames: endpointDnsNames(e.vpcEndpointId, e.dnsSuffix, e.serviceId, e.region, zones),
      proxyTlv: { kind: 'aws-vpce-id' as const, vpceId: e.vpcEndpointId },
    };
  });

  const onPremises = await repos.peering.allOnPremisesNetworks();
  const networks: SnapshotNetwork[] = [
    ...vpcs.map((v) => ({
      cloud: 'AWS' as const,
      networkId: v.vpcId,
      accountId: v.accountId,
      region: v.region,
      cidrBlock: v.cidrBlock,
      isDefault: v.isDefault,
      loopbackOctet: loopbackOctet(range, v.slot),
    })),
    ...onPremises.map((o) => ({
      cloud: 'AWS' as const,
      networkId: o.gatewayId,
      accountId: o.accountId,
      region: o.region,
      cidrBlock: o.cidrBlock,
      isDefault: false,
      loopbackOctet: loopbackOctet(range, o.slot),
      kind: 'on-premises' as const,
    })),
  ];

  return {
    takenAt: now,
    nextTransitionAt: await nextDueAt(repos),
    networks,
    securityGroups,
    loadBalancers,
    services: endpointServices,
    endpoints,
    reach: await buildReach(repos, now, vpcById, onPremises),
  };
}

/**
 * The routed paths between networks: for an `active` peering connection between VPCs A and B, a
 * route in A's main route table to the connection for destination D_A and one in B's for D_B let
 * A's hosts in D_B reach B's addresses in D_A (and B's hosts in D_A reach A's in D_B) — a TCP
 * connection needs a route each way. An on-premises network reaches the whole VPC it is attached
 * to (its CIDR is propagated into the VPC's route table, the VPC's CIDR is advertised over the link).
 */
async function buildReach(
  repos: Repositories,
  now: Date,
  vpcById: ReadonlyMap<string, Vpc>,
  onPremisesNetworks: Awaited<ReturnType<Repositories['peering']['allOnPremisesNetworks']>>,
): Promise<SnapshotReach[]> {
  const reach: SnapshotReach[] = [];
  const routes = await repos.peering.listRoutes();
  for (const peering of await repos.peering.allPeerings()) {
    if (currentStatus(peering, now) !== 'active') continue;
    const a = vpcById.get(peering.requesterVpcId);
    const b = vpcById.get(peering.accepterVpcId);
    if (!a || !b) continue;
    const via = (vpc: Vpc) => routes.filter((r) => r.routeTableId === vpc.mainRouteTableId && r.vpcPeeringConnectionId === peering.peeringId);
    for (const fromA of via(a)) {
      for (const fromB of via(b)) {
        reach.push({ fromNetworkId: a.vpcId, fromCidr: fromB.destinationCidr, toNetworkId: b.vpcId, toCidr: fromA.destinationCidr, via: peering.peeringId });
        reach.push({ fromNetworkId: b.vpcId, fromCidr: fromA.destinationCidr, toNetworkId: a.vpcId, toCidr: fromB.destinationCidr, via: peering.peeringId });
      }
    }
  }
  for (const onPremises of onPremisesNetworks) {
    const vpc = vpcById.get(onPremises.vpcId);
    if (!vpc) continue;
    reach.push({ fromNetworkId: onPremises.gatewayId, fromCidr: onPremises.cidrBlock, toNetworkId: vpc.vpcId, toCidr: vpc.cidrBlock, via: onPremises.gatewayId });
    reach.push({ fromNetworkId: vpc.vpcId, fromCidr: vpc.cidrBlock, toNetworkId: onPremises.gatewayId, toCidr: onPremises.cidrBlock, via: onPremises.gatewayId });
  }
  return reach;
}

/** `items` grouped by `key`, each group in `items`' order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
