import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { AWS_ENDPOINT_ID, AZURE_PRIVATE_ENDPOINT_ID, GCP_PROJECT_ID, GCP_RESOURCE_NAME, IPV4_ADDRESS, type EndpointDetail } from '../domain/interface-endpoint.js';
import { lowestFreeIndex } from '../domain/port-allocation.js';
import { checkEndpointRegionRule } from '../domain/private-endpoint-rules.js';
import { INTERFACE_ENDPOINT_WORK, interfaceEndpointKey } from '../domain/work-kinds.js';
import type { CloudProvider } from '../domain/regions.js';
import type { InterfaceEndpointRecord } from '../domain/interface-endpoint.js';
import type { Repositories } from '../store/repositories.js';
import { checkProject, requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { findService, parseProvider, requireServedProvider, serviceOf } from './endpoint-services.service.js';
import { projectStrings, recordStringChanges } from './connection-string-events.js';
import { recordEvent } from './events.js';

/**
 * Registers a customer's endpoint with an endpoint service (AWS `{"id": "vpce-…"}`, Azure
 * `{"id": "<private endpoint resource id>", "privateEndpointIPAddress": "10.0.0.4"}`). It starts
 * PENDING_ACCEPTANCE; the reconciler accepts the provider connection (→ PENDING → AVAILABLE) or
 * ends it REJECTED with an errorMessage saying why. Rules: payment information on file (402);
 * an id registered once (409); Atlas's one-per-region / one-region rule unless regionalized.
 */
export async function createInterfaceEndpoint(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  providerParam: string,
  serviceId: string,
  body: unknown,
): Promise<InterfaceEndpointRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write'); // access before validation
  const provider = parseProvider(providerParam, 'cloudProvider');
  const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const { endpointId, detail } = parseRegistration(provider, input);
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const service = await findService(repos, projectId, provider, serviceId);
    requireServedProvider(ctx, provider);
    const org = await repos.identity.findOrganization(project.orgId);
    if (!org?.paymentOnFile) throw apiError('NO_PAYMENT_INFORMATION_FOUND', project.orgId);
    if (service.deleteRequested) throw apiError('PRIVATE_ENDPOINT_SERVICE_DELETING', service.id);
    const existing = await repos.privateEndpoints.findEndpointAnywhere(provider, endpointId);
    if (existing?.endpointServiceId === service.id) throw apiError('PRIVATE_ENDPOINT_ALREADY_EXISTS', endpointId, service.id);
    if (existing) throw apiError('PRIVATE_ENDPOINT_IN_USE_BY_OTHER_SERVICE', endpointId, existing.endpointServiceId);
    const serverless = await repos.serverlessEndpoints.findByCloudId(provider, endpointId);
    if (serverless) throw apiError('PRIVATE_ENDPOINT_IN_USE_BY_OTHER_SERVICE', endpointId, serverless.id);
    const counts = new Map<string, number>();
    const usedIndexes = new Set<number>();
    for (const endpoint of await repos.privateEndpoints.listProjectEndpoints(projectId, provider)) {
      if (endpoint.regionName === service.regionName) usedIndexes.add(endpoint.plIndex);
      if (!endpoint.deleteRequested) counts.set(endpoint.regionName, (counts.get(endpoint.regionName) ?? 0) + 1);
    }
    checkEndpointRegionRule(provider, counts, service.regionName, project.regionalizedPrivateEndpoints);
    const endpoint: InterfaceEndpointRecord = {
      endpointServiceId: service.id,
      endpointId,
      projectId,
      provider,
      regionName: service.regionName,
      status: 'PENDING_ACCEPTANCE',
      errorMessage: null,
      deleteRequested: false,
      plIndex: lowestFreeIndex(usedIndexes),
      dnsNames: [],
      createdAt: now,
      // A GCP group takes its service's port mapping (one forwarding rule, or one per attachment).
      detail: detail.cloud === 'GCP' && service.detail.cloud === 'GCP' ? { ...detail, portMappingEnabled: service.detail.portMappingEnabled } : detail,
    };
    await repos.privateEndpoints.insertEndpoint(endpoint);
    await recordEvent(
      repos,
      { orgId: project.orgId, projectId, type: 'INTERFACE_ENDPOINT_CREATED', targetId: endpointId, payload: { endpointServiceId: service.id, provider } },
      now,
    );
    await enqueue(INTERFACE_ENDPOINT_WORK, interfaceEndpointKey(service.id, endpointId));
    return endpoint;
  });
}

export async function getInterfaceEndpoint(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  providerParam: string,
  serviceId: string,
  endpointId: string,
): Promise<InterfaceEndpointRecord> {
  const provider = parseProvider(providerParam, 'cloudProvider');
  // Clients poll this one too: its reads are cached as the endpoint service's are (read-cache.ts:
  // until this process writes one of their tables, and for at most the cache's bound).
  const { project, service, endpoint } = await ctx.cache.get(`interface-endpoint:${projectId}:${serviceId}:${endpointId}`, async () => {
    const repos = reader(ctx);
    const project = await repos.identity.findProject(projectId);
    const service = await repos.privateEndpoints.findService(serviceId);
    const endpoint = service && (await repos.privateEndpoints.findEndpoint(serviceId, endpointId));
    return { project, service, endpoint };
  });
  if (!project) throw apiError('GROUP_NOT_FOUND', projectId);
  checkProject(principal, project, 'read');
  serviceOf(service, projectId, provider, serviceId);
  return endpointOf(endpoint, serviceId, endpointId);
}

