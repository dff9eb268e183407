import { findRegion } from './geography.js';
import { cidrContainsAddress, parseCidr, parseIpv4 } from '../common/ipv4.js';
import { loopbackAddress, loopbackOctet, type LoopbackRange } from '../common/loopback.js';
import type { NetworkInterface, SecurityGroupRule, Vpc } from './model.js';
import type { PictureRows } from './store/picture-rows.repository.js';
import { endpointDnsNames } from './names.js';
import type { DataPlaneSnapshot, SnapshotNetwork, SnapshotNetworkInterface, SnapshotReach, SnapshotService, SnapshotTarget } from '../common/data-plane-snapshot.js';
import { currentStatus } from './peering-status.js';
import { EntityMemo } from '../common/entity-memo.js';

/**
 * Builds the neutral data-plane snapshot from the AWS emulation's rows (advanced to `now`; read
 * by picture-rows.repository.ts): VPCs
 * are networks, NLB listeners are ports (with their target group's targets and its
 * `proxy_protocol_v2.enabled`), endpoint services are services, VPC endpoints are endpoints
 * carrying the VPC-endpoint-id TLV. Zones in `down` (the zone fault switch) carry nothing: their
 * interfaces and targets are left out.
 *
 * With a `memo` (entity-memo.ts), an entity whose rows are the same objects as at the last build
 * with that memo is that build's entity, not a new one: the data plane's differ then skips it. The
 * picture equals one built without a memo; `down` must be the same object while the impaired zones
 * are the same.
 */
