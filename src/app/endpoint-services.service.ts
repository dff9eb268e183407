import { targetsInRegion } from '../domain/cluster.js';
import { emptyServiceDetail, type EndpointService } from '../domain/endpoint-service.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { checkAddressableTargetLimit, checkOneServicePerRegion } from '../domain/private-endpoint-rules.js';
import { findRegion, isCloudProvider, type CloudProvider } from '../domain/regions.js';
import { ENDPOINT_SERVICE_WORK, INTERFACE_ENDPOINT_WORK, interfaceEndpointKey } from '../domain/work-kinds.js';
import type { InterfaceEndpointRecord } from '../domain/interface-endpoint.js';
import type { EndpointServiceRecord } from '../store/private-endpoints.repository.js';
import type { Repositories } from '../store/repositories.js';
import { checkProject, requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { projectStrings, recordStringChanges } from './connection-string-events.js';
import { recordEvent } from './events.js';

/** 400 PROVIDER_UNSUPPORTED unless this deployment serves `provider`. */
export function requireServedProvider(ctx: AppContext, provider: CloudProvider): void {
  if (!ctx.settings.providers.includes(provider)) throw apiError('PROVIDER_UNSUPPORTED', provider);
}

/** An endpoint service with the ids of its interface endpoints. */
export interface EndpointServiceView extends EndpointService {
  readonly interfaceEndpoints: readonly InterfaceEndpointRecord[];
}

/**
 * Creates the endpoint service of a project for one provider region (`POST
 * …/privateEndpoint/endpointService` `{providerName, region}`); returns it INITIATING with no
 * service name. Rules: one per (project, provider, region) → 409
 * PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION; payment information on file → else 402; the
 * region's addressable targets within the project limit.
 */
export async function createEndpointService(ctx: AppContext, principal: Principal, projectId: string, body: unknown): Promise<EndpointServiceView> {
  await requireProject(reader(ctx), principal, projectId, 'write'); // access before validation
  const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const provider = parseProvider(input.providerName, 'providerName');
  if (input.region === undefined || input.region === null) throw apiError('MISSING_ATTRIBUTE', 'region');
  if (typeof input.region !== 'string') throw apiError('INVALID_ATTRIBUTE', 'region');
  const region = findRegion(provider, input.region);
  if (!region) throw apiError('INVALID_REGION', input.region, provider);
  if (input.portMappingEnabled !== undefined && input.portMappingEnabled !== null && typeof input.portMappingEnabled !== 'boolean')
    throw apiError('INVALID_ATTRIBUTE', 'portMappingEnabled');
  if (input.portMappingEnabled === true && provider !== 'GCP') throw apiError('INVALID_ATTRIBUTE', 'portMappingEnabled');
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    requireServedProvider(ctx, provider);
    const org = await repos.identity.findOrganization(project.orgId);
    if (!org?.paymentOnFile) throw apiError('NO_PAYMENT_INFORMATION_FOUND', project.orgId);
    checkOneServicePerRegion(provider, region.atlasName, (await repos.privateEndpoints.findServiceByRegion(projectId, provider, region.atlasName)) !== undefined);
    const clusters = (await repos.clusters.listByProject(projectId)).filter((c) => !c.deleteRequested);
    const targets = clusters.reduce((sum, c) => sum + targetsInRegion(c.spec, provider, region.atlasName), 0);
    checkAddressableTargetLimit(provider, region.atlasName, targets, project.nodesPerPrivateLinkRegion);
    const service: EndpointServiceRecord = {
      id: newObjectId(now),
      projectId,
      provider,
      regionName: region.atlasName,
      status: 'INITIATING',
      errorMessage: null,
      endpointServiceName: null,
      deleteRequested: false,
      createdAt: now,
      providerRef: {},
      detail: provider === 'GCP' ? { cloud: 'GCP', serviceAttachmentNames: [], portMappingEnabled: input.portMappingEnabled === true } : emptyServiceDetail(provider),
    };
    await repos.privateEndpoints.insertService(service);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'ENDPOINT_SERVICE_CREATED', targetId: service.id, payload: { provider, regionName: region.atlasName } }, now);
    await enqueue(ENDPOINT_SERVICE_WORK, service.id);
    return { ...service, interfaceEndpoints: [] };
  });
}

