import { inTransaction } from '../app/app-context.js';
import { recordEvent } from '../app/events.js';
import { decideEndpointService, type ServiceDetail } from '../domain/endpoint-service.js';
import { findRegion } from '../domain/regions.js';
import { INTERFACE_ENDPOINT_WORK, interfaceEndpointKey } from '../domain/work-kinds.js';
import { isEmptyRef, ProviderError, type CloudProviderAdapter } from '../providers/cloud-provider.js';
import type { EndpointServiceRecord } from '../store/private-endpoints.repository.js';
import type { ProviderAccountsRepository, ProviderAccountWithSecret } from '../store/provider-accounts.repository.js';
import { repositories } from '../store/repositories.js';
import { DONE, requeueAfter, type Outcome, type ReconcileFunction } from './outcome.js';
import { pollInterval, providerFailureMessage, serviceSpec, syncListenersOfNew, type ReconcileContext } from './reconcile-context.js';
import { readStoredRef, storedRef } from './stored-ref.js';

/**
 * Reconciles one endpoint service: observe the provider, decide (domain/endpoint-service.ts),
 * act, publish the status. A service whose ref is empty and carries no create-pending mark was
 * never created, so it is absent without asking the cloud. Before a create call the mark is
 * committed, so a crash between the call and the commit of its result is noticed: the next pass
 * observes (the adapter finds what it made by name, tag or client token) instead of making it
 * twice. Observe is level-based: listeners that drifted in the cloud are synced again. Deletion is
 * confirmed by observing absence, then the row goes.
 */
export function endpointServiceReconciler(ctx: ReconcileContext): ReconcileFunction {
  return async (id: string): Promise<Outcome> => {
    const repos = repositories(ctx.store.db);
    const service = await repos.privateEndpoints.findService(id);
    if (!service) return DONE;
    const region = findRegion(service.provider, service.regionName);
    const adapter = ctx.providers.get(service.provider);
    if (!region || !adapter) return DONE;
    const spec = await serviceSpec(ctx, service, region.providerName);
    const stored = readStoredRef(service.providerRef);
    let pendingSince = stored.createPendingSince;
    const seen =
      isEmptyRef(stored.ref) && !pendingSince
        ? { observed: { state: 'absent' } as const, ref: stored.ref }
        : await adapter.observeEndpointService(spec, stored.ref, service.status === 'AVAILABLE' && !service.deleteRequested);
    let ref = seen.ref;
    let decision = decideEndpointService(service, seen.observed);
    /** Whether this pass made the service and then saw it again (no second pass needed to confirm). */
    let lookedAgain = false;
    const now = ctx.now();

    if (decision.action === 'forget') {
      const released = await releaseProviderNetwork(ctx, adapter, service, region.providerName);
      await ctx.crash.hold('before-forget-endpoint-service', service.id);
      const forgotten = await inTransaction(ctx, async ({ repos: tx }) => {
        // Two services of one account and region forgotten at once each saw the other and left the
        // provider network: under the pool's lock (placements take it too) the one going last sees
        // it is last, and goes round once more to release it first.
        if (ctx.pool && adapter.capacity && !released) {
          await tx.providerAccounts.lockAccounts(service.provider);
          if (await lastPlacementAccount(tx.providerAccounts, service)) return false;
        }
        const project = await tx.identity.findProject(service.projectId);
        await tx.privateEndpoints.deleteService(service.id);
        if (project) {
          await recordEvent(
            tx,
            { orgId: project.orgId, projectId: project.id, type: 'ENDPOINT_SERVICE_DELETED', targetId: service.id, payload: { regionName: service.regionName } },
            now,
          );
        }
        return true;
      });
      if (!forgotten) return requeueAfter(0);
      ctx.log.info('endpoint service deleted', { ...serviceFields(service), from: service.status, to: 'DELETED' });
      return DONE;
    }

    try {
      if (decision.action === 'create') {
        if (!pendingSince && isEmptyRef(ref) && ctx.pool) {
          // Placed before the first create call (and before the mark): a crash in between places nothing twice.
          const placed = await ctx.pool.placement.place(ctx, adapter, service, region.providerName);
          ctx.crash.reach('after-place-endpoint-service');
          if (placed.kind === 'stayFailed') return DONE;
          if (placed.kind === 'full') {
            await publish(ctx, service, {
              status: 'FAILED',
              errorMessage: placed.message,
              ref: storedRef(ref),
              event: service.status !== 'FAILED' ? 'ENDPOINT_SERVICE_FAILED' : undefined,
            });
            ctx.log.warn('endpoint service not placed: no provider capacity', { ...serviceFields(service), errorMessage: placed.message });
            return DONE;
          }
        }
        if (!pendingSince) {
          pendingSince = now.toISOString();
          await repos.privateEndpoints.updateService(id, { providerRef: storedRef(ref, pendingSince) }, now);
        }
        ctx.crash.reach('before-create-endpoint-service');
        const created = await adapter.createEndpointService(spec, ref);
        ref = created.ref;
        ctx.crash.reach('after-create-endpoint-service');
        pendingSince = undefined; // the call returned: its result is committed with the status below
        ctx.log.info('endpoint service created at the provider', { ...serviceFields(service), providerRef: ref });
        // A service made from nothing is looked at once more in the same pass: a provider that is
        // already done (the local cloud without delays) makes it AVAILABLE now, with one status
        // write and no second pass, its listeners made first when it has any (a load balancer
        // takes them once it is active); one still provisioning is looked at again after the poll
        // interval. A failed look or listener sync changes nothing: the next pass does it again.
        // What the create's own answers showed, when they showed the whole service, is that look.
        const again = seen.observed.state === 'absent' ? (created.seen ?? (await adapter.observeEndpointService(spec, ref, true).catch(() => undefined))) : undefined;
        if (again && again.observed.state !== 'absent') {
          lookedAgain = true;
          const next = decideEndpointService(service, again.observed);
          const synced = next.action === 'syncListeners' && (await syncListenersOfNew(ctx, adapter, spec, again.ref, 'endpoint service', serviceFields(service)));
          if (next.action === 'none' || synced) {
            ref = again.ref;
            decision = next;
          }
        }
      } else if (decision.action === 'delete') {
        ctx.crash.reach('before-delete-endpoint-service');
        await adapter.deleteEndpointService(spec, ref);
        ctx.crash.reach('after-delete-endpoint-service');
        ctx.log.info('endpoint service deletion requested at the provider', { ...serviceFields(service), providerRef: ref });
      } else if (decision.action === 'syncListeners') {
        await adapter.syncListeners(spec, ref);
        ctx.log.info('endpoint service listeners synced', { ...serviceFields(service), listeners: spec.listeners.length });
      }
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable) throw error;
      const message = providerFailureMessage(adapter, decision.action === 'delete' ? 'delete endpoint service' : 'create endpoint service', error.code, error.message);
      await publish(ctx, service, { status: decision.action === 'delete' ? 'DELETING' : 'FAILED', errorMessage: message, ref: storedRef(ref, pendingSince) });
      if (decision.action === 'delete') throw error;
      return DONE;
    }

    const becameAvailable = decision.status === 'AVAILABLE' && service.status !== 'AVAILABLE';
    await publish(ctx, service, {
      status: decision.status,
      errorMessage: decision.errorMessage,
      endpointServiceName: decision.endpointServiceName,
      detail: decision.detail,
      ref: storedRef(ref, pendingSince),
      event: becameAvailable ? 'ENDPOINT_SERVICE_AVAILABLE' : decision.status === 'FAILED' && service.status !== 'FAILED' ? 'ENDPOINT_SERVICE_FAILED' : undefined,
      wakeEndpoints: becameAvailable,
    });
    if (decision.settled) return DONE;
    return requeueAfter(decision.action === 'create' && seen.observed.state === 'absent' && !lookedAgain ? 0 : pollInterval(service.createdAt, now));
  };
}

