import { findRegion } from './geography.js';
import { cidrContainsAddress, parseCidr, parseIpv4 } from '../common/ipv4.js';
import { loopbackAddress, loopbackOctet, type LoopbackRange } from '../common/loopback.js';
import { EntityList } from '../common/entity-list.js';
import { Links } from '../common/links.js';
import type { NetworkInterface, SecurityGroupRule, Vpc } from './model.js';
import type { PictureChanges, PictureRows, PictureTableName } from './store/picture-rows.repository.js';
import { endpointDnsNames } from './names.js';
import type {
  DataPlaneSnapshot,
  PictureList,
  SnapshotEndpoint,
  SnapshotLoadBalancer,
  SnapshotNetwork,
  SnapshotNetworkInterface,
  SnapshotReach,
  SnapshotSecurityGroup,
  SnapshotService,
  SnapshotTarget,
} from '../common/data-plane-snapshot.js';
import { currentStatus } from './peering-status.js';

/** A target group as its listeners forward: PROXY protocol or not, and its targets. */
interface TargetGroupView {
  readonly proxyProtocol: boolean;
  readonly targets: readonly SnapshotTarget[];
}

/**
 * Builds the neutral data-plane snapshot from the AWS emulation's rows (advanced to `now`; read
 * by picture-rows.repository.ts): VPCs are networks, NLB listeners are ports (with their target
 * group's targets and its `proxy_protocol_v2.enabled`), endpoint services are services, VPC
 * endpoints are endpoints carrying the VPC-endpoint-id TLV. Zones in `down` (the zone fault
 * switch) carry nothing: their interfaces and targets are left out.
 *
 * Built change by change: `update` is given the rows as they are now and what changed since its
 * last call, and rebuilds only the entities made from a changed row (links from each row to the
 * entities it feeds, kept here, find them without walking every row). Every other entity, and
 * every collection with no rebuilt entity, is the very object of the last snapshot, which the
 * data plane's differ skips. The snapshot equals one built from all the rows at once (`'all'`);
 * `down` must be the same object while the impaired zones are the same.
 */
export class SnapshotAssembly {
  private readonly networks = new Map<string, SnapshotNetwork>();
  private readonly securityGroups = new Map<string, SnapshotSecurityGroup>();
  private readonly targetGroups = new Map<string, TargetGroupView>();
  private readonly loadBalancers = new Map<string, SnapshotLoadBalancer>();
  private readonly services = new Map<string, SnapshotService>();
  private readonly endpoints = new Map<string, SnapshotEndpoint>();
  /** Interface → [its owner (load balancer or VPC endpoint), its VPC]. */
  private readonly interfaceLinks = new Links();
  /** Target group → its VPC. */
  private readonly targetGroupVpc = new Links();
  /** Load balancer → the target groups its listeners forward to. */
  private readonly listenerTargets = new Links();
  /** Endpoint service → its load balancers. */
  private readonly serviceLoadBalancers = new Links();
  /** VPC endpoint → its endpoint service. */
  private readonly endpointService = new Links();
  private down: ReadonlySet<string> | undefined;
  /** Each collection's list in its rows' order (entity-list.ts). */
  private lists = SnapshotAssembly.emptyLists();
  private last: Omit<DataPlaneSnapshot, 'takenAt' | 'nextTransitionAt'> = { networks: [], securityGroups: [], loadBalancers: [], services: [], endpoints: [], reach: [] };

  constructor(private readonly range: LoopbackRange) {}

