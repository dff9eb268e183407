import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';
import { APPSERVICES_ENDPOINT_SERVICE_WORK, CLUSTER_WORK, SERVERLESS_INSTANCE_WORK } from '../domain/work-kinds.js';
import type { WorkKind } from './work-kinds.js';

/**
 * Enqueues every key of every kind: the level-triggered safety net (a lost wake-up, drift made
 * outside privlink, a resource changed by the provider).
 */
export async function resyncAll(store: Store, kinds: readonly WorkKind[]): Promise<void> {
  const queue = repositories(store.db).workQueue;
  for (const { kind, listKeys } of kinds) {
    for (const key of await listKeys()) await queue.enqueue(kind, key);
  }
}

/** Enqueues every cluster and serverless instance (their nodes must be ensured again, e.g. after the data plane restarted). */
export async function resyncClusters(store: Store): Promise<void> {
  const repos = repositories(store.db);
  for (const id of await repos.clusters.listIds()) await repos.workQueue.enqueue(CLUSTER_WORK, id);
  for (const id of await repos.serverlessInstances.listIds()) await repos.workQueue.enqueue(SERVERLESS_INSTANCE_WORK, id);
  // The App Services front end restarts with the data plane on a new port: the services' listeners follow it.
  for (const id of await repos.appServicesEndpoints.listServiceIds()) await repos.workQueue.enqueue(APPSERVICES_ENDPOINT_SERVICE_WORK, id);
}