export function assembleSnapshot(
  rows: PictureRows,
  inputs: { readonly down: ReadonlySet<string>; readonly nextTransitionAt: Date | null },
  now: Date,
  range: LoopbackRange,
  memo: EntityMemo = new EntityMemo(),
): DataPlaneSnapshot {
  const { down } = inputs;
  memo.begin();
  const vpcs = rows.vpcs;
  const vpcById = new Map(vpcs.map((v) => [v.vpcId, v]));
  const loopback = (vpc: Vpc | undefined, ip: string) => (vpc ? loopbackAddress(range, vpc.slot, ip) : ip);
  const interfaces = rows.interfaces;
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

  const securityGroups = rows.securityGroups.map((g) =>
    memo.get(`sg ${g.groupId}`, [g, rows.rules.get(g.groupId)], () => {
      const mine = rows.rules.get(g.groupId) ?? [];
      const shape = (r: SecurityGroupRule) => ({
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
    }),
  );

  const groups = rows.targetGroups;
  const targetsByGroup = rows.targets;
  const groupView = new Map<string, { readonly proxyProtocol: boolean; readonly targets: readonly SnapshotTarget[] }>(
    groups.map((g) => {
      const vpc = vpcById.get(g.vpcId);
      return [
        g.arn,
        memo.get(`tg ${g.arn}`, [g, vpc, targetsByGroup.get(g.arn), down], () => {
          const cidr = vpc && parseCidr(vpc.cidrBlock);
          return {
            proxyProtocol: g.attributes['proxy_protocol_v2.enabled'] === 'true',
            targets: (targetsByGroup.get(g.arn) ?? [])
              .filter((t) => !(t.availabilityZone && down.has(t.availabilityZone)))
              .map((t) => {
                const address = parseIpv4(t.targetId);
                const inside = address !== undefined && cidr !== undefined && cidrContainsAddress(cidr, address);
                return { id: t.targetId, port: t.port, availabilityZone: t.availabilityZone, loopbackAddress: inside ? loopback(vpc, t.targetId) : null };
              }),
          };
        }),
      ];
    }),
  );

  const lbs = rows.loadBalancers;
  const lbByArn = new Map(lbs.map((lb) => [lb.arn, lb]));
  const listenersByLb = rows.listeners;
  /** What an owner's interfaces are built from: each interface and its VPC. */
  const interfaceDeps = (ownerId: string) => (interfacesByOwner.get(ownerId) ?? []).flatMap((eni) => [eni, vpcById.get(eni.vpcId)]);
  const loadBalancers = lbs.map((lb) => {
    const listeners = listenersByLb.get(lb.arn) ?? [];
    const deps = [lb, down, listenersByLb.get(lb.arn), ...listeners.map((l) => groupView.get(l.targetGroupArn)), ...interfaceDeps(lb.arn)];
    return memo.get(`lb ${lb.arn}`, deps, () => ({
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
      ports: listeners.filter((l) => groupView.has(l.targetGroupArn)).map((l) => ({ id: l.arn, port: l.port, protocol: l.protocol, ...groupView.get(l.targetGroupArn)! })),
    }));
  });

  const services = rows.services;
  const permissionsByService = rows.permissions;
  const endpointServices: SnapshotService[] = [];
  for (const s of services) {
    const deps = [s, permissionsByService.get(s.serviceId), ...s.loadBalancerArns.map((arn) => lbByArn.get(arn))];
    endpointServices.push(
      memo.get(`service ${s.serviceId}`, deps, (): SnapshotService => {
        const zones = new Set(s.loadBalancerArns.flatMap((arn) => lbByArn.get(arn)?.subnets.map((sub) => sub.zoneName) ?? []));
        return {
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
        };
      }),
    );
  }
  const liveServices = new Set(services.filter((s) => s.state === 'Available' || s.state === 'Pending').map((s) => s.serviceId));
  const endpoints = rows.endpoints.map((e) => {
    const live = liveServices.has(e.serviceId);
    return memo.get(`endpoint ${e.vpcEndpointId}`, [e, live, down, ...interfaceDeps(e.vpcEndpointId)], () => {
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
        forwarding: e.state === 'available' && live,
        securityGroupIds: e.securityGroupIds,
        networkInterfaces: enis,
        dnsNames: endpointDnsNames(e.vpcEndpointId, e.dnsSuffix, e.serviceId, e.region, zones),
        proxyTlv: { kind: 'aws-vpce-id' as const, vpceId: e.vpcEndpointId },
      };
    });
  });

  const onPremises = rows.onPremises;
  const networks: SnapshotNetwork[] = [
    ...vpcs.map((v) =>
      memo.get(`vpc ${v.vpcId}`, [v], () => ({
        cloud: 'AWS' as const,
        networkId: v.vpcId,
        accountId: v.accountId,
        region: v.region,
        cidrBlock: v.cidrBlock,
        isDefault: v.isDefault,
        loopbackOctet: loopbackOctet(range, v.slot),
      })),
    ),
    ...onPremises.map((o) =>
      memo.get(`onprem ${o.gatewayId}`, [o], () => ({
        cloud: 'AWS' as const,
        networkId: o.gatewayId,
        accountId: o.accountId,
        region: o.region,
        cidrBlock: o.cidrBlock,
        isDefault: false,
        loopbackOctet: loopbackOctet(range, o.slot),
        kind: 'on-premises' as const,
      })),
    ),
  ];
  memo.sweep();

  return {
    takenAt: now,
    nextTransitionAt: inputs.nextTransitionAt,
    networks,
    securityGroups,
    loadBalancers,
    services: endpointServices,
    endpoints,
    reach: buildReach(rows, now, vpcById),
  };
}

/**
 * The routed paths between networks: for an `active` peering connection between VPCs A and B, a
 * route in A's main route table to the connection for destination D_A and one in B's for D_B let
 * A's hosts in D_B reach B's addresses in D_A (and B's hosts in D_A reach A's in D_B) — a TCP
 * connection needs a route each way. An on-premises network reaches the whole VPC it is attached
 * to (its CIDR is propagated into the VPC's route table, the VPC's CIDR is advertised over the link).
 */
function buildReach(rows: PictureRows, now: Date, vpcById: ReadonlyMap<string, Vpc>): SnapshotReach[] {
  const reach: SnapshotReach[] = [];
  for (const peering of rows.peerings) {
    if (currentStatus(peering, now) !== 'active') continue;
    const a = vpcById.get(peering.requesterVpcId);
    const b = vpcById.get(peering.accepterVpcId);
    if (!a || !b) continue;
    const via = (vpc: Vpc) => (rows.routes.get(vpc.mainRouteTableId) ?? []).filter((r) => r.vpcPeeringConnectionId === peering.peeringId);
    for (const fromA of via(a)) {
      for (const fromB of via(b)) {
        reach.push({ fromNetworkId: a.vpcId, fromCidr: fromB.destinationCidr, toNetworkId: b.vpcId, toCidr: fromA.destinationCidr, via: peering.peeringId });
        reach.push({ fromNetworkId: b.vpcId, fromCidr: fromA.destinationCidr, toNetworkId: a.vpcId, toCidr: fromB.destinationCidr, via: peering.peeringId });
      }
    }
  }
  for (const onPremises of rows.onPremises) {
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
