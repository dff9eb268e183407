import { privateEndpointRefusal, type AppRecord } from '../domain/appservices-app.js';
import type { AppEndpointRecord, AppEndpointServiceRecord } from '../domain/appservices-endpoint.js';
import { parseEndpoint, parseToggle, type EndpointInput } from '../domain/appservices-input.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { APPSERVICES_ENDPOINT_SERVICE_WORK } from '../domain/work-kinds.js';
import type { Repositories } from '../store/repositories.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext, type UnitOfWork } from './app-context.js';
import { findApp } from './appservices-apps.service.js';

/** Refuses apps that cannot have private endpoints (GLOBAL, Azure, GCP) with their limitation's error. */
function requireEligible(app: AppRecord): void {
  const refusal = privateEndpointRefusal(app);
  if (refusal === 'APP_PRIVATE_ENDPOINT_GLOBAL') throw apiError(refusal);
  if (refusal === 'APP_PRIVATE_ENDPOINT_PROVIDER') throw apiError(refusal, app.providerRegion);
}

/**
 * `GET …/security/private_endpoint_service_infos` (any project role): the App Services endpoint
 * services of the app's region, one per endpoint type, with the AWS service name customers create
 * their interface endpoint to (null while privlink is still making it).
 */
export async function listServiceInfos(ctx: AppContext, principal: Principal, projectId: string, appId: string): Promise<AppEndpointServiceRecord[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const app = await findApp(repos, projectId, appId);
  requireEligible(app);
  return (await repos.appServicesEndpoints.listServices(projectId, app.providerRegion)).filter((s) => !s.deleteRequested);
}

/** `GET …/security/private_endpoints` (any project role). */
export async function listEndpoints(ctx: AppContext, principal: Principal, projectId: string, appId: string): Promise<AppEndpointRecord[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const app = await findApp(repos, projectId, appId);
  return repos.appServicesEndpoints.listByApp(app.id);
}

/** `GET …/security/private_endpoints/{id}` (any project role). */
export async function getEndpoint(ctx: AppContext, principal: Principal, projectId: string, appId: string, endpointId: string): Promise<AppEndpointRecord> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const app = await findApp(repos, projectId, appId);
  return findEndpoint(repos, app.id, endpointId);
}

async function findEndpoint(repos: Repositories, appId: string, endpointId: string): Promise<AppEndpointRecord> {
  const endpoint = await repos.appServicesEndpoints.findEndpoint(appId, endpointId);
  if (!endpoint) throw apiError('APP_PRIVATE_ENDPOINT_NOT_FOUND', endpointId);
  return endpoint;
}

/**
 * `POST …/security/private_endpoints` (Project Owner) → 201, status PENDING. Checked here: the
 * app may have private endpoints (AWS, LOCAL), the wire protocol is off, the region is the app's,
 * the type is `general`/`sync` (`legacy` → 400), a sync endpoint has a general one, the `vpce-…` is
 * not registered elsewhere. Checked by the reconciler (asking the cloud): the VPC endpoint exists and
 * is connected to this type's endpoint service in this region; it then accepts it (AVAILABLE) or
 * shows why not (REJECTED with `status_message`).
 */
export async function createEndpoint(ctx: AppContext, principal: Principal, projectId: string, appId: string, body: unknown): Promise<AppEndpointRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const input = parseEndpoint(body);
  const now = ctx.now();
  return inTransaction(ctx, async (uow) => {
    await requireProject(uow.repos, principal, projectId, 'write', { lock: true });
    const app = await findApp(uow.repos, projectId, appId, { lock: true });
    const existing = await uow.repos.appServicesEndpoints.listByApp(app.id);
    checkEndpoint(app, input, existing);
    const taken = await uow.repos.appServicesEndpoints.findByCloudId(input.cloudProviderEndpointId);
    if (taken) throw apiError('APP_PRIVATE_ENDPOINT_ID_IN_USE', input.cloudProviderEndpointId, taken.id);
    const endpoint: AppEndpointRecord = {
      id: newObjectId(now),
      projectId,
      appId: app.id,
      endpointType: input.endpointType,
      cloudProviderRegion: input.cloudProviderRegion,
      cloudProviderEndpointId: input.cloudProviderEndpointId,
      comment: input.comment,
      status: 'PENDING',
      statusMessage: null,
      deleteRequested: false,
      createdAt: now,
    };
    await uow.repos.appServicesEndpoints.insertEndpoint(endpoint);
    await wakeService(uow, endpoint);
    return endpoint;
  });
}

/**
 * `PUT …/security/private_endpoints/{id}` (Project Owner) → 200. The type cannot change (400, as
 * the spec says). A new `vpce-…` replaces the old one: the old connection is rejected and the new
 * one checked again (PENDING).
 */
