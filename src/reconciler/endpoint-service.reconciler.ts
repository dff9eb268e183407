import { createHash } from 'node:crypto';
import { recordEvent } from '../app/events.js';
import { INTERFACE_ENDPOINT_WORK } from '../app/endpoint-services.service.js';
import { decideEndpointService } from '../domain/endpoint-service.js';
import { findRegion } from '../domain/regions.js';
import { ProviderError, type ProviderRef } from '../providers/cloud-provider.js';
import type { EndpointServiceRecord } from '../store/private-endpoints.repository.js';
import { repositories } from '../store/repositories.js';
import { DONE, requeueAfter, type Outcome, type ReconcileFunction } from './outcome.js';
import { pollInterval, providerFailureMessage, serviceSpec, type ReconcileContext } from './reconcile-context.js';

/**
 * Reconciles one endpoint service: observe the provider, decide (domain/endpoint-service.ts),
 * act, publish the status. Before a create call the create-pending mark is committed, so a crash
 * between the call and the commit of its result is noticed; the adapter then adopts what it made
 * (by name, tag, client token) instead of making it twice. Deletion is confirmed by observing
 * absence, then the row goes.
 */
export function endpointServiceReconciler(ctx: ReconcileContext): ReconcileFunction {
  return async (id: string): Promise<Outcome> => {
    const repos = repositories(ctx.store.db);
    const service = await repos.privateEndpoints.findService(id);
    if (!service) return DONE;
    const region = findRegion(service.provider, service.regionName);
    if (!region || service.provider !== 'AWS') return DONE;
    const spec = await serviceSpec(ctx, service, region.providerName);
    let ref = service.providerRef as ProviderRef;
    const seen = await ctx.provider.observeEndpointService(spec, ref);
    ref = seen.ref;
    const decision = decideEndpointService(service, seen.observed);
    const now = ctx.now();

    if (decision.action === 'forget') {
      await ctx.store.transaction(async (trx) => {
        const tx = repositories(trx);
        const project = await tx.identity.findProject(service.projectId);
        await tx.privateEndpoints.deleteService(service.id);
        if (project) {
          await recordEvent(tx, { orgId: project.orgId, projectId: project.id, type: 'ENDPOINT_SERVICE_DELETED', targetId: service.id, payload: { regionName: service.regionName } }, now);
        }
      });
      ctx.log.info('endpoint service deleted', { ...serviceFields(service), from: service.status, to: 'DELETED' });
      return DONE;
    }

    try {
      if (decision.action === 'create') {
        if (!ref.createPendingSince) {
          ref = { ...ref, createPendingSince: now.toISOString() };
          await repos.privateEndpoints.updateService(id, { providerRef: ref }, now);
        }
        ctx.crash.reach('before-create-endpoint-service');
        ref = await ctx.provider.createEndpointService(spec, ref);
        ctx.crash.reach('after-create-endpoint-service');
        ctx.log.info('endpoint service created at the provider', { ...serviceFields(service), providerServiceId: ref.serviceId ?? null });
      } else if (decision.action === 'delete') {
        ctx.crash.reach('before-delete-endpoint-service');
        await ctx.provider.deleteEndpointService(spec, ref);
        ctx.crash.reach('after-delete-endpoint-service');
        ctx.log.info('endpoint service deletion requested at the provider', { ...serviceFields(service), providerServiceId: ref.serviceId ?? null });
      } else if (decision.status === 'AVAILABLE') {
        const digest = listenersDigest(spec.listeners);
        if (ref.listenersDigest !== digest) {
          await ctx.provider.syncListeners(spec, ref);
          ref = { ...ref, listenersDigest: digest };
        }
      }
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable) throw error;
      const message = providerFailureMessage(decision.action === 'delete' ? 'delete endpoint service' : 'create endpoint service', error.code, error.message);
      await publish(ctx, service, { status: decision.action === 'delete' ? 'DELETING' : 'FAILED', errorMessage: message, ref });
      if (decision.action === 'delete') throw error;
      return DONE;
    }

    const becameAvailable = decision.status === 'AVAILABLE' && service.status !== 'AVAILABLE';
    await publish(ctx, service, {
      status: decision.status,
      errorMessage: decision.errorMessage,
      endpointServiceName: decision.endpointServiceName,
      ref,
      event: becameAvailable ? 'ENDPOINT_SERVICE_AVAILABLE' : decision.status === 'FAILED' && service.status !== 'FAILED' ? 'ENDPOINT_SERVICE_FAILED' : undefined,
      wakeEndpoints: becameAvailable,
    });
    if (decision.settled) return DONE;
    return requeueAfter(decision.action === 'create' && seen.observed.state === 'absent' ? 0 : pollInterval(service.createdAt, now));
  };
}

/** The ids every log line about an endpoint service carries. */
function serviceFields(service: EndpointServiceRecord): Record<string, unknown> {
  return { projectId: service.projectId, endpointServiceId: service.id, provider: service.provider, region: service.regionName };
}

/**
 * Writes the published status and ref; records an event and wakes the interface endpoints when
 * asked; logs one info line when the status changes.
 */
async function publish(
  ctx: ReconcileContext,
  service: EndpointServiceRecord,
  update: {
    status: 'INITIATING' | 'AVAILABLE' | 'FAILED' | 'DELETING' | 'WAITING_FOR_USER';
    errorMessage: string | null;
    endpointServiceName?: string | null;
    ref: ProviderRef;
    event?: 'ENDPOINT_SERVICE_AVAILABLE' | 'ENDPOINT_SERVICE_FAILED' | undefined;
    wakeEndpoints?: boolean;
  },
): Promise<void> {
  const now = ctx.now();
  const serviceId = service.id;
  let woke = false;
  let change: { from: string; to: string } | undefined;
  await ctx.store.transaction(async (trx) => {
    const tx = repositories(trx);
    // Row lock: an API delete committing between this read and the update must not be overwritten.
    const current = await tx.privateEndpoints.lockService(serviceId);
    if (!current) return;
    // A delete asked for while this pass ran wins over what the pass saw.
    const status = current.deleteRequested ? 'DELETING' : update.status;
    change = status === current.status ? undefined : { from: current.status, to: status };
    await tx.privateEndpoints.updateService(
      serviceId,
      {
        status,
        errorMessage: update.errorMessage,
        ...(update.endpointServiceName !== undefined ? { endpointServiceName: update.endpointServiceName } : {}),
        providerRef: update.ref as Record<string, unknown>,
      },
      now,
    );
    if (update.event && !current.deleteRequested) {
      const project = await tx.identity.findProject(current.projectId);
      if (project) {
        await recordEvent(tx, { orgId: project.orgId, projectId: project.id, type: update.event, targetId: serviceId, payload: { endpointServiceName: update.endpointServiceName ?? null, errorMessage: update.errorMessage } }, now);
      }
    }
    if (update.wakeEndpoints) {
      for (const endpoint of await tx.privateEndpoints.listEndpoints(serviceId)) {
        await tx.workQueue.enqueue(INTERFACE_ENDPOINT_WORK, `${serviceId}/${endpoint.endpointId}`);
        woke = true;
      }
    }
  });
  if (change) {
    ctx.log.info('endpoint service status changed', {
      ...serviceFields(service),
      ...change,
      endpointServiceName: update.endpointServiceName ?? service.endpointServiceName,
      ...(update.errorMessage ? { errorMessage: update.errorMessage } : {}),
    });
  }
  if (woke) await ctx.announce();
}

function listenersDigest(listeners: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(listeners)).digest('hex').slice(0, 16);
}
