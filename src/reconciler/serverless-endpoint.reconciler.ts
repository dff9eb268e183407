import { inTransaction } from '../app/app-context.js';
import { recordEvent, type EventType } from '../app/events.js';
import type { ObservedEndpointService } from '../domain/endpoint-service.js';
import type { ObservedConnection } from '../domain/interface-endpoint.js';
import { findRegion } from '../domain/regions.js';
import { decideServerlessEndpoint, registeredEndpointOf, type ServerlessEndpointRecord, type ServerlessEndpointStatus } from '../domain/serverless-endpoint.js';
import { SERVERLESS_INSTANCE_WORK } from '../domain/work-kinds.js';
import { isEmptyRef, ProviderError, type CreatedEndpointService, type EndpointServiceSpec } from '../providers/cloud-provider.js';
import type { ServerlessEndpointChanges } from '../store/serverless-endpoints.repository.js';
import { repositories } from '../store/repositories.js';
import { DONE, requeueAfter, type Outcome, type ReconcileFunction } from './outcome.js';
import { pollInterval, providerFailureMessage, syncListenersOfNew, type ReconcileContext } from './reconcile-context.js';
import { readStoredRef, storedRef } from './stored-ref.js';

/**
 * Reconciles one serverless private endpoint (key: its `_id`): observe its reserved endpoint
 * service and, once the customer's endpoint is registered, that endpoint's connection; decide
 * (domain/serverless-endpoint.ts); act; publish. The service is the endpoint's own — spec id = the
 * endpoint's `_id`, one port-mapped listener 27017 → the instance's front end with the PROXY v2
 * header — made with the same create-pending mark and crash points as dedicated endpoint services,
 * so a crash between the create call and the commit of its result observes (and adopts) what was
 * made instead of making it twice. Deletion rejects the connection, deletes the service, confirms
 * its absence, then removes the row (and wakes the instance, which may be waiting to go).
 */
/** The statuses an endpoint's service has been ready since (reserved, then connecting). */
const SERVICE_READY_SINCE: ReadonlySet<ServerlessEndpointStatus> = new Set(['RESERVED', 'INITIATING', 'AVAILABLE']);