  /** The snapshot of `rows` at `now`, given what changed in them since the last call (`'all'` the first time). */
  update(rows: PictureRows, changes: PictureChanges, inputs: { readonly down: ReadonlySet<string>; readonly nextTransitionAt: Date | null }, now: Date): DataPlaneSnapshot {
    const all = changes === 'all';
    if (all) this.clear();
    const changed = (name: PictureTableName): Iterable<string> => (all ? rows[name].keys() : (changes.get(name) ?? []));
    const dirty = {
      network: new Set<string>(),
      securityGroup: new Set<string>(),
      targetGroup: new Set<string>(),
      loadBalancer: new Set<string>(),
      service: new Set<string>(),
      endpoint: new Set<string>(),
    };
    // An interface's owner is a load balancer or a VPC endpoint; the rebuild finds which by its rows.
    const ownerChanged = (ownerId: string) => {
      dirty.loadBalancer.add(ownerId);
      dirty.endpoint.add(ownerId);
    };

    // First the links that changed rows make or break (both the old and the new ends are dirty) …
    for (const id of changed('interfaces')) {
      const [oldOwner] = this.interfaceLinks.to(id);
      if (oldOwner !== undefined) ownerChanged(oldOwner);
      const eni = rows.interfaces.get(id)?.value;
      this.interfaceLinks.set(id, eni ? [eni.ownerId, eni.vpcId] : []);
      if (eni) ownerChanged(eni.ownerId);
    }
    for (const arn of changed('targetGroups')) {
      const group = rows.targetGroups.get(arn)?.value;
      this.targetGroupVpc.set(arn, group ? [group.vpcId] : []);
      dirty.targetGroup.add(arn);
    }
    for (const arn of changed('targets')) dirty.targetGroup.add(arn);
    for (const arn of changed('listeners')) {
      this.listenerTargets.set(
        arn,
        (rows.listeners.get(arn) ?? []).map((l) => l.targetGroupArn),
      );
      dirty.loadBalancer.add(arn);
    }
    for (const id of changed('services')) {
      this.serviceLoadBalancers.set(id, rows.services.get(id)?.value.loadBalancerArns ?? []);
      dirty.service.add(id);
      // Whether an endpoint forwards depends on its service's state.
      for (const endpointId of this.endpointService.from(id)) dirty.endpoint.add(endpointId);
    }
    for (const id of changed('permissions')) dirty.service.add(id);
    for (const id of changed('endpoints')) {
      const endpoint = rows.endpoints.get(id)?.value;
      this.endpointService.set(id, endpoint ? [endpoint.serviceId] : []);
      dirty.endpoint.add(id);
    }
    // … then what depends on a changed row through those links.
    for (const arn of changed('loadBalancers')) {
      dirty.loadBalancer.add(arn);
      for (const serviceId of this.serviceLoadBalancers.from(arn)) dirty.service.add(serviceId);
    }
    for (const vpcId of changed('vpcs')) {
      dirty.network.add(vpcId);
      for (const eniId of this.interfaceLinks.from(vpcId)) ownerChanged(this.interfaceLinks.to(eniId)[0]!);
      for (const arn of this.targetGroupVpc.from(vpcId)) dirty.targetGroup.add(arn);
    }
    for (const id of changed('onPremises')) dirty.network.add(id);
    for (const id of changed('securityGroups')) dirty.securityGroup.add(id);
    for (const id of changed('rules')) dirty.securityGroup.add(id);
    if (inputs.down !== this.down) {
      this.down = inputs.down;
      for (const arn of rows.targetGroups.keys()) dirty.targetGroup.add(arn);
      for (const arn of rows.loadBalancers.keys()) dirty.loadBalancer.add(arn);
      for (const id of rows.endpoints.keys()) dirty.endpoint.add(id);
    }
    for (const arn of dirty.targetGroup) {
      rebuild(this.targetGroups, arn, () => this.targetGroupView(rows, arn));
      for (const lbArn of this.listenerTargets.from(arn)) dirty.loadBalancer.add(lbArn);
    }

    const next = { ...this.last };
    const refresh = <T>(entities: Map<string, T>, keys: ReadonlySet<string>, build: (key: string) => T | undefined) => {
      for (const key of keys) rebuild(entities, key, () => build(key));
    };
    refresh(this.loadBalancers, dirty.loadBalancer, (arn) => this.loadBalancer(rows, arn));
    refresh(this.services, dirty.service, (id) => this.service(rows, id));
    refresh(this.endpoints, dirty.endpoint, (id) => this.endpoint(rows, id));
    refresh(this.securityGroups, dirty.securityGroup, (id) => this.securityGroup(rows, id));
    refresh(this.networks, dirty.network, (id) => this.network(rows, id));
    const lists = this.lists;
    const bring = <T>(list: EntityList<T>, table: ReadonlyMap<string, { readonly seq: number | null }>, entities: ReadonlyMap<string, T>, keys: ReadonlySet<string>) =>
      all ? list.rebuild(table, entities) : list.update(table, entities, keys);
    if (bring(lists.loadBalancers, rows.loadBalancers, this.loadBalancers, dirty.loadBalancer)) next.loadBalancers = lists.loadBalancers.list;
    if (bring(lists.services, rows.services, this.services, dirty.service)) next.services = lists.services.list;
    if (bring(lists.endpoints, rows.endpoints, this.endpoints, dirty.endpoint)) next.endpoints = lists.endpoints.list;
    if (bring(lists.securityGroups, rows.securityGroups, this.securityGroups, dirty.securityGroup)) next.securityGroups = lists.securityGroups.list;
    const vpcsChanged = bring(lists.vpcs, rows.vpcs, this.networks, dirty.network);
    const onPremisesChanged = bring(lists.onPremises, rows.onPremises, this.networks, dirty.network);
    if (vpcsChanged || onPremisesChanged) {
      // VPCs, then on-premises networks; with none of those, the VPCs' own list (and its noted edit).
      next.networks = lists.onPremises.list.length === 0 ? lists.vpcs.list : [...lists.vpcs.list, ...lists.onPremises.list];
    }
    const reach = buildReach(rows, now);
    if (!sameJson(reach, this.last.reach ?? [])) next.reach = reach;
    this.last = next;
    return { takenAt: now, nextTransitionAt: inputs.nextTransitionAt, ...next };
  }

