import type { CloudProvider } from '../domain/regions.js';
import { INTERFACE_ENDPOINT_WORK, interfaceEndpointKey, SERVERLESS_ENDPOINT_WORK, WORK_CHANNEL } from '../domain/work-kinds.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';

/**
 * A customer endpoint a cloud says has changed: its cloud, id, the cloud's state word (for the
 * log) and, when the feed knows it, whether the endpoint now forwards traffic.
 */
export interface ChangedCloudEndpoint {
  readonly cloud: CloudProvider;
  readonly endpointId: string;
  readonly state: string;
  readonly forwarding?: boolean;
}

/**
 * Whether a registration already says what the change says: it is `AVAILABLE`, not being deleted,
 * and the endpoint forwards. A pass would only confirm it (typically the change is the one the
 * reconciler's own accept made, and the pass that accepted observed it after). Any other change
 * (not forwarding, or a registration not yet `AVAILABLE`) is reconciled.
 */
function alreadyAvailable(registration: { readonly status: string; readonly deleteRequested: boolean }, endpoint: ChangedCloudEndpoint): boolean {
  return endpoint.forwarding === true && registration.status === 'AVAILABLE' && !registration.deleteRequested;
}

/**
 * Whether the change is most likely the one an accepting pass is making right now: the endpoint
 * forwards, but its interface endpoint registration still says `PENDING_ACCEPTANCE` (the pass that
 * accepts looks at the endpoint again after its accept and publishes what it sees; see
 * interface-endpoint.reconciler.ts). Such a change is looked at again after `ACCEPT_RECHECK_MS`
 * when the caller can wait (`defer`), and then reconciled only if the registration is still not
 * `AVAILABLE` (a pass that died between its accept and its publish; its lease also hands its work
 * on).
 */
function acceptInFlight(registration: { readonly status: string; readonly deleteRequested: boolean }, endpoint: ChangedCloudEndpoint): boolean {
  return endpoint.forwarding === true && registration.status === 'PENDING_ACCEPTANCE' && !registration.deleteRequested;
}

/** How long a change deferred by `acceptInFlight` waits before it is looked at again. */
export const ACCEPT_RECHECK_MS = 1000;

/**
 * Enqueues the interface endpoint and the serverless private endpoint registered under each
 * changed customer endpoint id (unless the registration already says what the change does, see
 * alreadyAvailable), then notifies the work channel once (every replica wakes).
 * With `defer`, an interface endpoint change that an accepting pass is likely making (see
 * acceptInFlight) is handed to it instead, for the caller to pass in again after
 * `ACCEPT_RECHECK_MS` without `defer`.
 * Returns how many items were enqueued. GCP ids are skipped (an endpoint group's registered id
 * names no single forwarding rule). Idempotent (enqueueing a queued key only moves it up). Throws
 * when the store fails: the caller decides whether to retry.
 */
export async function enqueueChangedEndpoints(
  store: Store,
  log: Logger,
  changed: readonly ChangedCloudEndpoint[],
  defer?: (endpoint: ChangedCloudEndpoint) => void,
): Promise<number> {
  const repos = repositories(store.db);
  let enqueued = 0;
  for (const endpoint of changed) {
    if (endpoint.cloud === 'GCP') continue;
    // Both registrations a customer endpoint id may have, in one statement.
    const { interfaceEndpoint: registered, serverless } = await repos.privateEndpoints.registrationsOfCloudEndpoint(endpoint.cloud, endpoint.endpointId);
    const deferred = registered !== undefined && defer !== undefined && acceptInFlight(registered, endpoint);
    if (deferred) defer(endpoint);
    const due = registered && !deferred && !alreadyAvailable(registered, endpoint);
    if (registered && due) {
      await repos.workQueue.enqueue(INTERFACE_ENDPOINT_WORK, interfaceEndpointKey(registered.endpointServiceId, endpoint.endpointId));
      enqueued++;
    }
    const serverlessDue = serverless && !alreadyAvailable(serverless, endpoint);
    if (serverless && serverlessDue) {
      await repos.workQueue.enqueue(SERVERLESS_ENDPOINT_WORK, serverless.id);
      enqueued++;
    }
    if (due || serverlessDue) log.info('cloud endpoint changed', { cloud: endpoint.cloud, endpointId: endpoint.endpointId, state: endpoint.state });
  }
  if (enqueued > 0) await store.notify(WORK_CHANNEL, '');
  return enqueued;
}
