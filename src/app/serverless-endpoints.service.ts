import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { lowestFreeIndex } from '../domain/port-allocation.js';
import {
  checkEndpointRegistration,
  emptyServerlessServiceDetail,
  parseServerlessEndpointCreate,
  parseServerlessEndpointUpdate,
  type ServerlessEndpointProvider,
  type ServerlessEndpointRecord,
} from '../domain/serverless-endpoint.js';
import type { ServerlessInstanceRecord } from '../domain/serverless-instance.js';
import { SERVERLESS_ENDPOINT_WORK } from '../domain/work-kinds.js';
import type { Repositories } from '../store/repositories.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { requireServedProvider } from './endpoint-services.service.js';
import { recordEvent } from './events.js';
import { findInstance } from './serverless-instances.service.js';

/** A private endpoint with its instance (the serializer shows the instance's cloud). */
export type ServerlessEndpointView = ServerlessEndpointRecord;

/**
 * Creates one private endpoint for a serverless instance (`POST
 * …/privateEndpoint/serverless/instance/{name}/endpoint` `{comment?}`): RESERVATION_REQUESTED; the
 * reconciler reserves an endpoint service for it (→ RESERVED with `endpointServiceName`). Rules:
 * Project Owner; the instance exists and is not being deleted; its cloud is AWS or Azure (GCP:
 * 400, serverless instances don't support Private Service Connect); payment information on file.
 */
export async function createServerlessEndpoint(ctx: AppContext, principal: Principal, projectId: string, instanceName: string, body: unknown): Promise<ServerlessEndpointRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write'); // access before validation
  const { comment } = parseServerlessEndpointCreate(body);
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const instance = await findInstance(repos, projectId, instanceName);
    if (instance.deleteRequested) throw apiError('SERVERLESS_INSTANCE_ALREADY_REQUESTED_DELETION', instance.name);
    const provider = endpointProviderOf(instance);
    requireServedProvider(ctx, provider);
    const org = await repos.identity.findOrganization(project.orgId);
    if (!org?.paymentOnFile) throw apiError('NO_PAYMENT_INFORMATION_FOUND', project.orgId);
    const used = new Set((await repos.serverlessEndpoints.listByInstance(instance.id)).map((e) => e.peIndex));
    const endpoint: ServerlessEndpointRecord = {
      id: newObjectId(now),
      projectId,
      instanceId: instance.id,
      provider,
      regionName: instance.spec.regionName,
      status: 'RESERVATION_REQUESTED',
      comment,
      errorMessage: null,
      endpointServiceName: null,
      serviceDetail: emptyServerlessServiceDetail(provider),
      cloudProviderEndpointId: null,
      privateEndpointIpAddress: null,
      initiatedAt: null,
      peIndex: lowestFreeIndex(used),
      deleteRequested: false,
      providerRef: {},
      createdAt: now,
      updatedAt: now,
    };
    await repos.serverlessEndpoints.insert(endpoint);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'TENANT_ENDPOINT_CREATED', targetId: endpoint.id, payload: { instanceName: instance.name, provider } }, now);
    await enqueue(SERVERLESS_ENDPOINT_WORK, endpoint.id);
    return endpoint;
  });
}

/** The instance's private endpoints, oldest first (a bare array, as Atlas). */
export async function listServerlessEndpoints(ctx: AppContext, principal: Principal, projectId: string, instanceName: string): Promise<ServerlessEndpointRecord[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const instance = await findInstance(repos, projectId, instanceName);
  return repos.serverlessEndpoints.listByInstance(instance.id);
}

export async function getServerlessEndpoint(ctx: AppContext, principal: Principal, projectId: string, instanceName: string, endpointId: string): Promise<ServerlessEndpointRecord> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const instance = await findInstance(repos, projectId, instanceName);
  return findEndpoint(repos, instance, endpointId);
}

/**
 * Registers the customer's endpoint (`PATCH {providerName, cloudProviderEndpointId,
 * privateEndpointIpAddress (Azure), comment?}`): RESERVED → INITIATING; the reconciler accepts the
 * connection (→ AVAILABLE) or ends it FAILED saying why. `providerName` is required. Refused: in
 * another state than RESERVED (400), a different id once one is set (400), an id another endpoint
 * holds (409). A PATCH with only a comment changes the comment.
 */