/**
 * Asks for deletion of an interface endpoint: it shows DELETING until privlink has rejected the
 * provider connection, then it is gone. The endpoint service stays (privlink does not delete a
 * service with its last endpoint; docs/decisions.md).
 */
export async function deleteInterfaceEndpoint(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  providerParam: string,
  serviceId: string,
  endpointId: string,
): Promise<void> {
  const provider = parseProvider(providerParam, 'cloudProvider');
  const now = ctx.now();
  await inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const endpoint = await findEndpoint(repos, projectId, provider, serviceId, endpointId);
    if (endpoint.deleteRequested) return;
    const before = await projectStrings(repos, projectId, ctx.settings.domain);
    await repos.privateEndpoints.updateEndpoint(serviceId, endpointId, { deleteRequested: true, status: 'DELETING' }, now);
    await recordStringChanges(repos, projectId, before, ctx.settings.domain, now);
    await recordEvent(
      repos,
      { orgId: project.orgId, projectId, type: 'INTERFACE_ENDPOINT_DELETE_REQUESTED', targetId: endpointId, payload: { endpointServiceId: serviceId } },
      now,
    );
    await enqueue(INTERFACE_ENDPOINT_WORK, interfaceEndpointKey(serviceId, endpointId));
  });
}

/**
 * The endpoint id and provider detail of a registration body, or Atlas's 400s: AWS `id` is a
 * `vpce-` id; Azure `id` is a private endpoint's resource id and `privateEndpointIPAddress` its
 * IPv4 address (both required).
 */
function parseRegistration(provider: CloudProvider, input: Record<string, unknown>): { endpointId: string; detail: EndpointDetail } {
  if (provider === 'GCP') return parseEndpointGroup(input);
  if (input.id === undefined || input.id === null) throw apiError('MISSING_ATTRIBUTE', 'id');
  if (typeof input.id !== 'string') throw apiError('INVALID_ATTRIBUTE', 'id');
  if (provider === 'AZURE') {
    if (!AZURE_PRIVATE_ENDPOINT_ID.test(input.id)) throw apiError('INVALID_ATTRIBUTE', 'id');
    const ip = input.privateEndpointIPAddress;
    if (ip === undefined || ip === null) throw apiError('MISSING_ATTRIBUTE', 'privateEndpointIPAddress');
    if (typeof ip !== 'string' || !IPV4_ADDRESS.test(ip)) throw apiError('INVALID_ATTRIBUTE', 'privateEndpointIPAddress');
    return { endpointId: input.id, detail: { cloud: 'AZURE', privateEndpointIPAddress: ip, privateEndpointConnectionName: null } };
  }
  if (provider === 'AWS' && !AWS_ENDPOINT_ID.test(input.id)) throw apiError('INVALID_ATTRIBUTE', 'id');
  return { endpointId: input.id, detail: { cloud: 'AWS' } };
}

/**
 * GCP: an endpoint group `{endpointGroupName, gcpProjectId, endpoints: [{endpointName, ipAddress}]}`
 * — the customer's forwarding rules (one per service attachment; one with port mapping), named as
 * Compute Engine names resources, in the customer's project.
 */
function parseEndpointGroup(input: Record<string, unknown>): { endpointId: string; detail: EndpointDetail } {
  const name = input.endpointGroupName;
  if (name === undefined || name === null) throw apiError('MISSING_ATTRIBUTE', 'endpointGroupName');
  if (typeof name !== 'string' || !GCP_RESOURCE_NAME.test(name)) throw apiError('INVALID_ATTRIBUTE', 'endpointGroupName');
  const project = input.gcpProjectId;
  if (project === undefined || project === null) throw apiError('MISSING_ATTRIBUTE', 'gcpProjectId');
  if (typeof project !== 'string' || !GCP_PROJECT_ID.test(project)) throw apiError('INVALID_ATTRIBUTE', 'gcpProjectId');
  const endpoints = input.endpoints ?? [];
  if (!Array.isArray(endpoints)) throw apiError('INVALID_ATTRIBUTE', 'endpoints');
  const seen = new Set<string>();
  const rules = endpoints.map((item: unknown) => {
    const rule = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof rule.endpointName !== 'string' || !GCP_RESOURCE_NAME.test(rule.endpointName) || seen.has(rule.endpointName))
      throw apiError('INVALID_ATTRIBUTE', 'endpoints.endpointName');
    if (typeof rule.ipAddress !== 'string' || !IPV4_ADDRESS.test(rule.ipAddress)) throw apiError('INVALID_ATTRIBUTE', 'endpoints.ipAddress');
    seen.add(rule.endpointName);
    return { endpointName: rule.endpointName, ipAddress: rule.ipAddress, status: 'PENDING_ACCEPTANCE' as const };
  });
  return { endpointId: name, detail: { cloud: 'GCP', gcpProjectId: project, endpoints: rules, portMappingEnabled: false } };
}

/** The interface endpoint of this project's service, or 404 RESOURCE_NOT_FOUND. */
async function findEndpoint(repos: Repositories, projectId: string, provider: CloudProvider, serviceId: string, endpointId: string): Promise<InterfaceEndpointRecord> {
  await findService(repos, projectId, provider, serviceId);
  return endpointOf(await repos.privateEndpoints.findEndpoint(serviceId, endpointId), serviceId, endpointId);
}

/** An interface endpoint read (or not found): it, or Atlas's 404. */
function endpointOf(endpoint: InterfaceEndpointRecord | undefined, serviceId: string, endpointId: string): InterfaceEndpointRecord {
  if (!endpoint) throw apiError('RESOURCE_NOT_FOUND', `interface endpoint ${endpointId} of private endpoint service ${serviceId}`);
  return endpoint;
}
