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
 * The services of the request region the caller can see as a consumer (usable state, allowed).
 * A service whose principals exclude the caller is simply not there, as in AWS.
 */
export async function visibleServices(ctx: ActionContext): Promise<EndpointService[]> {
  const services = await ctx.repos.endpoints.listServicesInRegion(ctx.region.regionName);
  const visible: EndpointService[] = [];
  for (const service of services) {
    if (!USABLE_SERVICE_STATES.has(service.state)) continue;
    if (isAllowed(service, await ctx.repos.endpoints.listPermissions(service.serviceId), ctx.account.accountId)) visible.push(service);
  }
  return visible;
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
