import { findRegion } from './geography.js';
import { cidrContainsAddress, parseCidr, parseIpv4 } from '../common/ipv4.js';
import { nextDueAt } from './lazy-transitions.js';
import { loopbackAddress, type LoopbackRange } from '../common/loopback.js';
import type { NetworkInterface, Vpc } from './model.js';
import { endpointDnsNames } from './names.js';
import type { Repositories } from './store/repositories.js';
import type { DataPlaneSnapshot, SnapshotNetworkInterface, SnapshotTargetGroup } from './data-plane-snapshot.js';

/**
 * Builds the data-plane snapshot from the store (rows already advanced to `now`). Read-only;
 * call inside one transaction so the picture is consistent.
 */
export async function buildSnapshot(repos: Repositories, now: Date, range: LoopbackRange): Promise<DataPlaneSnapshot> {
  const vpcs = await repos.network.allVpcs();
  const vpcById = new Map(vpcs.map((v) => [v.vpcId, v]));
  const loopback = (vpc: Vpc | undefined, ip: string) => (vpc ? loopbackAddress(range, vpc.slot, ip) : ip);
  const interfaces = await repos.network.allInterfaces();
  const toInterface = (eni: NetworkInterface): SnapshotNetworkInterface => ({
    networkInterfaceId: eni.networkInterfaceId,
    vpcId: eni.vpcId,
    subnetId: eni.subnetId,
    availabilityZone: eni.availabilityZone,
    privateIp: eni.privateIp,
    loopbackAddress: loopback(vpcById.get(eni.vpcId), eni.privateIp),
  });
  const interfacesOf = (ownerId: string) => interfaces.filter((eni) => eni.ownerId === ownerId).map(toInterface);

  const rules = await repos.network.listRules();
  const securityGroups = (await repos.network.allSecurityGroups()).map((g) => {
    const mine = rules.filter((r) => r.groupId === g.groupId);
    const shape = (r: (typeof rules)[number]) => ({
      ipProtocol: r.ipProtocol,
      fromPort: r.fromPort,
      toPort: r.toPort,
      cidrIpv4: r.cidrIpv4,
      referencedGroupId: r.referencedGroupId,
    });
    return {
      groupId: g.groupId,
      groupName: g.groupName,
      vpcId: g.vpcId,
      accountId: g.accountId,
      region: g.region,
      ingress: mine.filter((r) => !r.isEgress).map(shape),
      egress: mine.filter((r) => r.isEgress).map(shape),
    };
  });

  const groups = await repos.loadBalancers.allTargetGroups();
  const targets = await repos.loadBalancers.listTargets(groups.map((g) => g.arn));
  const groupView = new Map<string, SnapshotTargetGroup>(
    groups.map((g) => {
      const vpc = vpcById.get(g.vpcId);
      const cidr = vpc && parseCidr(vpc.cidrBlock);
      return [
        g.arn,
        {
          arn: g.arn,
          name: g.name,
          protocol: g.protocol,
          port: g.port,
          targetType: g.targetType,
          vpcId: g.vpcId,
          proxyProtocolV2: g.attributes['proxy_protocol_v2.enabled'] === 'true',
          attributes: g.attributes,
          targets: targets
            .filter((t) => t.targetGroupArn === g.arn)
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
  const listeners = await repos.loadBalancers.listListeners(lbs.map((lb) => lb.arn));
  const loadBalancers = lbs.map((lb) => ({
    arn: lb.arn,
    name: lb.name,
    accountId: lb.accountId,
    region: lb.region,
    vpcId: lb.vpcId,
    scheme: lb.scheme,
    state: lb.state,
    dnsName: lb.dnsName,
    securityGroupIds: lb.securityGroups,
    networkInterfaces: interfacesOf(lb.arn),
    listeners: listeners
      .filter((l) => l.loadBalancerArn === lb.arn && groupView.has(l.targetGroupArn))
      .map((l) => ({ arn: l.arn, port: l.port, protocol: l.protocol, targetGroup: groupView.get(l.targetGroupArn)! })),
  }));

  const services = await repos.endpoints.allServices();
  const endpointServices = [];
  for (const s of services) {
    const zones = new Set(s.loadBalancerArns.flatMap((arn) => lbs.find((lb) => lb.arn === arn)?.subnets.map((sub) => sub.zoneName) ?? []));
    endpointServices.push({
      serviceId: s.serviceId,
      serviceName: s.serviceName,
      accountId: s.accountId,
      region: s.region,
      state: s.state,
      acceptanceRequired: s.acceptanceRequired,
      loadBalancerArns: s.loadBalancerArns,
      availabilityZones: [...zones].sort(),
      allowedPrincipals: (await repos.endpoints.listPermissions(s.serviceId)).map((p) => p.principal),
    });
  }
  const liveServices = new Set(services.filter((s) => s.state === 'Available' || s.state === 'Pending').map((s) => s.serviceId));
  const vpcEndpoints = (await repos.endpoints.allEndpoints()).map((e) => {
    const enis = interfacesOf(e.vpcEndpointId);
    const region = findRegion(e.region);
    const zones = region ? region.zones.map((z) => z.zoneName).filter((z) => enis.some((eni) => eni.availabilityZone === z)) : [];
    return {
      vpcEndpointId: e.vpcEndpointId,
      accountId: e.accountId,
      region: e.region,
      vpcId: e.vpcId,
      serviceId: e.serviceId,
      serviceName: e.serviceName,
      state: e.state,
      forwarding: e.state === 'available' && liveServices.has(e.serviceId),
      securityGroupIds: e.securityGroupIds,
      networkInterfaces: enis,
      dnsNames: endpointDnsNames(e.vpcEndpointId, e.dnsSuffix, e.serviceId, e.region, zones),
    };
  });

  return {
    takenAt: now,
    nextTransitionAt: await nextDueAt(repos),
    loopbackBase: range.base,
    vpcs: vpcs.map((v) => ({ vpcId: v.vpcId, accountId: v.accountId, region: v.region, cidrBlock: v.cidrBlock, isDefault: v.isDefault, slot: v.slot })),
    securityGroups,
    loadBalancers,
    endpointServices,
    vpcEndpoints,
  };
}
