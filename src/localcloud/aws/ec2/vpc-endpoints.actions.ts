import { asShown, atRest, type ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { dnsSuffix, ec2Id } from '../ids.js';
import type { EndpointService, NetworkInterface, SecurityGroup, Subnet, VpcEndpoint } from '../model.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, scalarList, xml, type Xml } from '../xml.js';
import { checkClientToken } from './client-token.js';
import { announceConnectionEvent } from './connection-events.js';
import { checkVpcEndpointId, invalidParameter, missingParameter, optionalBoolean, required, serviceNameNotFound, vpcEndpointNotFound } from './ec2-errors.js';
import { renderServiceDetail, renderUnsuccessful, renderVpcEndpoint, type UnsuccessfulItem } from './ec2-render.js';
import { endpointDnsEntries, endpointGroups, serviceZones, visibleServices } from './endpoint-views.js';
import { applyFilters, filterMatcher } from './filters.js';
import { allocateInterfaces } from './network-factory.js';
import { paginate } from './paging.js';
import { ownRows } from '../seq-pages.js';
import { ownGroup } from './security-groups.actions.js';
import { tagsFromSpecifications } from './tags.js';
import { ownSubnet, ownVpc } from './vpcs.actions.js';
import { namedAmong } from '../../common/named-rows.js';

/** An endpoint as AWS renders it; its interfaces and security groups are read unless the caller has them (it just made them). */
async function renderEndpoint(
  ctx: ActionContext,
  endpoint: VpcEndpoint,
  known?: { interfaces: NetworkInterface[]; groups: ReadonlyArray<Pick<SecurityGroup, 'groupId' | 'groupName'>> },
): Promise<Xml> {
  const interfaces = known?.interfaces ?? (await ctx.repos.network.listInterfacesOfOwners([endpoint.vpcEndpointId]));
  const groups = known?.groups ?? (await endpointGroups(ctx.repos, endpoint));
  return renderVpcEndpoint(endpoint, interfaces, groups, endpointDnsEntries(ctx.region, endpoint, interfaces));
}

/**
 * CreateVpcEndpoint (Interface): `VpcId`, `ServiceName`, `VpcEndpointType`, `SubnetId.N`,
 * `SecurityGroupId.N` (VPC default group when none), `PrivateDnsEnabled`, `IpAddressType`,
 * `ClientToken`, tags (vpc-endpoint). Each subnet's AZ must be one the service supports (AWS's
 * exact InvalidParameter message otherwise). One network interface per subnet. Starts
 * `pendingAcceptance` when the service requires acceptance, else `pending` → `available`.
 */
export async function createVpcEndpoint(ctx: ActionContext): Promise<Xml> {
  const idempotency = await checkClientToken(ctx);
  if (idempotency.existingId) {
    const existing = await ctx.repos.endpoints.findEndpoint(idempotency.existingId);
    if (existing) return xml(element('vpcEndpoint', await renderEndpoint(ctx, existing)), leaf('clientToken', idempotency.token));
  }
  const vpc = await ownVpc(ctx, required(ctx.params, 'VpcId'));
  const serviceName = required(ctx.params, 'ServiceName');
  const type = ctx.params.get('VpcEndpointType') || 'Gateway';
  const service = (await visibleServices(ctx, [serviceName])).find((s) => s.serviceName === serviceName);
  if (!service) throw serviceNameNotFound(serviceName);
  if (type !== 'Interface') throw invalidParameter(`Endpoint type (${type}) does not match available service types ([Interface]).`);
  if (ctx.params.list('RouteTableId').length > 0) throw invalidParameter('Route table IDs are only supported for Gateway type VPC Endpoint.');
  const windowOpen = service.state === 'Pending' || (service.availableAt !== null && ctx.now.getTime() < service.availableAt.getTime() + ctx.unavailableWindowMs);
  if (ctx.unavailableWindowMs > 0 && windowOpen) throw new AwsQueryError('Unavailable', 'The service is unavailable', 503);

  const subnets = await endpointSubnets(ctx, vpc.vpcId, service, ctx.params.list('SubnetId'), []);
  const groups = await endpointGroupsNamed(ctx, vpc.vpcId, ctx.params.list('SecurityGroupId'));
  if (groups.length === 0) groups.push((await ctx.repos.network.findSecurityGroupByName(vpc.vpcId, 'default'))!);
  if (optionalBoolean(ctx.params, 'PrivateDnsEnabled') === true) {
    throw invalidParameter(
      service.privateDnsName
        ? `Private DNS can't be enabled because the private DNS name of service ${service.serviceName} has not been verified.`
        : `Private DNS can't be enabled because the service ${service.serviceName} does not provide a private DNS name.`,
    );
  }
  const ipAddressType = ctx.params.get('IpAddressType') || 'ipv4';
  if (ipAddressType !== 'ipv4') throw invalidParameter(`IpAddressType ${ipAddressType} is not supported by the service ${service.serviceName}.`);
  const tags = tagsFromSpecifications(ctx.params, 'vpc-endpoint');

  const vpcEndpointId = ec2Id('vpce');
  const timing = service.acceptanceRequired ? atRest('pendingAcceptance') : ctx.schedule('pending', 'available', ctx.delays.connectionAvailable, 'vpcEndpoint');
  const endpoint = await ctx.repos.endpoints.insertEndpoint({
    vpcEndpointId,
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    vpcId: vpc.vpcId,
    serviceId: service.serviceId,
    serviceName: service.serviceName,
    endpointType: 'Interface',
    state: timing.stored.state as VpcEndpoint['state'],
    nextState: timing.stored.nextState,
    nextStateAt: timing.stored.nextStateAt,
    subnetIds: subnets.map((s) => s.subnetId),
    securityGroupIds: groups.map((g) => g.groupId),
    dnsSuffix: dnsSuffix(),
    privateDnsEnabled: false,
    ipAddressType,
    tags,
    createdAt: ctx.now,
  });
  const interfaces = await allocateInterfaces(
    ctx.repos,
    subnets,
    { ownerKind: 'vpc_endpoint', ownerId: vpcEndpointId, description: `VPC Endpoint Interface ${vpcEndpointId}` },
    ctx.now,
  );
  await idempotency.remember(vpcEndpointId);
  await announceConnectionEvent(ctx, endpoint, 'Connect', timing.shown.state);
  return xml(element('vpcEndpoint', await renderEndpoint(ctx, asShown(endpoint, timing), { interfaces, groups })), leaf('clientToken', idempotency.token));
}

/**
 * The subnets `subnetIds` (each once) an interface endpoint of `service` in `vpcId` may take
 * beside `kept` (the subnets it keeps): each the caller's, in the VPC, in a zone the service
 * supports and no zone twice, in AWS's words otherwise.
 */
async function endpointSubnets(ctx: ActionContext, vpcId: string, service: EndpointService, subnetIds: readonly string[], kept: readonly Subnet[]): Promise<Subnet[]> {
  const zones = await serviceZones(ctx.repos, service);
  const subnets: Subnet[] = [];
  for (const subnetId of [...new Set(subnetIds)]) {
    const subnet = await ownSubnet(ctx, subnetId);
    if (subnet.vpcId !== vpcId) throw invalidParameter(`The subnet ID '${subnetId}' does not belong to the VPC '${vpcId}'.`);
    if (!zones.some((zone) => zone.zoneId === subnet.availabilityZoneId)) {
      throw invalidParameter(`The VPC endpoint service ${service.serviceName} does not support the availability zone of the subnet: ${subnetId}.`);
    }
    if ([...kept, ...subnets].some((other) => other.availabilityZoneId === subnet.availabilityZoneId)) {
      throw new AwsQueryError(
        'DuplicateSubnetsInSameZone',
        `Found another VPC endpoint subnet in the availability zone of ${subnetId}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
      );
    }
    subnets.push(subnet);
  }
  return subnets;
}

/** The security groups `groupIds` (each once), each the caller's and in `vpcId`. */
async function endpointGroupsNamed(ctx: ActionContext, vpcId: string, groupIds: readonly string[]): Promise<SecurityGroup[]> {
  const groups: SecurityGroup[] = [];
  for (const groupId of [...new Set(groupIds)]) {
    const group = await ownGroup(ctx, groupId);
    if (group.vpcId !== vpcId) throw invalidParameter(`The security group '${groupId}' does not belong to the VPC '${vpcId}'.`);
    groups.push(group);
  }
  return groups;
}

/**
 * ModifyVpcEndpoint (Interface): `VpcEndpointId`, `AddSubnetId.N` / `RemoveSubnetId.N` (a network
 * interface is made in each added subnet, by the rules of CreateVpcEndpoint, and the one in each
 * removed subnet is freed), `AddSecurityGroupId.N` / `RemoveSecurityGroupId.N` (at least one group
 * stays), `PrivateDnsEnabled` (as at creation: the emulated services have no verified private DNS
 * name, so only false). Route tables are for gateway endpoints. Answers `return` true. Every
 * check runs before anything changes; the data plane follows the new interfaces and groups.
 */
export async function modifyVpcEndpoint(ctx: ActionContext): Promise<Xml> {
  const id = required(ctx.params, 'VpcEndpointId');
  checkVpcEndpointId(id);
  const endpoint = await ctx.repos.endpoints.findEndpoint(id);
  if (!endpoint || endpoint.accountId !== ctx.account.accountId || endpoint.region !== ctx.region.regionName) throw vpcEndpointNotFound(id);
  if (endpoint.state === 'deleting' || endpoint.state === 'deleted' || endpoint.state === 'failed') {
    throw new AwsQueryError('IncorrectState', `The Vpc Endpoint ${id} is in state ${endpoint.state} and cannot be modified.`);
  }
  if (ctx.params.list('AddRouteTableId').length > 0 || ctx.params.list('RemoveRouteTableId').length > 0) {
    throw invalidParameter('Route table IDs are only supported for Gateway type VPC Endpoint.');
  }
  const service = await ctx.repos.endpoints.findService(endpoint.serviceId);
  if (!service) throw vpcEndpointNotFound(id);

  const removedSubnets = [...new Set(ctx.params.list('RemoveSubnetId'))];
  for (const subnetId of removedSubnets) {
    if (!endpoint.subnetIds.includes(subnetId)) throw invalidParameter(`The subnet ID '${subnetId}' is not associated with the VPC endpoint ${id}.`);
  }
  const keptSubnetIds = endpoint.subnetIds.filter((subnetId) => !removedSubnets.includes(subnetId));
  // The endpoint's own subnets (the caller's since it made them), in one read.
  const kept = await ctx.repos.network.findSubnets(keptSubnetIds);
  const added = await endpointSubnets(
    ctx,
    endpoint.vpcId,
    service,
    ctx.params.list('AddSubnetId').filter((subnetId) => !keptSubnetIds.includes(subnetId)),
    kept,
  );

  const removedGroups = [...new Set(ctx.params.list('RemoveSecurityGroupId'))];
  for (const groupId of removedGroups) {
    if (!endpoint.securityGroupIds.includes(groupId)) throw invalidParameter(`The security group '${groupId}' is not associated with the VPC endpoint ${id}.`);
  }
  const addedGroups = await endpointGroupsNamed(ctx, endpoint.vpcId, ctx.params.list('AddSecurityGroupId'));
  const groupIds = [...new Set([...endpoint.securityGroupIds.filter((groupId) => !removedGroups.includes(groupId)), ...addedGroups.map((g) => g.groupId)])];
  if (groupIds.length === 0) throw invalidParameter(`The VPC endpoint ${id} must keep at least one security group.`);
  if (optionalBoolean(ctx.params, 'PrivateDnsEnabled') === true) {
    throw invalidParameter(`Private DNS can't be enabled because the service ${service.serviceName} does not provide a private DNS name.`);
  }

  const subnetIds = [...keptSubnetIds, ...added.map((s) => s.subnetId)];
  await ctx.repos.endpoints.updateEndpointNetworking(id, subnetIds, groupIds);
  if (removedSubnets.length > 0) await ctx.repos.network.deleteInterfacesOfOwnerIn(id, removedSubnets);
  if (added.length > 0) await allocateInterfaces(ctx.repos, added, { ownerKind: 'vpc_endpoint', ownerId: id, description: `VPC Endpoint Interface ${id}` }, ctx.now);
  return leaf('return', 'true');
}

/** DescribeVpcEndpoints: `VpcEndpointId.N` (a malformed one → InvalidVpcEndpointId.Malformed), filters service-name, vpc-id, vpc-endpoint-id, vpc-endpoint-state, vpc-endpoint-type, ip-address-type, tags; paging (≤1000). */
export async function describeVpcEndpoints(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('VpcEndpointId');
  ids.forEach(checkVpcEndpointId);
  const keep = filterMatcher<VpcEndpoint>(
    parseFilters(ctx.params),
    {
      'service-name': (e) => e.serviceName,
      'vpc-id': (e) => e.vpcId,
      'vpc-endpoint-id': (e) => e.vpcEndpointId,
      'vpc-endpoint-state': (e) => e.state,
      'vpc-endpoint-type': (e) => e.endpointType,
      'ip-address-type': (e) => e.ipAddressType,
      'service-region': (e) => e.region,
    },
    (e) => e.tags,
  );
  const { accountId } = ctx.account;
  const { regionName } = ctx.region;
  const rows = await ownRows(
    ids,
    (only, window) => ctx.repos.endpoints.listEndpoints(accountId, regionName, only, window),
    (e) => e.vpcEndpointId,
    vpcEndpointNotFound,
  );
  const { page, nextToken } = await paginate(rows, ctx.params, { min: 1, max: 1000, clampAboveMax: true }, keep);
  const items: Xml[] = [];
  for (const endpoint of page) items.push(await renderEndpoint(ctx, endpoint));
  return xml(
    list('vpcEndpointSet', 'item', items, (x) => x),
    leaf('nextToken', nextToken),
  );
}

/**
 * DeleteVpcEndpoints: `VpcEndpointId.N`. Each goes `deleting` → `deleted` (then vanishes);
 * deleting one already deleting is fine; unknown ids come back in `unsuccessful`.
 */
export async function deleteVpcEndpoints(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('VpcEndpointId');
  if (ids.length === 0) throw missingParameter('VpcEndpointId');
  ids.forEach(checkVpcEndpointId);
  const unsuccessful: UnsuccessfulItem[] = [];
  for (const id of ids) {
    const endpoint = await ctx.repos.endpoints.findEndpoint(id);
    if (!endpoint || endpoint.accountId !== ctx.account.accountId || endpoint.region !== ctx.region.regionName) {
      unsuccessful.push({ resourceId: id, code: 'InvalidVpcEndpoint.NotFound', message: `The Vpc Endpoint Id '${id}' does not exist` });
      continue;
    }
    if (endpoint.state === 'deleting' || endpoint.state === 'deleted') continue;
    const timing = ctx.schedule('deleting', 'deleted', ctx.delays.endpointDeletion, 'vpcEndpoint');
    await ctx.repos.endpoints.updateEndpointTiming(id, timing.stored);
    await announceConnectionEvent(ctx, endpoint, 'Delete', timing.shown.state);
  }
  return renderUnsuccessful(unsuccessful);
}

/**
 * DescribeVpcEndpointServices: `ServiceName.N`, filters service-name, service-type, service-region,
 * owner, tags; paging. Lists the region's endpoint services the caller may use (AWS's own
 * services are not emulated). A named service the caller cannot see fails with InvalidServiceName.
 */
export async function describeVpcEndpointServices(ctx: ActionContext): Promise<Xml> {
  const names = ctx.params.list('ServiceName');
  let services = namedAmong(await visibleServices(ctx, names), names, (s) => s.serviceName, serviceNameNotFound);
  services = applyFilters(
    services,
    parseFilters(ctx.params),
    {
      'service-name': (s) => s.serviceName,
      'service-type': () => 'Interface',
      'service-region': (s) => s.region,
      owner: (s) => s.accountId,
      'supported-ip-address-types': (s) => s.supportedIpAddressTypes,
    },
    (s) => s.tags,
  );
  const { page, nextToken } = await paginate(services, ctx.params, { min: 1, max: 1000, clampAboveMax: true });
  const details: Xml[] = [];
  for (const service of page) details.push(renderServiceDetail(service, await serviceZones(ctx.repos, service)));
  return xml(
    scalarList(
      'serviceNameSet',
      'item',
      page.map((s) => s.serviceName),
    ),
    list('serviceDetailSet', 'item', details, (x) => x),
    leaf('nextToken', nextToken),
  );
}