export function serverlessEndpointReconciler(ctx: ReconcileContext): ReconcileFunction {
  return async (id: string): Promise<Outcome> => {
    const repos = repositories(ctx.store.db);
    const endpoint = await repos.serverlessEndpoints.findById(id);
    if (!endpoint) return DONE;
    const region = findRegion(endpoint.provider, endpoint.regionName);
    const adapter = ctx.providers.get(endpoint.provider);
    if (!region || !adapter) return DONE;
    const spec: EndpointServiceSpec = {
      id: endpoint.id,
      projectId: endpoint.projectId,
      region: region.providerName,
      listeners: await ctx.listeners.frontEndListeners(endpoint.instanceId),
      layout: 'portMapped',
    };
    const stored = readStoredRef(endpoint.providerRef);
    let pendingSince = stored.createPendingSince;
    const seen: { observed: ObservedEndpointService; ref: Readonly<Record<string, unknown>> } =
      isEmptyRef(stored.ref) && !pendingSince
        ? { observed: { state: 'absent' }, ref: stored.ref }
        : await adapter.observeEndpointService(spec, stored.ref, SERVICE_READY_SINCE.has(endpoint.status) && !endpoint.deleteRequested);
    let ref = seen.ref;
    const registered = registeredEndpointOf(endpoint);
    const connectionOf = async (service: ObservedEndpointService, at: Readonly<Record<string, unknown>>): Promise<ObservedConnection | undefined> => {
      if (!registered) return undefined;
      return service.state === 'ready' ? adapter.observeConnection(spec, at, registered) : endpoint.deleteRequested ? { state: 'absent' } : undefined;
    };
    let connection = await connectionOf(seen.observed, ref);
    const now = ctx.now();
    const decide = (service: ObservedEndpointService, seenConnection: ObservedConnection | undefined) =>
      decideServerlessEndpoint(endpoint, service, seenConnection, { notFoundGraceMs: ctx.notFoundGraceMs, now, wording: adapter.wording });
    let decision = decide(seen.observed, connection);
    const fields = endpointFields(endpoint);

    if (decision.serviceAction === 'forget') {
      await inTransaction(ctx, async ({ repos: tx, enqueue }) => {
        await tx.serverlessEndpoints.delete(id);
        await event(tx, endpoint, 'TENANT_ENDPOINT_DELETED', now, {});
        await enqueue(SERVERLESS_INSTANCE_WORK, endpoint.instanceId);
      });
      ctx.log.info('serverless private endpoint deleted', { ...fields, from: endpoint.status, to: 'DELETED' });
      return DONE;
    }

    let status: ServerlessEndpointStatus = decision.status;
    let errorMessage = decision.errorMessage;
    /** The connection as the provider's answer to this pass's accept showed it, when it did. */
    let answered: ObservedConnection | undefined;
    /** The service as the answers to this pass's create showed it, when they showed all of it. */
    let created: CreatedEndpointService['seen'];
    try {
      if (decision.connectionAction === 'accept' && registered) {
        ctx.crash.reach('before-accept-connection');
        answered = await adapter.acceptConnection(spec, ref, registered, connection);
        ctx.crash.reach('after-accept-connection');
        ctx.log.info('serverless private endpoint connection accepted', fields);
      } else if (decision.connectionAction === 'reject' && registered) {
        await adapter.rejectConnection(spec, ref, registered);
        ctx.log.info('serverless private endpoint connection rejected', fields);
      }
      if (decision.serviceAction === 'create') {
        if (!pendingSince) {
          pendingSince = now.toISOString();
          await repos.serverlessEndpoints.update(id, { providerRef: storedRef(ref, pendingSince) }, now);
        }
        ctx.crash.reach('before-create-endpoint-service');
        ({ ref, seen: created } = await adapter.createEndpointService(spec, ref));
        ctx.crash.reach('after-create-endpoint-service');
        pendingSince = undefined; // the call returned: its result is committed with the status below
        ctx.log.info('serverless private endpoint service created at the provider', { ...fields, providerRef: ref });
      } else if (decision.serviceAction === 'delete') {
        ctx.crash.reach('before-delete-endpoint-service');
        await adapter.deleteEndpointService(spec, ref);
        ctx.crash.reach('after-delete-endpoint-service');
        ctx.log.info('serverless private endpoint service deletion requested at the provider', { ...fields, providerRef: ref });
      } else if (decision.serviceAction === 'syncListeners') {
        await adapter.syncListeners(spec, ref);
        ctx.log.info('serverless private endpoint listeners synced', { ...fields, listeners: spec.listeners.length });
      }
      // A service made from nothing, or a connection just accepted, is looked at once more in the
      // same pass: a cloud that is already done (the local cloud without delays) publishes the next
      // status now, with no second pass. What the create's or the accept's own answers showed is
      // that look where they showed it. A failed look (or listener sync) changes nothing: the next
      // pass does it again.
      const made = decision.serviceAction === 'create' && seen.observed.state === 'absent';
      if (made || decision.connectionAction === 'accept') {
        const again = await Promise.resolve(made ? (created ?? adapter.observeEndpointService(spec, ref, true)) : { observed: seen.observed, ref })
          .then(async (service) => ({ ...service, connection: !made && answered ? answered : await connectionOf(service.observed, service.ref) }))
          .catch(() => undefined);
        const next = again && decide(again.observed, again.connection);
        // Its listeners too, when the service just made is ready without them.
        const synced =
          made &&
          again !== undefined &&
          next?.serviceAction === 'syncListeners' &&
          next.connectionAction === 'none' &&
          (await syncListenersOfNew(ctx, adapter, spec, again.ref, 'serverless private endpoint', fields));
        if (again && next && (next.serviceAction === 'none' || synced) && next.connectionAction === 'none') {
          ref = again.ref;
          connection = again.connection;
          decision = next;
          status = next.status;
          errorMessage = next.errorMessage;
        }
      }
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable || endpoint.deleteRequested) {
        if (pendingSince !== stored.createPendingSince) await publish(ctx, endpoint, { ref: storedRef(ref, pendingSince) });
        throw error;
      }
      status = 'FAILED';
      const what = decision.connectionAction === 'accept' ? 'accept serverless private endpoint' : 'reserve serverless private endpoint';
      errorMessage = providerFailureMessage(adapter, what, error.code, error.message);
    }

    await publish(ctx, endpoint, {
      status,
      errorMessage,
      endpointServiceName: decision.endpointServiceName,
      serviceDetail: decision.serviceDetail,
      ref: storedRef(ref, pendingSince),
    });
    if (status === 'FAILED' || (decision.settled && decision.connectionAction === 'none')) return DONE;
    if (decision.connectionAction !== 'none') return requeueAfter(0);
    if (decision.serviceAction === 'create' && seen.observed.state === 'absent') return requeueAfter(0);
    const since = endpoint.initiatedAt ?? endpoint.createdAt;
    if (connection?.state === 'absent' && endpoint.initiatedAt) {
      const left = endpoint.initiatedAt.getTime() + ctx.notFoundGraceMs - now.getTime();
      return requeueAfter(Math.max(0, Math.min(left + 1, pollInterval(since, now))));
    }
    return requeueAfter(pollInterval(since, now));
  };
}

