import { CLUSTER_WORK } from '../app/clusters.service.js';
import { ENDPOINT_SERVICE_WORK, INTERFACE_ENDPOINT_WORK } from '../app/endpoint-services.service.js';
import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';

/**
 * Enqueues every cluster, endpoint service and interface endpoint: the level-triggered safety net
 * (a lost wake-up, drift made outside privlink, a resource changed by the provider).
 */
export async function resyncAll(store: Store): Promise<void> {
  const repos = repositories(store.db);
  for (const id of await repos.clusters.listIds()) await repos.workQueue.enqueue(CLUSTER_WORK, id);
  for (const id of await repos.privateEndpoints.listAllServiceIds()) await repos.workQueue.enqueue(ENDPOINT_SERVICE_WORK, id);
  for (const { serviceId, endpointId } of await repos.privateEndpoints.listAllEndpointKeys()) {
    await repos.workQueue.enqueue(INTERFACE_ENDPOINT_WORK, `${serviceId}/${endpointId}`);
  }
}

/** Enqueues every cluster (their nodes must be ensured again, e.g. after the data plane restarted). */
export async function resyncClusters(store: Store): Promise<void> {
  const repos = repositories(store.db);
  for (const id of await repos.clusters.listIds()) await repos.workQueue.enqueue(CLUSTER_WORK, id);
}
