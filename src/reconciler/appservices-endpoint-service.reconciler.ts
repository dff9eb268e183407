import { inTransaction } from '../app/app-context.js';
import { findAppRegion } from '../domain/appservices-app.js';
import { decideAppEndpoint, type AppEndpointRecord, type AppEndpointServiceRecord } from '../domain/appservices-endpoint.js';
import { decideEndpointService, type EndpointService, type EndpointServiceStatus } from '../domain/endpoint-service.js';
import { isEmptyRef, ProviderError, type CloudProviderAdapter, type EndpointServiceSpec, type ProviderRef } from '../providers/cloud-provider.js';
import { newObjectId } from '../domain/object-id.js';
import { APPSERVICES_ENDPOINT_SERVICE_WORK } from '../domain/work-kinds.js';
import { repositories } from '../store/repositories.js';
import { DONE, requeueAfter, type Outcome, type ReconcileFunction } from './outcome.js';
import { pollInterval, providerFailureMessage, type ReconcileContext } from './reconcile-context.js';
import { readStoredRef, storedRef } from './stored-ref.js';

/**
 * Reconciles one App Services endpoint service (key: its id) and the connections of the apps'
 * private endpoints registered with it. The service follows the dedicated endpoint services' state
 * machine (domain/endpoint-service.ts): observe, decide, act, publish, with the same create-pending
 * mark and crash points, so a crash between the create call and the commit of its result adopts
 * what was made instead of making it twice; deletion is confirmed by observing absence. Once the
 * service is ready, each registered `vpce-…` is observed on it and decided by
 * domain/appservices-endpoint.ts: accepted (AVAILABLE), shown REJECTED with why, or (deleted or
 * invalidated endpoints) rejected so it no longer reaches the app.
 */
export function appServicesEndpointServiceReconciler(ctx: ReconcileContext): ReconcileFunction {
  return async (id: string): Promise<Outcome> => {
    const repos = repositories(ctx.store.db);
    const service = await repos.appServicesEndpoints.findService(id);
    if (!service) return DONE;
    const region = findAppRegion(service.providerRegion);
    const adapter = ctx.providers.get('AWS');
    if (!region || !adapter) return DONE;
    const spec: EndpointServiceSpec = {
      id: service.id,
      projectId: service.projectId,
      region: region.providerRegion,
      listeners: service.deleteRequested ? [] : ((await ctx.listeners.appServicesListeners?.(service)) ?? []),
      layout: 'portMapped',
    };
    const stored = readStoredRef(service.providerRef);
    let pendingSince = stored.createPendingSince;
    const seen = isEmptyRef(stored.ref) && !pendingSince ? { observed: { state: 'absent' } as const, ref: stored.ref } : await adapter.observeEndpointService(spec, stored.ref);
    let ref = seen.ref;
    const decision = decideEndpointService(asEndpointService(service, region.providerRegion), seen.observed);
    const now = ctx.now();
    const fields = { projectId: service.projectId, appServicesEndpointServiceId: service.id, region: service.providerRegion, endpointType: service.endpointType };

    if (decision.action === 'forget') {
      await inTransaction(ctx, async ({ repos: tx, enqueue }) => {
        const current = await tx.appServicesEndpoints.lockService(service.id);
        if (!current?.deleteRequested) return;
        for (const endpoint of await tx.appServicesEndpoints.listForService(service.projectId, service.providerRegion, service.endpointType)) {
          if (endpoint.deleteRequested) await tx.appServicesEndpoints.deleteEndpoint(endpoint.id);
        }
        await tx.appServicesEndpoints.deleteService(service.id);
        // An app came to the region while this service was going: its successor starts now.
        if (await tx.appServicesApps.regionInUse(service.projectId, service.providerRegion)) {
          const successor = await tx.appServicesEndpoints.ensureService(service.projectId, service.providerRegion, service.endpointType, newObjectId(now), now);
          await enqueue(APPSERVICES_ENDPOINT_SERVICE_WORK, successor.id);
        }
      });
      ctx.log.info('App Services endpoint service deleted', { ...fields, from: service.status, to: 'DELETED' });
      return DONE;
    }

    try {
      if (decision.action === 'create') {
        if (!pendingSince) {
          pendingSince = now.toISOString();
          await repos.appServicesEndpoints.updateService(id, { providerRef: storedRef(ref, pendingSince) }, now);
        }
        ctx.crash.reach('before-create-endpoint-service');
        ref = (await adapter.createEndpointService(spec, ref)).ref;
        ctx.crash.reach('after-create-endpoint-service');
        pendingSince = undefined; // the call returned: its result is committed with the status below
        ctx.log.info('App Services endpoint service created at the provider', { ...fields, providerRef: ref });
      } else if (decision.action === 'delete') {
        ctx.crash.reach('before-delete-endpoint-service');
        await adapter.deleteEndpointService(spec, ref);
        ctx.crash.reach('after-delete-endpoint-service');
        ctx.log.info('App Services endpoint service deletion requested at the provider', { ...fields, providerRef: ref });
      } else if (decision.action === 'syncListeners') {
        await adapter.syncListeners(spec, ref);
      }
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable || decision.action === 'delete') {
        if (pendingSince !== stored.createPendingSince) await publish(ctx, service, { ref: storedRef(ref, pendingSince) });
        throw error;
      }
      const message = providerFailureMessage(adapter, 'create App Services endpoint service', error.code, error.message);
      await publish(ctx, service, { status: 'FAILED', errorMessage: message, ref: storedRef(ref, pendingSince) });
      return DONE;
    }

    await publish(ctx, service, { status: decision.status, errorMessage: decision.errorMessage, serviceName: decision.endpointServiceName, ref: storedRef(ref, pendingSince) });
    let connectionsSettled = true;
    if (seen.observed.state === 'ready' && !service.deleteRequested) {
      connectionsSettled = await reconcileConnections(ctx, adapter, spec, ref, service, seen.observed.serviceName);
    }
    if (decision.settled && connectionsSettled) return DONE;
    if (decision.action === 'create' && seen.observed.state === 'absent') return requeueAfter(0);
    return requeueAfter(decision.settled ? 250 : pollInterval(service.createdAt, now));
  };
}

