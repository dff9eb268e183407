import { createHash } from 'node:crypto';
import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { findZone } from '../geography.js';
import type { NetworkInterface } from '../model.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { filterMatcher } from './filters.js';
import { paginate } from './paging.js';
import { ownRows, type SeqWindow } from '../seq-pages.js';

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
  const { accountId } = ctx.account;
  const { regionName } = ctx.region;
  // Named interfaces are read alone; otherwise the page's own rows, not every interface there is.
  const rows = await ownRows(
    ids,
    (only, window) => ctx.repos.network.listInterfaces(accountId, regionName, only, window),
    (eni) => eni.networkInterfaceId,
    (id) => new AwsQueryError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`),
  );
  const keep = filterMatcher<Described>(parseFilters(ctx.params), {
    'network-interface-id': ({ eni }) => eni.networkInterfaceId,
    'vpc-id': ({ eni }) => eni.vpcId,
    'subnet-id': ({ eni }) => eni.subnetId,
    description: ({ eni }) => eni.description,
    'interface-type': ({ eni }) => eni.ownerKind,
    'requester-id': ({ eni }) => REQUESTER_OF[eni.ownerKind],
    'requester-managed': () => 'true',
    'availability-zone': ({ eni }) => eni.availabilityZone,
    'private-ip-address': ({ eni }) => eni.privateIp,
    'addresses.private-ip-address': ({ eni }) => eni.privateIp,
    'private-dns-name': ({ eni }) => privateDnsNameOf(eni),
    status: () => 'in-use',
    'group-id': ({ groups }) => groups.map((g) => g.groupId),
    'group-name': ({ groups }) => groups.map((g) => g.groupName),
    'owner-id': ({ eni }) => eni.accountId,
  });
  const { page, nextToken } = await paginate(async (window: SeqWindow) => withGroups(ctx, await rows(window)), ctx.params, { min: 5, max: 1000, clampAboveMax: true }, keep);
  return xml(
    list('networkInterfaceSet', 'item', page, ({ eni, groups }) => render(ctx, eni, groups)),
    leaf('nextToken', nextToken),
  );
}

/** An interface with its owner's security groups (filters and the answer need both). */
interface Described {
  readonly seq: number;
  readonly eni: NetworkInterface;
  readonly groups: ReadonlyArray<{ groupId: string; groupName: string }>;
}

/** The most interfaces whose owners' groups are read in one round of queries (a listing with no page size is read whole; PostgreSQL takes at most 65,535 parameters). */
const GROUPS_BATCH = 5_000;

/**
 * The interfaces with the security groups of their owners (the endpoint's, or the load balancer's),
 * read in three queries per GROUPS_BATCH interfaces instead of one or more per interface.
 */
async function withGroups(ctx: ActionContext, interfaces: readonly NetworkInterface[]): Promise<Described[]> {
  if (interfaces.length > GROUPS_BATCH) {
    const out: Described[] = [];
    for (let at = 0; at < interfaces.length; at += GROUPS_BATCH) out.push(...(await withGroups(ctx, interfaces.slice(at, at + GROUPS_BATCH))));
    return out;
  }
  const { accountId } = ctx.account;
  const { regionName } = ctx.region;
  const owners = (kind: NetworkInterface['ownerKind']) => [...new Set(interfaces.filter((eni) => eni.ownerKind === kind).map((eni) => eni.ownerId))];
  const groupIdsOf = new Map<string, readonly string[]>();
  for (const endpoint of await ctx.repos.endpoints.listEndpoints(accountId, regionName, owners('vpc_endpoint'))) groupIdsOf.set(endpoint.vpcEndpointId, endpoint.securityGroupIds);
  const balancers = owners('network_load_balancer');
  for (const lb of await ctx.repos.loadBalancers.listLoadBalancers(accountId, regionName, { key: 'arn', values: balancers })) groupIdsOf.set(lb.arn, lb.securityGroups);
  const names = new Map((await ctx.repos.network.findSecurityGroups([...new Set([...groupIdsOf.values()].flat())])).map((g) => [g.groupId, g.groupName]));
  return interfaces.map((eni) => ({
    seq: eni.seq,
    eni,
    groups: (groupIdsOf.get(eni.ownerId) ?? []).flatMap((groupId) => (names.has(groupId) ? [{ groupId, groupName: names.get(groupId)! }] : [])),
  }));
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