  private clear(): void {
    for (const map of [this.networks, this.securityGroups, this.targetGroups, this.loadBalancers, this.services, this.endpoints]) map.clear();
    for (const links of [this.interfaceLinks, this.targetGroupVpc, this.listenerTargets, this.serviceLoadBalancers, this.endpointService]) links.clear();
    this.down = undefined;
    this.lists = SnapshotAssembly.emptyLists();
  }

  private static emptyLists() {
    return {
      vpcs: new EntityList<SnapshotNetwork>(),
      onPremises: new EntityList<SnapshotNetwork>(),
      securityGroups: new EntityList<SnapshotSecurityGroup>(),
      loadBalancers: new EntityList<SnapshotLoadBalancer>(),
      services: new EntityList<SnapshotService>(),
      endpoints: new EntityList<SnapshotEndpoint>(),
    };
  }

  private loopback(rows: PictureRows, vpcId: string, ip: string): string {
    const vpc = rows.vpcs.get(vpcId)?.value;
    return vpc ? loopbackAddress(this.range, vpc.slot, ip) : ip;
  }

  /** The owner's interfaces in row order, those in impaired zones included. */
  private interfacesOf(rows: PictureRows, ownerId: string): NetworkInterface[] {
    const enis: Array<{ seq: number; value: NetworkInterface }> = [];
    for (const id of this.interfaceLinks.from(ownerId)) {
      const row = rows.interfaces.get(id);
      if (row?.value.ownerId === ownerId) enis.push({ seq: row.seq ?? 0, value: row.value });
    }
    return enis.sort((a, b) => a.seq - b.seq).map((e) => e.value);
  }

  /** The owner's interfaces that carry traffic (not in an impaired zone), as the snapshot shows them. */
  private liveInterfaces(rows: PictureRows, enis: readonly NetworkInterface[]): SnapshotNetworkInterface[] {
    return enis
      .filter((eni) => !this.down!.has(eni.availabilityZone))
      .map((eni) => ({
        networkInterfaceId: eni.networkInterfaceId,
        networkId: eni.vpcId,
        subnetId: eni.subnetId,
        availabilityZone: eni.availabilityZone,
        privateIp: eni.privateIp,
        loopbackAddress: this.loopback(rows, eni.vpcId, eni.privateIp),
      }));
  }

