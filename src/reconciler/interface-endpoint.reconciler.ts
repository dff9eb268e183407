import { projectStrings, recordStringChanges } from '../app/connection-string-events.js';
import { inTransaction } from '../app/app-context.js';
import { recordEvent } from '../app/events.js';
import { azureConnectionName, decideInterfaceEndpoint, type EndpointDetail, type ObservedConnection } from '../domain/interface-endpoint.js';
import { findRegion } from '../domain/regions.js';
import { parseInterfaceEndpointKey } from '../domain/work-kinds.js';
import { isEmptyRef, ProviderError } from '../providers/cloud-provider.js';
import { repositories } from '../store/repositories.js';
import { DONE, requeueAfter, type Outcome, type ReconcileFunction } from './outcome.js';
import { connectionSpec, pollInterval, providerFailureMessage, type ReconcileContext } from './reconcile-context.js';
import { readStoredRef } from './stored-ref.js';

/**
 * Reconciles one interface endpoint (key `<serviceId>/<endpointId>`): observe its provider
 * connection, decide (domain/interface-endpoint.ts), accept or reject it, publish
 * `connectionStatus`. Only registered endpoints are ever accepted.
 */
export function interfaceEndpointReconciler(ctx: ReconcileContext): ReconcileFunction {
  return async (key: string): Promise<Outcome> => {
    const { serviceId, endpointId } = parseInterfaceEndpointKey(key);
    const repos = repositories(ctx.store.db);
    const endpoint = await repos.privateEndpoints.findEndpoint(serviceId, endpointId);
    if (!endpoint) return DONE;
    const service = await repos.privateEndpoints.findService(serviceId);
    const region = service && findRegion(service.provider, service.regionName);
    const adapter = service && ctx.providers.get(service.provider);
    if (!service || !region || !adapter) return DONE;
    const { ref } = readStoredRef(service.providerRef);
    const spec = connectionSpec(service, region.providerName);
    const registered = { endpointId, detail: endpoint.detail };
    let observed: ObservedConnection;
    if (isEmptyRef(ref) && (service.status !== 'AVAILABLE' || service.deleteRequested)) {
      observed = service.deleteRequested ? { state: 'absent' } : { state: 'serviceNotReady' };
    } else {
      observed = await adapter.observeConnection(spec, ref, registered);
    }
    const now = ctx.now();
    const fields = { projectId: endpoint.projectId, endpointServiceId: serviceId, endpointId, provider: service.provider, region: service.regionName };
    const decide = (seen: ObservedConnection) =>
      decideInterfaceEndpoint(endpoint, seen, {
        serviceName: service.endpointServiceName,
        notFoundGraceMs: ctx.notFoundGraceMs,
        now,
        wording: adapter.wording,
      });
    let decision = decide(observed);
    let detail = observedDetail(endpoint.detail, observed, endpointId);

    if (decision.action === 'forget') {
      await inTransaction(ctx, async ({ repos: tx }) => {
        const before = await projectStrings(tx, endpoint.projectId, ctx.domain);
        await tx.privateEndpoints.deleteEndpoint(serviceId, endpointId);
        const project = await recordStringChanges(tx, endpoint.projectId, before, ctx.domain, now);
        if (project) {
          await recordEvent(
            tx,
            { orgId: project.orgId, projectId: project.id, type: 'INTERFACE_ENDPOINT_DELETED', targetId: endpointId, payload: { endpointServiceId: serviceId } },
            now,
          );
        }
      });
      ctx.log.info('interface endpoint deleted', { ...fields, from: endpoint.status, to: 'DELETED' });
      return DONE;
    }

    let status = decision.status;
    let errorMessage = decision.errorMessage;
    try {
      if (decision.action === 'accept') {
        ctx.crash.reach('before-accept-connection');
        const answered = await adapter.acceptConnection(spec, ref, registered, observed);
        ctx.crash.reach('after-accept-connection');
        ctx.log.info('interface endpoint connection accepted', fields);
        // Looked at once more in the same pass (in the accept's own answer when the provider's
        // shows the connection): a connection the provider already shows available (the local
        // cloud without delays) is published AVAILABLE now, with no second pass. A failed look
        // changes nothing: the next pass looks again at once.
        const again = answered ?? (await adapter.observeConnection(spec, ref, registered).catch(() => undefined));
        const next = again && decide(again);
        if (again && next && next.action === 'none') {
          observed = again;
          decision = next;
          status = next.status;
          errorMessage = next.errorMessage;
          detail = observedDetail(endpoint.detail, again, endpointId);
        }
      } else if (decision.action === 'reject') {
        await adapter.rejectConnection(spec, ref, registered);
        ctx.log.info('interface endpoint connection rejected', fields);
      }
    } catch (error) {
      if (!(error instanceof ProviderError) || error.retryable || decision.action === 'reject') throw error;
      status = 'REJECTED';
      errorMessage = providerFailureMessage(adapter, 'accept interface endpoint', error.code, error.message);
    }

    if (status !== endpoint.status || errorMessage !== endpoint.errorMessage || detail !== endpoint.detail) {
      let change: { from: string; to: string } | undefined;
      await inTransaction(ctx, async ({ repos: tx }) => {
        // Row lock: an API delete committing meanwhile must not be overwritten.
        const current = await tx.privateEndpoints.lockEndpoint(serviceId, endpointId);
        if (!current) return;
        const published = current.deleteRequested ? 'DELETING' : status;
        change = published === current.status ? undefined : { from: current.status, to: published };
        const before = await projectStrings(tx, endpoint.projectId, ctx.domain);
        await tx.privateEndpoints.updateEndpoint(serviceId, endpointId, { status: published, errorMessage, detail }, now);
        const project = await recordStringChanges(tx, endpoint.projectId, before, ctx.domain, now);
        if (project && published !== current.status) {
          await recordEvent(
            tx,
            {
              orgId: project.orgId,
              projectId: project.id,
              type: 'INTERFACE_ENDPOINT_STATUS_CHANGED',
              targetId: endpointId,
              payload: { endpointServiceId: serviceId, from: current.status, to: published, errorMessage },
            },
            now,
          );
        }
      });
      if (change) ctx.log.info('interface endpoint status changed', { ...fields, ...change, ...(errorMessage ? { errorMessage } : {}) });
    }
    if (decision.action !== 'none' && status !== 'REJECTED') return requeueAfter(0);
    if (decision.settled || status === 'REJECTED') return DONE;
    if (observed.state === 'absent') {
      const left = endpoint.createdAt.getTime() + ctx.notFoundGraceMs - now.getTime();
      return requeueAfter(Math.max(0, Math.min(left + 1, pollInterval(endpoint.createdAt, now))));
    }
    return requeueAfter(pollInterval(endpoint.createdAt, now));
  };
}

/**
 * The registration's provider detail with what this observation adds: on Azure, once the private
 * link service shows the endpoint's connection, Atlas's connection name for it; on GCP, each
 * forwarding rule's status. The same object when nothing changed.
 */
function observedDetail(detail: EndpointDetail, observed: ObservedConnection, endpointId: string): EndpointDetail {
  if (detail.cloud === 'GCP') {
    const members = new Map((observed.members ?? []).map((m) => [m.name, m.status]));
    const endpoints = detail.endpoints.map((rule) => ({ ...rule, status: members.get(rule.endpointName) ?? rule.status }));
    return endpoints.every((rule, i) => rule.status === detail.endpoints[i]!.status) ? detail : { ...detail, endpoints };
  }
  if (detail.cloud !== 'AZURE' || !('connectionName' in observed) || observed.connectionName === undefined) return detail;
  const name = azureConnectionName(endpointId) ?? null;
  return name === detail.privateEndpointConnectionName ? detail : { ...detail, privateEndpointConnectionName: name };
}