export async function updateEndpoint(ctx: AppContext, principal: Principal, projectId: string, appId: string, endpointId: string, body: unknown): Promise<AppEndpointRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const input = parseEndpoint(body);
  const now = ctx.now();
  return inTransaction(ctx, async (uow) => {
    await requireProject(uow.repos, principal, projectId, 'write', { lock: true });
    const app = await findApp(uow.repos, projectId, appId, { lock: true });
    const current = await findEndpoint(uow.repos, app.id, endpointId);
    if (current.status === 'INVALIDATED') throw apiError('APP_INVALID_FIELD', `private endpoint ${current.id}`, current.statusMessage ?? 'invalidated');
    if (current.endpointType !== input.endpointType) throw apiError('APP_PRIVATE_ENDPOINT_TYPE_CHANGE', current.id, current.endpointType, input.endpointType);
    const others = (await uow.repos.appServicesEndpoints.listByApp(app.id)).filter((e) => e.id !== current.id);
    checkEndpoint(app, input, [...others, current]);
    const moved = input.cloudProviderEndpointId !== current.cloudProviderEndpointId;
    if (moved) {
      const taken = await uow.repos.appServicesEndpoints.findByCloudId(input.cloudProviderEndpointId);
      if (taken) throw apiError('APP_PRIVATE_ENDPOINT_ID_IN_USE', input.cloudProviderEndpointId, taken.id);
      // The old VPC endpoint's connection must be rejected: a tombstone row carries it to the reconciler.
      await uow.repos.appServicesEndpoints.insertEndpoint({ ...current, id: newObjectId(now), deleteRequested: true, createdAt: now });
    }
    const changes = {
      comment: input.comment,
      ...(moved ? { cloudProviderEndpointId: input.cloudProviderEndpointId, status: 'PENDING' as const, statusMessage: null } : {}),
    };
    await uow.repos.appServicesEndpoints.updateEndpoint(current.id, changes, now);
    const updated = { ...current, ...changes };
    await wakeService(uow, current);
    return updated;
  });
}

/** `DELETE …/security/private_endpoints/{id}` (Project Owner) → 204; the connection is rejected by the reconciler. The last general endpoint cannot go while sync endpoints need it. */
export async function deleteEndpoint(ctx: AppContext, principal: Principal, projectId: string, appId: string, endpointId: string): Promise<void> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const now = ctx.now();
  await inTransaction(ctx, async (uow) => {
    await requireProject(uow.repos, principal, projectId, 'write', { lock: true });
    const app = await findApp(uow.repos, projectId, appId, { lock: true });
    const endpoint = await findEndpoint(uow.repos, app.id, endpointId);
    const live = (await uow.repos.appServicesEndpoints.listByApp(app.id)).filter((e) => e.status !== 'INVALIDATED');
    if (endpoint.endpointType === 'general' && endpoint.status !== 'INVALIDATED') {
      const generals = live.filter((e) => e.endpointType === 'general' && e.id !== endpoint.id);
      if (generals.length === 0 && live.some((e) => e.endpointType === 'sync')) throw apiError('APP_PRIVATE_ENDPOINT_GENERAL_IN_USE', endpoint.id, app.name);
    }
    await uow.repos.appServicesEndpoints.updateEndpoint(endpoint.id, { deleteRequested: true }, now);
    await wakeService(uow, endpoint);
  });
}

/** `POST …/security/allow_non_vpc_client_requests` (Project Owner) → 204. */
export async function setAllowNonVpcClientRequests(ctx: AppContext, principal: Principal, projectId: string, appId: string, body: unknown): Promise<void> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const allow = parseToggle(body);
  await inTransaction(ctx, async ({ repos }) => {
    const app = await findApp(repos, projectId, appId, { lock: true });
    await repos.appServicesApps.update(app.id, { allowNonVpcClientRequests: allow }, ctx.now());
  });
}

/** The rules of one endpoint registration against the app and its other live endpoints. */
function checkEndpoint(app: AppRecord, input: EndpointInput, endpoints: readonly AppEndpointRecord[]): void {
  requireEligible(app);
  if (app.dataSource.config.wireProtocolEnabled) throw apiError('APP_PRIVATE_ENDPOINT_WIRE_PROTOCOL', app.dataSource.name);
  if (input.cloudProviderRegion !== app.providerRegion) throw apiError('APP_PRIVATE_ENDPOINT_REGION', input.cloudProviderRegion, app.providerRegion);
  if (input.endpointType === 'sync' && !endpoints.some((e) => e.endpointType === 'general' && e.status !== 'INVALIDATED')) {
    throw apiError('APP_PRIVATE_ENDPOINT_SYNC_NEEDS_GENERAL', app.providerRegion);
  }
}

/** Enqueues the endpoint service that owns the endpoint's connection. */
async function wakeService(uow: UnitOfWork, endpoint: AppEndpointRecord): Promise<void> {
  for (const service of await uow.repos.appServicesEndpoints.listServices(endpoint.projectId, endpoint.cloudProviderRegion)) {
    if (service.endpointType === endpoint.endpointType) await uow.enqueue(APPSERVICES_ENDPOINT_SERVICE_WORK, service.id);
  }
}
