import type { ActionContext } from '../action-context.js';
import { findZone, type Region } from '../geography.js';
import type { EndpointService, NetworkInterface, ServicePermission, VpcEndpoint } from '../model.js';
import { endpointDnsNames } from '../names.js';
import type { Repositories } from '../store/repositories.js';
import type { DnsEntry, ZoneRef } from './ec2-render.js';

/**
 * Derived views shared by the endpoint actions: a service's AZs (those of its load balancers'
 * subnets), who may see a service, and an endpoint's DNS entries and security groups.
 */

/** Service states in which consumers can see and use a service. */
const USABLE_SERVICE_STATES: ReadonlySet<string> = new Set(['Pending', 'Available']);

/** Connection states that block deleting a service (AWS: ExistingVpcEndpointConnections). */
export const LIVE_CONNECTION_STATES: ReadonlySet<string> = new Set(['pendingAcceptance', 'pending', 'available']);

/** The AZs of a service: the union of its network load balancers' subnet AZs, sorted by name. */
export async function serviceZones(repos: Repositories, service: EndpointService): Promise<ZoneRef[]> {
  const zones = new Map<string, ZoneRef>();
  for (const arn of service.loadBalancerArns) {
    const lb = await repos.loadBalancers.findLoadBalancer(arn);
    for (const subnet of lb?.subnets ?? []) zones.set(subnet.zoneName, { zoneName: subnet.zoneName, zoneId: subnet.zoneId });
  }
  return [...zones.values()].sort((a, b) => a.zoneName.localeCompare(b.zoneName));
}

/** Whether `accountId` may use the service: its owner, or allowed by `*` or `arn:aws:iam::<account>:root`. */
function isAllowed(service: EndpointService, permissions: readonly ServicePermission[], accountId: string): boolean {
  if (service.accountId === accountId) return true;
  return permissions.some((p) => p.principal === '*' || p.principal === `arn:aws:iam::${accountId}:root`);
}

/**
 * The services of the request region the caller can see as a consumer (usable state, allowed), in
 * creation order; only those named in `names` when it is given. A service whose principals exclude
 * the caller is simply not there, as in AWS. Two reads, however many services the region holds.
 */
export async function visibleServices(ctx: ActionContext, names?: readonly string[]): Promise<EndpointService[]> {
  const region = ctx.region.regionName;
  const named = names !== undefined && names.length > 0;
  const services = (named ? await ctx.repos.endpoints.findServicesByName(region, names) : await ctx.repos.endpoints.listServicesInRegion(region)).filter((s) =>
    USABLE_SERVICE_STATES.has(s.state),
  );
  const foreign = services.filter((s) => s.accountId !== ctx.account.accountId);
  if (foreign.length === 0) return services;
  const permissions = named ? await ctx.repos.endpoints.permissionsOf(foreign.map((s) => s.serviceId)) : await ctx.repos.endpoints.permissionsInRegion(region);
  const byService = new Map<string, ServicePermission[]>();
  for (const p of permissions) {
    const list = byService.get(p.serviceId);
    if (list) list.push(p);
    else byService.set(p.serviceId, [p]);
  }
  return services.filter((service) => isAllowed(service, byService.get(service.serviceId) ?? [], ctx.account.accountId));
}

/** dnsEntrySet of an endpoint: the regional name, then one per AZ of its interfaces. */
export function endpointDnsEntries(region: Region, endpoint: VpcEndpoint, interfaces: readonly NetworkInterface[]): DnsEntry[] {
  const zones = [...new Set(interfaces.map((eni) => eni.availabilityZone))].sort((a, b) => {
    const za = findZone(region, a);
    const zb = findZone(region, b);
    return (za ? region.zones.indexOf(za) : 0) - (zb ? region.zones.indexOf(zb) : 0);
  });
  return endpointDnsNames(endpoint.vpcEndpointId, endpoint.dnsSuffix, endpoint.serviceId, endpoint.region, zones).map((dnsName) => ({
    dnsName,
    hostedZoneId: region.vpceHostedZoneId,
  }));
}

/** The endpoint's security groups with their names (groups deleted since are skipped). */
export async function endpointGroups(repos: Repositories, endpoint: VpcEndpoint): Promise<Array<{ groupId: string; groupName: string }>> {
  const groups: Array<{ groupId: string; groupName: string }> = [];
  for (const groupId of endpoint.securityGroupIds) {
    const group = await repos.network.findSecurityGroup(groupId);
    if (group) groups.push({ groupId, groupName: group.groupName });
  }
  return groups;
}