export async function updateServerlessEndpoint(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  instanceName: string,
  endpointId: string,
  body: unknown,
): Promise<ServerlessEndpointRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const instance = await findInstance(repos, projectId, instanceName);
    const endpoint = await findEndpoint(repos, instance, endpointId);
    const locked = (await repos.serverlessEndpoints.lockById(endpoint.id))!;
    const update = parseServerlessEndpointUpdate(body, endpointProviderOf(instance));
    const registers = checkEndpointRegistration(locked, update);
    if (registers) {
      const holder = await repos.serverlessEndpoints.findByCloudId(locked.provider, update.cloudProviderEndpointId!);
      if (holder && holder.id !== locked.id) throw apiError('TENANT_PRIVATE_ENDPOINT_ID_IN_USE', update.cloudProviderEndpointId, holder.id);
      const dedicated = await repos.privateEndpoints.findEndpointAnywhere(locked.provider, update.cloudProviderEndpointId!);
      if (dedicated) throw apiError('TENANT_PRIVATE_ENDPOINT_ID_IN_USE', update.cloudProviderEndpointId, dedicated.endpointServiceId);
    }
    await repos.serverlessEndpoints.update(
      locked.id,
      {
        ...(update.comment !== undefined ? { comment: update.comment } : {}),
        ...(registers
          ? {
              status: 'INITIATING' as const,
              errorMessage: null,
              cloudProviderEndpointId: update.cloudProviderEndpointId!,
              privateEndpointIpAddress: update.privateEndpointIpAddress ?? null,
              initiatedAt: now,
            }
          : {}),
      },
      now,
    );
    await recordEvent(
      repos,
      {
        orgId: project.orgId,
        projectId,
        type: registers ? 'TENANT_ENDPOINT_INITIATING' : 'TENANT_ENDPOINT_UPDATED',
        targetId: locked.id,
        payload: { instanceName: instance.name, cloudProviderEndpointId: update.cloudProviderEndpointId ?? locked.cloudProviderEndpointId },
      },
      now,
    );
    if (registers) await enqueue(SERVERLESS_ENDPOINT_WORK, locked.id);
    return (await repos.serverlessEndpoints.findById(locked.id))!;
  });
}

/**
 * Asks for deletion: DELETING until privlink has rejected the customer's connection and deleted the
 * reserved endpoint service; then the endpoint is gone (404).
 */
export async function deleteServerlessEndpoint(ctx: AppContext, principal: Principal, projectId: string, instanceName: string, endpointId: string): Promise<void> {
  const now = ctx.now();
  await inTransaction(ctx, async ({ repos, enqueue }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const instance = await findInstance(repos, projectId, instanceName);
    const endpoint = await findEndpoint(repos, instance, endpointId);
    if (endpoint.deleteRequested) return;
    await repos.serverlessEndpoints.update(endpoint.id, { deleteRequested: true, status: 'DELETING' }, now);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'TENANT_ENDPOINT_DELETING', targetId: endpoint.id, payload: { instanceName: instance.name } }, now);
    await enqueue(SERVERLESS_ENDPOINT_WORK, endpoint.id);
  });
}

/** The cloud of an instance's private endpoints; GCP-backed instances have none (400). */
function endpointProviderOf(instance: ServerlessInstanceRecord): ServerlessEndpointProvider {
  const provider = instance.spec.backingProvider;
  if (provider === 'GCP') throw apiError('TENANT_PRIVATE_ENDPOINT_UNSUPPORTED_PROVIDER', instance.name, provider);
  return provider;
}

async function findEndpoint(repos: Repositories, instance: ServerlessInstanceRecord, endpointId: string): Promise<ServerlessEndpointRecord> {
  const endpoint = await repos.serverlessEndpoints.findById(endpointId);
  if (!endpoint || endpoint.instanceId !== instance.id) throw apiError('TENANT_PRIVATE_ENDPOINT_NOT_FOUND', endpointId, instance.name);
  return endpoint;
}