/**
 * Before a placed service's row goes: when it was the last one placed in its account and region,
 * the account region's provider network (AWS VPC, Azure VNet) goes too (a retryable failure requeues the deletion).
 * Resolves true when it released it.
 */
async function releaseProviderNetwork(ctx: ReconcileContext, adapter: CloudProviderAdapter, service: EndpointServiceRecord, providerRegion: string): Promise<boolean> {
  if (!ctx.pool || !adapter.capacity) return false;
  const account = await lastPlacementAccount(repositories(ctx.store.db).providerAccounts, service);
  if (!account) return false;
  await adapter.capacity.releaseProviderNetwork(await ctx.pool.accounts.access(account), providerRegion);
  ctx.log.info('provider network released', { ...serviceFields(service), providerAccount: account.name });
  return true;
}

/** The account a service is placed in when no other service is placed in its account and region. */
async function lastPlacementAccount(repos: ProviderAccountsRepository, service: EndpointServiceRecord): Promise<ProviderAccountWithSecret | undefined> {
  const accountId = await repos.placementOf(service.id);
  if (!accountId || (await repos.countOthers(accountId, service.regionName, service.id)) > 0) return undefined;
  return repos.findAccount(accountId);
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
    /** The provider detail to publish (Azure's private link service id, GCP's attachments). */
    detail?: ServiceDetail;
    /** The JSON to store: the adapter's ref, with the create-pending mark while it stands. */
    ref: Record<string, unknown>;
    event?: 'ENDPOINT_SERVICE_AVAILABLE' | 'ENDPOINT_SERVICE_FAILED' | undefined;
    wakeEndpoints?: boolean;
  },
): Promise<void> {
  const now = ctx.now();
  const serviceId = service.id;
  let change: { from: string; to: string } | undefined;
  await inTransaction(ctx, async ({ repos: tx, enqueue }) => {
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
        ...(update.detail !== undefined ? { detail: update.detail } : {}),
        providerRef: update.ref,
      },
      now,
    );
    if (update.event && !current.deleteRequested) {
      const project = await tx.identity.findProject(current.projectId);
      if (project) {
        await recordEvent(
          tx,
          {
            orgId: project.orgId,
            projectId: project.id,
            type: update.event,
            targetId: serviceId,
            payload: { endpointServiceName: update.endpointServiceName ?? null, errorMessage: update.errorMessage },
            transition: { oldStatus: current.status },
          },
          now,
        );
      }
    }
    if (update.wakeEndpoints) {
      for (const endpoint of await tx.privateEndpoints.listEndpoints(serviceId)) {
        await enqueue(INTERFACE_ENDPOINT_WORK, interfaceEndpointKey(serviceId, endpoint.endpointId));
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
}