/** The ids every log line about a serverless private endpoint carries. */
function endpointFields(endpoint: ServerlessEndpointRecord): Record<string, unknown> {
  return {
    projectId: endpoint.projectId,
    serverlessEndpointId: endpoint.id,
    instanceId: endpoint.instanceId,
    provider: endpoint.provider,
    region: endpoint.regionName,
    ...(endpoint.cloudProviderEndpointId ? { cloudProviderEndpointId: endpoint.cloudProviderEndpointId } : {}),
  };
}

const STATUS_EVENTS: Partial<Record<ServerlessEndpointStatus, EventType>> = {
  RESERVED: 'TENANT_ENDPOINT_RESERVED',
  AVAILABLE: 'TENANT_ENDPOINT_AVAILABLE',
  FAILED: 'TENANT_ENDPOINT_FAILED',
};

/**
 * Writes the published status, service name and ref (a delete asked for while the pass ran wins:
 * DELETING); records the status change as an event and logs it.
 */
async function publish(
  ctx: ReconcileContext,
  endpoint: ServerlessEndpointRecord,
  update: {
    status?: ServerlessEndpointStatus;
    errorMessage?: string | null;
    endpointServiceName?: string | null;
    serviceDetail?: ServerlessEndpointChanges['serviceDetail'];
    ref: Record<string, unknown>;
  },
): Promise<void> {
  const now = ctx.now();
  let change: { from: string; to: string } | undefined;
  await inTransaction(ctx, async ({ repos: tx }) => {
    // Row lock: an API PATCH or DELETE committing between this pass's read and this write must not be overwritten.
    const current = await tx.serverlessEndpoints.lockById(endpoint.id);
    if (!current) return;
    const changes: ServerlessEndpointChanges = { providerRef: update.ref };
    if (update.status !== undefined) {
      // The pass decided on what it read; a PATCH or DELETE that committed meanwhile decides next pass.
      const moved = current.deleteRequested !== endpoint.deleteRequested || current.cloudProviderEndpointId !== endpoint.cloudProviderEndpointId;
      const status = current.deleteRequested ? 'DELETING' : moved ? current.status : update.status;
      change = status === current.status ? undefined : { from: current.status, to: status };
      Object.assign(changes, {
        status,
        errorMessage: moved ? current.errorMessage : (update.errorMessage ?? null),
        ...(update.endpointServiceName !== undefined ? { endpointServiceName: update.endpointServiceName } : {}),
        ...(update.serviceDetail !== undefined ? { serviceDetail: update.serviceDetail } : {}),
      });
      const type = change ? (status === 'FAILED' && current.status === 'RESERVATION_REQUESTED' ? 'TENANT_ENDPOINT_RESERVATION_FAILED' : STATUS_EVENTS[status]) : undefined;
      if (type) await event(tx, current, type, now, { from: current.status, to: status, errorMessage: changes.errorMessage ?? null });
    }
    await tx.serverlessEndpoints.update(endpoint.id, changes, now);
  });
  if (change) {
    ctx.log.info('serverless private endpoint status changed', {
      ...endpointFields(endpoint),
      ...change,
      ...(update.endpointServiceName ? { endpointServiceName: update.endpointServiceName } : {}),
      ...(update.errorMessage ? { errorMessage: update.errorMessage } : {}),
    });
  }
}

async function event(tx: ReturnType<typeof repositories>, endpoint: ServerlessEndpointRecord, type: EventType, now: Date, payload: Record<string, unknown>): Promise<void> {
  const project = await tx.identity.findProject(endpoint.projectId);
  if (project) await recordEvent(tx, { orgId: project.orgId, projectId: project.id, type, targetId: endpoint.id, payload: { instanceId: endpoint.instanceId, ...payload } }, now);
}