  private targetGroupView(rows: PictureRows, arn: string): TargetGroupView | undefined {
    const group = rows.targetGroups.get(arn)?.value;
    if (!group) return undefined;
    const vpc = rows.vpcs.get(group.vpcId)?.value;
    const cidr = vpc && parseCidr(vpc.cidrBlock);
    return {
      proxyProtocol: group.attributes['proxy_protocol_v2.enabled'] === 'true',
      targets: (rows.targets.get(arn) ?? [])
        .filter((t) => !(t.availabilityZone && this.down!.has(t.availabilityZone)))
        .map((t) => {
          const address = parseIpv4(t.targetId);
          const inside = address !== undefined && cidr !== undefined && cidrContainsAddress(cidr, address);
          return { id: t.targetId, port: t.port, availabilityZone: t.availabilityZone, loopbackAddress: inside ? this.loopback(rows, group.vpcId, t.targetId) : null };
        }),
    };
  }

  private loadBalancer(rows: PictureRows, arn: string): SnapshotLoadBalancer | undefined {
    const lb = rows.loadBalancers.get(arn)?.value;
    if (!lb) return undefined;
    const listeners = rows.listeners.get(arn) ?? [];
    return {
      cloud: 'AWS',
      loadBalancerId: lb.arn,
      name: lb.name,
      accountId: lb.accountId,
      region: lb.region,
      networkId: lb.vpcId,
      active: lb.state === 'active',
      dnsName: lb.dnsName,
      securityGroupIds: lb.securityGroups,
      networkInterfaces: this.liveInterfaces(rows, this.interfacesOf(rows, arn)),
      ports: listeners
        .filter((l) => this.targetGroups.has(l.targetGroupArn))
        .map((l) => ({ id: l.arn, port: l.port, protocol: l.protocol, ...this.targetGroups.get(l.targetGroupArn)! })),
    };
  }

  private service(rows: PictureRows, id: string): SnapshotService | undefined {
    const s = rows.services.get(id)?.value;
    if (!s) return undefined;
    const zones = new Set(s.loadBalancerArns.flatMap((arn) => rows.loadBalancers.get(arn)?.value.subnets.map((sub) => sub.zoneName) ?? []));
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
      allowedPrincipals: (rows.permissions.get(id) ?? []).map((p) => p.principal),
      proxyProtocol: false,
    };
  }

  private endpoint(rows: PictureRows, id: string): SnapshotEndpoint | undefined {
    const e = rows.endpoints.get(id)?.value;
    if (!e) return undefined;
    const serviceState = rows.services.get(e.serviceId)?.value.state;
    const live = serviceState === 'Available' || serviceState === 'Pending';
    const enis = this.interfacesOf(rows, id);
    const region = findRegion(e.region);
    // The endpoint's DNS names stay those of all its zones, impaired ones included.
    const allZones = new Set(enis.map((eni) => eni.availabilityZone));
    const zones = region ? region.zones.map((z) => z.zoneName).filter((z) => allZones.has(z)) : [];
    return {
      cloud: 'AWS',
      endpointId: e.vpcEndpointId,
      accountId: e.accountId,
      region: e.region,
      networkId: e.vpcId,
      serviceId: e.serviceId,
      serviceName: e.serviceName,
      state: e.state,
      forwarding: e.state === 'available' && live,
      securityGroupIds: e.securityGroupIds,
      networkInterfaces: this.liveInterfaces(rows, enis),
      dnsNames: endpointDnsNames(e.vpcEndpointId, e.dnsSuffix, e.serviceId, e.region, zones),
      proxyTlv: { kind: 'aws-vpce-id', vpceId: e.vpcEndpointId },
    };
  }

  private securityGroup(rows: PictureRows, id: string): SnapshotSecurityGroup | undefined {
    const g = rows.securityGroups.get(id)?.value;
    if (!g) return undefined;
    const mine = rows.rules.get(id) ?? [];
    const shape = (r: SecurityGroupRule) => ({
      ipProtocol: r.ipProtocol,
      fromPort: r.fromPort,
      toPort: r.toPort,
      cidrIpv4: r.cidrIpv4,
      referencedGroupId: r.referencedGroupId,
    });
    return {
      cloud: 'AWS',
      groupId: g.groupId,
      groupName: g.groupName,
      networkId: g.vpcId,
      accountId: g.accountId,
      region: g.region,
      ingress: mine.filter((r) => !r.isEgress).map(shape),
      egress: mine.filter((r) => r.isEgress).map(shape),
    };
  }

  /** A VPC or an on-premises network (their ids differ by prefix: `vpc-…`, `vgw-…`). */
  private network(rows: PictureRows, id: string): SnapshotNetwork | undefined {
    const v = rows.vpcs.get(id)?.value;
    if (v) {
      return {
        cloud: 'AWS',
        networkId: v.vpcId,
        accountId: v.accountId,
        region: v.region,
        cidrBlock: v.cidrBlock,
        isDefault: v.isDefault,
        loopbackOctet: loopbackOctet(this.range, v.slot),
      };
    }
    const o = rows.onPremises.get(id)?.value;
    if (!o) return undefined;
    return {
      cloud: 'AWS',
      networkId: o.gatewayId,
      accountId: o.accountId,
      region: o.region,
      cidrBlock: o.cidrBlock,
      isDefault: false,
      loopbackOctet: loopbackOctet(this.range, o.slot),
      kind: 'on-premises',
    };
  }
}

