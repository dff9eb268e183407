import { asShown, type ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { ec2Id } from '../ids.js';
import type { EndpointService } from '../model.js';
import { endpointServiceName } from '../names.js';
import { parseFilters } from '../query-params.js';
import { element, leaf, list, xml, type Xml } from '../xml.js';
import { checkClientToken } from './client-token.js';
import { invalidParameter, missingParameter, optionalBoolean, required, serviceIdNotFound } from './ec2-errors.js';
import { renderServiceConfiguration, renderUnsuccessful, type UnsuccessfulItem } from './ec2-render.js';
import { LIVE_CONNECTION_STATES, serviceZones } from './endpoint-views.js';
import { applyFilters, filterMatcher } from './filters.js';
import { paginate } from './paging.js';
import { ownRows } from '../seq-pages.js';
import { tagsFromSpecifications } from './tags.js';
import { enteredAt } from '../lazy-transitions.js';

/** The caller's service `serviceId` in the request region, or InvalidVpcEndpointServiceId.NotFound. */
export async function ownService(ctx: ActionContext, serviceId: string): Promise<EndpointService> {
  const service = await ctx.repos.endpoints.findService(serviceId);
  if (!service || service.accountId !== ctx.account.accountId || service.region !== ctx.region.regionName) throw serviceIdNotFound(serviceId);
  return service;
}

async function renderConfiguration(ctx: ActionContext, service: EndpointService): Promise<Xml> {
  return renderServiceConfiguration(service, await serviceZones(ctx.repos, service));
}

/**
 * CreateVpcEndpointServiceConfiguration: `NetworkLoadBalancerArn.N` (the caller's network load
 * balancers, not used by another service), `AcceptanceRequired`, `PrivateDnsName`,
 * `SupportedIpAddressType.N` (ipv4), `ClientToken`, tags (vpc-endpoint-service). Starts
 * `Pending`; `Available` after the serviceAvailable delay and never before its NLBs are active.
 */
export async function createVpcEndpointServiceConfiguration(ctx: ActionContext): Promise<Xml> {
  const idempotency = await checkClientToken(ctx);
  if (idempotency.existingId) {
    const existing = await ctx.repos.endpoints.findService(idempotency.existingId);
    if (existing) return xml(element('serviceConfiguration', await renderConfiguration(ctx, existing)), leaf('clientToken', idempotency.token));
  }
  if (ctx.params.list('GatewayLoadBalancerArn').length > 0) throw invalidParameter('Gateway Load Balancer endpoint services are not supported by the local cloud.');
  const arns = [...new Set(ctx.params.list('NetworkLoadBalancerArn'))];
  if (arns.length === 0) throw missingParameter('NetworkLoadBalancerArn');
  let readyAt = ctx.now.getTime() + ctx.delays.serviceAvailable;
  const invalid: string[] = [];
  for (const arn of arns) {
    const lb = await ctx.repos.loadBalancers.findLoadBalancer(arn);
    if (!lb || lb.accountId !== ctx.account.accountId || lb.region !== ctx.region.regionName) invalid.push(arn);
    else if (lb.state === 'provisioning' && lb.nextStateAt) readyAt = Math.max(readyAt, lb.nextStateAt.getTime());
  }
  if (invalid.length > 0) throw invalidParameter(`The following load balancers do not exist or are not network load balancers: ${invalid.join(', ')}`);
  const taken = (await ctx.repos.endpoints.servicesUsingLoadBalancers(ctx.account.accountId, ctx.region.regionName, arns))
    .flatMap((s) => s.loadBalancerArns)
    .filter((arn) => arns.includes(arn));
  if (taken.length > 0) throw invalidParameter(`The following LBs are already associated with another VPC Endpoint Service Configuration: ${taken.join(', ')}`);
  const ipTypes = ctx.params.list('SupportedIpAddressType');
  for (const type of ipTypes) if (type !== 'ipv4') throw invalidParameter(`Supported IP address type '${type}' is not supported by the local cloud; use ipv4.`);
  const tags = tagsFromSpecifications(ctx.params, 'vpc-endpoint-service');
  const serviceId = ec2Id('vpce-svc');
  const timing = ctx.schedule('Pending', 'Available', readyAt - ctx.now.getTime(), 'endpointService');
  const service = await ctx.repos.endpoints.insertService({
    serviceId,
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    serviceName: endpointServiceName(ctx.region.regionName, serviceId),
    state: timing.stored.state as EndpointService['state'],
    nextState: timing.stored.nextState,
    nextStateAt: timing.stored.nextStateAt,
    availableAt: enteredAt(timing, 'Available') ?? null,
    acceptanceRequired: optionalBoolean(ctx.params, 'AcceptanceRequired') ?? false,
    loadBalancerArns: arns,
    privateDnsName: ctx.params.get('PrivateDnsName') || null,
    supportedIpAddressTypes: ['ipv4'],
    tags,
    createdAt: ctx.now,
  });
  await idempotency.remember(serviceId);
  return xml(element('serviceConfiguration', await renderConfiguration(ctx, asShown(service, timing))), leaf('clientToken', idempotency.token));
}

/** DescribeVpcEndpointServiceConfigurations: `ServiceId.N`, filters service-name, service-id, service-state, supported-ip-address-types, tags; paging. */
export async function describeVpcEndpointServiceConfigurations(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('ServiceId');
  const keep = filterMatcher<EndpointService>(
    parseFilters(ctx.params),
    {
      'service-name': (s) => s.serviceName,
      'service-id': (s) => s.serviceId,
      'service-state': (s) => s.state,
      'supported-ip-address-types': (s) => s.supportedIpAddressTypes,
    },
    (s) => s.tags,
  );
  const { accountId } = ctx.account;
  const { regionName } = ctx.region;
  const rows = await ownRows(
    ids,
    (only, window) => ctx.repos.endpoints.listServices(accountId, regionName, only, window),
    (s) => s.serviceId,
    serviceIdNotFound,
  );
  const { page, nextToken } = await paginate(rows, ctx.params, { min: 1, max: 1000, clampAboveMax: true }, keep);
  const items: Xml[] = [];
  for (const service of page) items.push(await renderConfiguration(ctx, service));
  return xml(
    list('serviceConfigurationSet', 'item', items, (x) => x),
    leaf('nextToken', nextToken),
  );
}

/**
 * DeleteVpcEndpointServiceConfigurations: `ServiceId.N`. A service with connections in
 * pendingAcceptance, pending or available is not deleted (`unsuccessful`, code
 * ExistingVpcEndpointConnections); others go `Deleting` → `Deleted` and then vanish. Rejected
 * consumer endpoints stay `rejected` until their owners delete them.
 */
export async function deleteVpcEndpointServiceConfigurations(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('ServiceId');
  if (ids.length === 0) throw missingParameter('ServiceId');
  const unsuccessful: UnsuccessfulItem[] = [];
  for (const id of ids) {
    const service = await ctx.repos.endpoints.findService(id);
    if (!service || service.accountId !== ctx.account.accountId || service.region !== ctx.region.regionName) {
      unsuccessful.push({ resourceId: id, code: 'InvalidVpcEndpointServiceId.NotFound', message: serviceIdNotFound(id).message });
      continue;
    }
    if (service.state === 'Deleting' || service.state === 'Deleted') continue;
    const live = (await ctx.repos.endpoints.listEndpointsOfServices([id])).filter((e) => LIVE_CONNECTION_STATES.has(e.state));
    if (live.length > 0) {
      unsuccessful.push({
        resourceId: id,
        code: 'ExistingVpcEndpointConnections',
        message: `Service ${id} has existing active VPC Endpoint connections: ${live.map((e) => e.vpcEndpointId).join(', ')}. Reject them before deleting the service.`,
      });
      continue;
    }
    await ctx.repos.endpoints.updateServiceTiming(id, ctx.schedule('Deleting', 'Deleted', ctx.delays.serviceDeletion, 'endpointService').stored);
    // A service's connection notifications go with it.
    await ctx.repos.messaging.deleteNotificationsOfService(id);
  }
  return renderUnsuccessful(unsuccessful);
}

const PRINCIPAL = /^arn:aws:iam::(\d{12}):(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)$/;
/** IAM's longest ARN ("Length Constraints: Minimum length of 20. Maximum length of 2048."). */
const MAX_ARN_LENGTH = 2048;

function principalType(principal: string): string | undefined {
  if (principal === '*') return 'All';
  const match = principal.length <= MAX_ARN_LENGTH ? PRINCIPAL.exec(principal) : null;
  if (!match) return undefined;
  const kind = match[2] ?? '';
  return kind === 'root' ? 'Account' : kind.startsWith('user/') ? 'User' : 'Role';
}

/** ModifyVpcEndpointServicePermissions: `ServiceId`, `AddAllowedPrincipals.N`, `RemoveAllowedPrincipals.N` (`*` or IAM ARNs). */
export async function modifyVpcEndpointServicePermissions(ctx: ActionContext): Promise<Xml> {
  const service = await ownService(ctx, required(ctx.params, 'ServiceId'));
  if (service.state === 'Deleted') throw serviceIdNotFound(service.serviceId);
  const add = ctx.params.list('AddAllowedPrincipals');
  const remove = ctx.params.list('RemoveAllowedPrincipals');
  for (const principal of [...add, ...remove]) {
    if (!principalType(principal)) throw new AwsQueryError('InvalidPrincipal', `Invalid Principal: '${principal}'`);
  }
  const added: Array<{ principal: string; permissionId: string }> = [];
  for (const principal of add) {
    const permissionId = ec2Id('vpce-svc-perm');
    if (await ctx.repos.endpoints.addPermission({ serviceId: service.serviceId, principal, permissionId, createdAt: ctx.now })) added.push({ principal, permissionId });
  }
  for (const principal of remove) await ctx.repos.endpoints.removePermission(service.serviceId, principal);
  return xml(
    list('addedPrincipalSet', 'item', added, (p) =>
      xml(leaf('principalType', principalType(p.principal)), leaf('principal', p.principal), leaf('servicePermissionId', p.permissionId), leaf('serviceId', service.serviceId)),
    ),
    leaf('return', true),
  );
}

/** DescribeVpcEndpointServicePermissions: `ServiceId`, filters principal, principal-type; paging. */
export async function describeVpcEndpointServicePermissions(ctx: ActionContext): Promise<Xml> {
  const service = await ownService(ctx, required(ctx.params, 'ServiceId'));
  const permissions = (await ctx.repos.endpoints.listPermissions(service.serviceId)).map((p, index) => ({ ...p, seq: index + 1 }));
  const filtered = applyFilters(permissions, parseFilters(ctx.params), { principal: (p) => p.principal, 'principal-type': (p) => principalType(p.principal) });
  const { page, nextToken } = await paginate(filtered, ctx.params, { min: 5, max: 1000, clampAboveMax: true });
  return xml(
    list('allowedPrincipals', 'item', page, (p) =>
      xml(
        leaf('principalType', principalType(p.principal)),
        leaf('principal', p.principal),
        leaf('servicePermissionId', p.permissionId),
        element('tagSet'),
        leaf('serviceId', service.serviceId),
      ),
    ),
    leaf('nextToken', nextToken),
  );
}
