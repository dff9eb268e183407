import type { CloudProvider } from '../domain/regions.js';
import { INTERFACE_ENDPOINT_WORK, interfaceEndpointKey, SERVERLESS_ENDPOINT_WORK, WORK_CHANNEL } from '../domain/work-kinds.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';

/** A customer endpoint a cloud says has changed: its cloud, id and (for the log) the cloud's state word. */
export interface ChangedCloudEndpoint {
  readonly cloud: CloudProvider;
  readonly endpointId: string;
  readonly state: string;
}

/**
 * Enqueues the interface endpoint and the serverless private endpoint registered under each
 * changed customer endpoint id, then notifies the work channel once (every replica wakes).
 * Returns how many items were enqueued. GCP ids are skipped (an endpoint group's registered id
 * names no single forwarding rule). Idempotent (enqueueing a queued key only moves it up). Throws
 * when the store fails: the caller decides whether to retry.
 */
export async function enqueueChangedEndpoints(store: Store, log: Logger, changed: readonly ChangedCloudEndpoint[]): Promise<number> {
  const repos = repositories(store.db);
  let enqueued = 0;
  for (const endpoint of changed) {
    if (endpoint.cloud === 'GCP') continue;
    const registered = await repos.privateEndpoints.findEndpointAnywhere(endpoint.cloud, endpoint.endpointId);
    if (registered) {
      await repos.workQueue.enqueue(INTERFACE_ENDPOINT_WORK, interfaceEndpointKey(registered.endpointServiceId, registered.endpointId));
      enqueued++;
    }
    const serverless = await repos.serverlessEndpoints.findByCloudId(endpoint.cloud, endpoint.endpointId);
    if (serverless) {
      await repos.workQueue.enqueue(SERVERLESS_ENDPOINT_WORK, serverless.id);
      enqueued++;
    }
    if (registered || serverless) log.info('cloud endpoint changed', { cloud: endpoint.cloud, endpointId: endpoint.endpointId, state: endpoint.state });
  }
  if (enqueued > 0) await store.notify(WORK_CHANNEL, '');
  return enqueued;
}