/** Builds `key`'s entity again, or forgets it when it has no row. */
function rebuild<T>(entities: Map<string, T>, key: string, build: () => T | undefined): void {
  const entity = build();
  if (entity === undefined) entities.delete(key);
  else entities.set(key, entity);
}

/** Whether two small lists have the same JSON (reach is rebuilt on every pass: it depends on `now`). */
function sameJson(a: PictureList<unknown>, b: PictureList<unknown>): boolean {
  return a.length === b.length && (a.length === 0 || JSON.stringify(a) === JSON.stringify(b));
}

/**
 * The routed paths between networks: for an `active` peering connection between VPCs A and B, a
 * route in A's main route table to the connection for destination D_A and one in B's for D_B let
 * A's hosts in D_B reach B's addresses in D_A (and B's hosts in D_A reach A's in D_B) — a TCP
 * connection needs a route each way. An on-premises network reaches the whole VPC it is attached
 * to (its CIDR is propagated into the VPC's route table, the VPC's CIDR is advertised over the link).
 */
function buildReach(rows: PictureRows, now: Date): SnapshotReach[] {
  const vpcById = (id: string): Vpc | undefined => rows.vpcs.get(id)?.value;
  const reach: SnapshotReach[] = [];
  for (const { value: peering } of rows.peerings.values()) {
    if (currentStatus(peering, now) !== 'active') continue;
    const a = vpcById(peering.requesterVpcId);
    const b = vpcById(peering.accepterVpcId);
    if (!a || !b) continue;
    const via = (vpc: Vpc) => (rows.routes.get(vpc.mainRouteTableId) ?? []).filter((r) => r.vpcPeeringConnectionId === peering.peeringId);
    for (const fromA of via(a)) {
      for (const fromB of via(b)) {
        reach.push({ fromNetworkId: a.vpcId, fromCidr: fromB.destinationCidr, toNetworkId: b.vpcId, toCidr: fromA.destinationCidr, via: peering.peeringId });
        reach.push({ fromNetworkId: b.vpcId, fromCidr: fromA.destinationCidr, toNetworkId: a.vpcId, toCidr: fromB.destinationCidr, via: peering.peeringId });
      }
    }
  }
  for (const { value: onPremises } of rows.onPremises.values()) {
    const vpc = vpcById(onPremises.vpcId);
    if (!vpc) continue;
    reach.push({ fromNetworkId: onPremises.gatewayId, fromCidr: onPremises.cidrBlock, toNetworkId: vpc.vpcId, toCidr: vpc.cidrBlock, via: onPremises.gatewayId });
    reach.push({ fromNetworkId: vpc.vpcId, fromCidr: vpc.cidrBlock, toNetworkId: onPremises.gatewayId, toCidr: onPremises.cidrBlock, via: onPremises.gatewayId });
  }
  return reach;
}