/** Decides and acts on every endpoint registered with the service; true when none is still on its way. */
async function reconcileConnections(
  ctx: ReconcileContext,
  adapter: CloudProviderAdapter,
  spec: EndpointServiceSpec,
  ref: ProviderRef,
  service: AppEndpointServiceRecord,
  serviceName: string,
): Promise<boolean> {
  const repos = repositories(ctx.store.db);
  let settled = true;
  for (const endpoint of await repos.appServicesEndpoints.listForService(service.projectId, service.providerRegion, service.endpointType)) {
    const registered = { endpointId: endpoint.cloudProviderEndpointId, detail: { cloud: 'AWS' as const } };
    const connection = await adapter.observeConnection(spec, ref, registered);
    const decision = decideAppEndpoint(endpoint, connection, serviceName);
    const fields = { projectId: endpoint.projectId, appId: endpoint.appId, appPrivateEndpointId: endpoint.id, cloudProviderEndpointId: endpoint.cloudProviderEndpointId };
    if (decision.action === 'accept') {
      ctx.crash.reach('before-accept-connection');
      await adapter.acceptConnection(spec, ref, registered, connection);
      ctx.crash.reach('after-accept-connection');
      ctx.log.info('App Services private endpoint connection accepted', fields);
      settled = false;
    } else if (decision.action === 'reject') {
      await adapter.rejectConnection(spec, ref, registered);
      ctx.log.info('App Services private endpoint connection rejected', fields);
      settled = false;
    } else if (decision.action === 'forget') {
      await inTransaction(ctx, ({ repos: tx }) => tx.appServicesEndpoints.deleteEndpoint(endpoint.id));
      continue;
    }
    if (decision.status === 'PENDING') settled = false;
    if (decision.status !== endpoint.status || decision.statusMessage !== endpoint.statusMessage) await publishEndpoint(ctx, endpoint, decision.status, decision.statusMessage);
  }
  return settled;
}

/** Writes an endpoint's status unless the API changed the endpoint meanwhile (then the next pass decides). */
async function publishEndpoint(ctx: ReconcileContext, endpoint: AppEndpointRecord, status: AppEndpointRecord['status'], statusMessage: string | null): Promise<void> {
  await inTransaction(ctx, async ({ repos: tx }) => {
    const current = await tx.appServicesEndpoints.findEndpoint(endpoint.appId, endpoint.id);
    if (!current || current.status !== endpoint.status || current.cloudProviderEndpointId !== endpoint.cloudProviderEndpointId) return;
    await tx.appServicesEndpoints.updateEndpoint(endpoint.id, { status, statusMessage }, ctx.now());
  });
  ctx.log.info('App Services private endpoint status changed', { appPrivateEndpointId: endpoint.id, from: endpoint.status, to: status });
}

/** The service as the dedicated endpoint services' state machine sees it. */
function asEndpointService(service: AppEndpointServiceRecord, region: string): EndpointService {
  return {
    id: service.id,
    projectId: service.projectId,
    provider: 'AWS',
    regionName: region,
    status: service.status,
    errorMessage: service.errorMessage,
    endpointServiceName: service.serviceName,
    deleteRequested: service.deleteRequested,
    createdAt: service.createdAt,
    detail: { cloud: 'AWS' },
  };
}

/** Writes status, name and ref under a row lock; a delete asked for while the pass ran wins (DELETING). */
async function publish(
  ctx: ReconcileContext,
  service: AppEndpointServiceRecord,
  update: { status?: EndpointServiceStatus; errorMessage?: string | null; serviceName?: string | null; ref: Record<string, unknown> },
): Promise<void> {
  let change: { from: string; to: string } | undefined;
  await inTransaction(ctx, async ({ repos: tx }) => {
    const current = await tx.appServicesEndpoints.lockService(service.id);
    if (!current) return;
    const moved = current.deleteRequested !== service.deleteRequested;
    const status = update.status === undefined ? undefined : current.deleteRequested ? 'DELETING' : moved ? current.status : update.status;
    if (status !== undefined && status !== current.status) change = { from: current.status, to: status };
    await tx.appServicesEndpoints.updateService(
      service.id,
      {
        providerRef: update.ref,
        ...(status !== undefined ? { status } : {}),
        ...(update.errorMessage !== undefined && !moved ? { errorMessage: update.errorMessage } : {}),
        ...(update.serviceName !== undefined ? { serviceName: update.serviceName } : {}),
      },
      ctx.now(),
    );
  });
  if (change)
    ctx.log.info('App Services endpoint service status changed', {
      appServicesEndpointServiceId: service.id,
      region: service.providerRegion,
      endpointType: service.endpointType,
      ...change,
    });
}
