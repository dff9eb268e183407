import { atRest, type ActionContext, type Scheduled } from '../action-context.js';
import type { VpcEndpoint } from '../model.js';
import { parseFilters } from '../query-params.js';
import { leaf, list, xml, type Xml } from '../xml.js';
import { announceConnectionEvent } from './connection-events.js';
import { checkVpcEndpointId, missingParameter, required } from './ec2-errors.js';
import { renderConnection, renderUnsuccessful, type UnsuccessfulItem } from './ec2-render.js';
import { ownService } from './endpoint-services.actions.js';
import { endpointDnsEntries } from './endpoint-views.js';
import { applyFilters, matchesPattern } from './filters.js';
import { paginate } from './paging.js';
import { groupedBy } from '../../common/named-rows.js';

/**
 * DescribeVpcEndpointConnections: the connections to the caller's services in the region.
 * Filters service-id, vpc-endpoint-owner, vpc-endpoint-state, vpc-endpoint-id,
 * vpc-endpoint-region, ip-address-type; paging (≤1000).
 */
export async function describeVpcEndpointConnections(ctx: ActionContext): Promise<Xml> {
  const filters = parseFilters(ctx.params);
  // A service-id filter (the usual question: one service's connections) narrows what is read:
  // naming ids outright (no wildcard), only those services are read.
  const serviceFilters = filters.filter((f) => f.name === 'service-id');
  const named = serviceFilters.find((f) => f.values.every((value) => !/[*?]/.test(value)));
  const services = await ctx.repos.endpoints.listServices(ctx.account.accountId, ctx.region.regionName, named?.values);
  const byId = new Map(services.map((s) => [s.serviceId, s]));
  const serviceIds = [...byId.keys()].filter((id) => serviceFilters.every((f) => f.values.some((pattern) => matchesPattern(pattern, id))));
  let endpoints = await ctx.repos.endpoints.listEndpointsOfServices(serviceIds);
  endpoints = applyFilters(endpoints, filters, {
    'service-id': (e) => e.serviceId,
    'vpc-endpoint-owner': (e) => e.accountId,
    'vpc-endpoint-state': (e) => e.state,
    'vpc-endpoint-id': (e) => e.vpcEndpointId,
    'vpc-endpoint-region': (e) => e.region,
    'ip-address-type': (e) => e.ipAddressType,
  });
  const { page, nextToken } = await paginate(endpoints, ctx.params, { min: 5, max: 1000, clampAboveMax: true });
  // The page's network interfaces in one read, in their order, by endpoint.
  const interfacesOf = groupedBy(await ctx.repos.network.listInterfacesOfOwners(page.map((e) => e.vpcEndpointId)), (eni) => eni.ownerId);
  const items = page.map((endpoint) =>
    renderConnection(endpoint, byId.get(endpoint.serviceId)!, endpointDnsEntries(ctx.region, endpoint, interfacesOf.get(endpoint.vpcEndpointId) ?? [])),
  );
  return xml(
    list('vpcEndpointConnectionSet', 'item', items, (x) => x),
    leaf('nextToken', nextToken),
  );
}

type Verdict = 'accept' | 'reject';

/**
 * The decision for one connection. Accepting one already accepted (pending/available) and
 * rejecting one already rejected succeed without change (idempotent); a rejected connection can
 * be accepted again; connections being deleted cannot be decided.
 */
function decide(endpoint: VpcEndpoint, verdict: Verdict, ctx: ActionContext): Scheduled | 'unchanged' | UnsuccessfulItem {
  const state = endpoint.state;
  if (verdict === 'accept') {
    if (state === 'pending' || state === 'available') return 'unchanged';
    if (state === 'pendingAcceptance' || state === 'rejected') return ctx.schedule('pending', 'available', ctx.delays.connectionAvailable, 'vpcEndpoint');
  } else {
    if (state === 'rejected') return 'unchanged';
    if (state === 'pendingAcceptance' || state === 'pending' || state === 'available') return atRest('rejected');
  }
  return {
    resourceId: endpoint.vpcEndpointId,
    code: 'InvalidState',
    message: `Endpoint ${endpoint.vpcEndpointId} is in state ${state} and cannot be ${verdict === 'accept' ? 'accepted' : 'rejected'}.`,
  };
}

async function decideAll(ctx: ActionContext, verdict: Verdict): Promise<Xml> {
  const service = await ownService(ctx, required(ctx.params, 'ServiceId'));
  const ids = ctx.params.list('VpcEndpointId');
  if (ids.length === 0) throw missingParameter('VpcEndpointId');
  ids.forEach(checkVpcEndpointId);
  const unsuccessful: UnsuccessfulItem[] = [];
  for (const id of ids) {
    const endpoint = await ctx.repos.endpoints.findEndpoint(id);
    if (!endpoint || endpoint.serviceId !== service.serviceId) {
      unsuccessful.push({ resourceId: id, code: 'InvalidVpcEndpointId.NotFound', message: `The Vpc Endpoint Id '${id}' does not exist` });
      continue;
    }
    const outcome = decide(endpoint, verdict, ctx);
    if (outcome === 'unchanged') continue;
    if ('resourceId' in outcome) unsuccessful.push(outcome);
    else {
      await ctx.repos.endpoints.updateEndpointTiming(id, outcome.stored);
      await announceConnectionEvent(ctx, endpoint, verdict === 'accept' ? 'Accept' : 'Reject', outcome.shown.state);
    }
  }
  return renderUnsuccessful(unsuccessful);
}

/** AcceptVpcEndpointConnections: `ServiceId`, `VpcEndpointId.N` → `pending` → (delay) `available`. */
export async function acceptVpcEndpointConnections(ctx: ActionContext): Promise<Xml> {
  return decideAll(ctx, 'accept');
}

/** RejectVpcEndpointConnections: `ServiceId`, `VpcEndpointId.N` → `rejected`. */
export async function rejectVpcEndpointConnections(ctx: ActionContext): Promise<Xml> {
  return decideAll(ctx, 'reject');
}
