import { createHash } from 'node:crypto';
import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { findZone } from '../geography.js';
import type { NetworkInterface } from '../model.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { applyFilters } from './filters.js';
import { paginate } from './paging.js';

/**
 * Who requested an AWS-managed interface (`requesterId`): ELB's alias for load balancer
 * interfaces (as AWS shows it), and for interface endpoints a fixed account id standing for
 * the AWS-owned account that manages them (AWS shows such an account id, never the customer's).
 */
const REQUESTER_OF: Readonly<Record<NetworkInterface['ownerKind'], string>> = { network_load_balancer: 'amazon-elb', vpc_endpoint: '727180483921' };

/** `InvalidNetworkInterfaceID.Malformed`: an id that is not `eni-` and lower-case alphanumerics. */
function malformed(id: string): AwsQueryError {
  return new AwsQueryError('InvalidNetworkInterfaceID.Malformed', `Invalid id: "${id}" (expecting "eni-...")`);
}

/** A MAC address derived from the interface id, stable across restarts (locally administered, unicast). */
function macOf(eni: NetworkInterface): string {
  const bytes = createHash('sha256').update(eni.networkInterfaceId).digest().subarray(0, 5);
  return ['02', ...[...bytes].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** `ip-172-31-0-5.ec2.internal` in us-east-1, `ip-….<region>.compute.internal` elsewhere (the VPC's default DHCP options). */
function privateDnsNameOf(eni: NetworkInterface): string {
  const host = `ip-${eni.privateIp.replace(/\./g, '-')}`;
  return eni.region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${eni.region}.compute.internal`;
}

/**
 * DescribeNetworkInterfaces: the caller's interfaces in the region — here the ones AWS manages
 * for the caller's interface endpoints (`interfaceType` `vpc_endpoint`, description
 * `VPC Endpoint Interface vpce-…`) and network load balancers (`network_load_balancer`,
 * `ELB net/<name>/<id>`), each with its private IP. `NetworkInterfaceId.N` (unknown →
 * InvalidNetworkInterfaceID.NotFound, malformed → …Malformed), filters `network-interface-id`,
 * `vpc-id`, `subnet-id`, `description`, `interface-type`, `requester-id`, `requester-managed`,
 * `availability-zone`, `private-ip-address`, `addresses.private-ip-address`, `status`,
 * `group-id`, `owner-id`; paging (5–1000).
 */
export async function describeNetworkInterfaces(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('NetworkInterfaceId');
  for (const id of ids) if (!/^eni-[a-z0-9]+$/.test(id)) throw malformed(id);
  let interfaces = (await ctx.repos.network.allInterfaces()).filter((eni) => eni.accountId === ctx.account.accountId && eni.region === ctx.region.regionName);
  for (const id of ids) {
    if (!interfaces.some((eni) => eni.networkInterfaceId === id)) {
      throw new AwsQueryError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
    }
  }
  if (ids.length > 0) interfaces = interfaces.filter((eni) => ids.includes(eni.networkInterfaceId));
  const groupsOf = new Map<string, Array<{ groupId: string; groupName: string }>>();
  for (const eni of interfaces) groupsOf.set(eni.networkInterfaceId, await groups(ctx, eni));
  interfaces = applyFilters(interfaces, parseFilters(ctx.params), {
    'network-interface-id': (eni) => eni.networkInterfaceId,
    'vpc-id': (eni) => eni.vpcId,
    'subnet-id': (eni) => eni.subnetId,
    description: (eni) => eni.description,
    'interface-type': (eni) => eni.ownerKind,
    'requester-id': (eni) => REQUESTER_OF[eni.ownerKind],
    'requester-managed': () => 'true',
    'availability-zone': (eni) => eni.availabilityZone,
    'private-ip-address': (eni) => eni.privateIp,
    'addresses.private-ip-address': (eni) => eni.privateIp,
    'private-dns-name': (eni) => privateDnsNameOf(eni),
    status: () => 'in-use',
    'group-id': (eni) => groupsOf.get(eni.networkInterfaceId)!.map((g) => g.groupId),
    'group-name': (eni) => groupsOf.get(eni.networkInterfaceId)!.map((g) => g.groupName),
    'owner-id': (eni) => eni.accountId,
  });
  const { page, nextToken } = await paginate(interfaces, ctx.params, { min: 5, max: 1000, clampAboveMax: true });
  return xml(
    list('networkInterfaceSet', 'item', page, (eni) => render(ctx, eni, groupsOf.get(eni.networkInterfaceId)!)),
    leaf('nextToken', nextToken),
  );
}

/** The security groups of the interface's owner: the endpoint's, or the load balancer's. */
async function groups(ctx: ActionContext, eni: NetworkInterface): Promise<Array<{ groupId: string; groupName: string }>> {
  const ids =
    eni.ownerKind === 'vpc_endpoint'
      ? ((await ctx.repos.endpoints.findEndpoint(eni.ownerId))?.securityGroupIds ?? [])
      : ((await ctx.repos.loadBalancers.findLoadBalancer(eni.ownerId))?.securityGroups ?? []);
  const found: Array<{ groupId: string; groupName: string }> = [];
  for (const groupId of ids) {
    const group = await ctx.repos.network.findSecurityGroup(groupId);
    if (group) found.push({ groupId, groupName: group.groupName });
  }
  return found;
}

function render(ctx: ActionContext, eni: NetworkInterface, groupSet: ReadonlyArray<{ groupId: string; groupName: string }>): Xml {
  const dnsName = privateDnsNameOf(eni);
  return xml(
    leaf('networkInterfaceId', eni.networkInterfaceId),
    leaf('subnetId', eni.subnetId),
    leaf('vpcId', eni.vpcId),
    leaf('availabilityZone', eni.availabilityZone),
    leaf('availabilityZoneId', findZone(ctx.region, eni.availabilityZone)?.zoneId),
    leaf('description', eni.description),
    leaf('ownerId', eni.accountId),
    leaf('requesterId', REQUESTER_OF[eni.ownerKind]),
    leaf('requesterManaged', true),
    leaf('status', 'in-use'),
    leaf('macAddress', macOf(eni)),
    leaf('privateIpAddress', eni.privateIp),
    leaf('privateDnsName', dnsName),
    leaf('sourceDestCheck', true),
    list('groupSet', 'item', groupSet, (g) => xml(leaf('groupId', g.groupId), leaf('groupName', g.groupName))),
    element('tagSet'),
    list('privateIpAddressesSet', 'item', [eni.privateIp], (ip) => xml(leaf('privateIpAddress', ip), leaf('privateDnsName', dnsName), leaf('primary', true))),
    element('ipv6AddressesSet'),
    leaf('interfaceType', eni.ownerKind),
  );
}