/** The project's endpoint services of one provider, oldest first (a bare array, as Atlas). */
export async function listEndpointServices(ctx: AppContext, principal: Principal, projectId: string, providerParam: string): Promise<EndpointServiceView[]> {
  const provider = parseProvider(providerParam, 'cloudProvider');
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const services = await repos.privateEndpoints.listServices(projectId, provider);
  const endpoints = await repos.privateEndpoints.listProjectEndpoints(projectId, provider);
  return services.map((service) => ({ ...service, interfaceEndpoints: endpoints.filter((e) => e.endpointServiceId === service.id) }));
}

export async function getEndpointService(ctx: AppContext, principal: Principal, projectId: string, providerParam: string, serviceId: string): Promise<EndpointServiceView> {
  const provider = parseProvider(providerParam, 'cloudProvider');
  // Clients poll this one: the reads are cached until this process writes (read-cache.ts), and so
  // is the view made of them (copying the service's fields was a measurable part of a GET).
  const { project, service } = await ctx.cache.get(`endpoint-service:${projectId}:${serviceId}`, async () => {
    const repos = reader(ctx);
    const found = await repos.privateEndpoints.findService(serviceId);
    const project = await repos.identity.findProject(projectId);
    const service: EndpointServiceView | undefined = found && { ...found, interfaceEndpoints: await repos.privateEndpoints.listEndpoints(found.id) };
    return { project, service };
  });
  if (!project) throw apiError('GROUP_NOT_FOUND', projectId);
  checkProject(principal, project, 'read');
  return serviceOf(service, projectId, provider, serviceId);
}

/**
 * Asks for deletion of an endpoint service (202): it shows DELETING until the provider resources
 * are gone, then GET answers 404. Its interface endpoints are deleted with it; on AWS the
 * customer's VPC endpoints then show `rejected` and stay until the customer deletes them.
 */
export async function deleteEndpointService(ctx: AppContext, principal: Principal, projectId: string, providerParam: string, serviceId: string): Promise<void> {
  const provider = parseProvider(providerParam, 'cloudProvider');
  const now = ctx.now();
  await inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const service = await findService(repos, projectId, provider, serviceId);
    if (service.deleteRequested) return;
    const before = await projectStrings(repos, projectId, ctx.settings.domain);
    await repos.privateEndpoints.updateService(service.id, { deleteRequested: true, status: 'DELETING' }, now);
    for (const endpoint of await repos.privateEndpoints.listEndpoints(service.id)) {
      if (!endpoint.deleteRequested) {
        await repos.privateEndpoints.updateEndpoint(service.id, endpoint.endpointId, { deleteRequested: true, status: 'DELETING' }, now);
        await enqueue(INTERFACE_ENDPOINT_WORK, interfaceEndpointKey(service.id, endpoint.endpointId));
      }
    }
    await recordEvent(
      repos,
      { orgId: project.orgId, projectId, type: 'ENDPOINT_SERVICE_DELETE_REQUESTED', targetId: service.id, payload: { provider, regionName: service.regionName } },
      now,
    );
    await recordStringChanges(repos, projectId, before, ctx.settings.domain, now);
    await enqueue(ENDPOINT_SERVICE_WORK, service.id);
  });
}

/** Parses a provider name (`AWS`, `AZURE`, `GCP`). */
export function parseProvider(value: unknown, attribute: string): CloudProvider {
  if (value === undefined || value === null) throw apiError('MISSING_ATTRIBUTE', attribute);
  if (!isCloudProvider(value)) throw apiError('INVALID_PROVIDER', value, attribute);
  return value;
}

/** The service of this project and provider, or 404 RESOURCE_NOT_FOUND. */
export async function findService(repos: Repositories, projectId: string, provider: CloudProvider, serviceId: string): Promise<EndpointServiceRecord> {
  return serviceOf(await repos.privateEndpoints.findService(serviceId), projectId, provider, serviceId);
}

/** The pure part of `findService`, for a service already read (or not found): it, or Atlas's 404. */
export function serviceOf<T extends { readonly projectId: string; readonly provider: CloudProvider }>(
  service: T | undefined,
  projectId: string,
  provider: CloudProvider,
  serviceId: string,
): T {
  if (!service || service.projectId !== projectId || service.provider !== provider) {
    throw apiError('RESOURCE_NOT_FOUND', `${provider} private endpoint service with id ${serviceId}`);
  }
  return service;
}
