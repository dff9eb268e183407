import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';
import { APPSERVICES_ENDPOINT_SERVICE_WORK, CLUSTER_WORK, SERVERLESS_INSTANCE_WORK } from '../domain/work-kinds.js';
import type { WorkKind } from './work-kinds.js';
import { resyncDelayMs } from '../domain/resync-spread.js';

/**
 * Enqueues every key of every kind: the level-triggered safety net (a lost wake-up, drift made
 * outside privlink, a resource changed by the provider). With `spreadMs` (the periodic resync)
 * each key is due at its own phase within that period (`resyncDelayMs`), so N keys make N passes
 * spread over the period, not N at once; without (at start-up) everything is due now.
 */
export async function resyncAll(store: Store, kinds: readonly WorkKind[], spreadMs = 0): Promise<void> {
  const queue = repositories(store.db).workQueue;
  const now = Date.now();
  for (const { kind, listKeys } of kinds) {
    const keys = await listKeys();
    await queue.enqueueMany(
      kind,
      keys.map((key) => ({ key, delayMs: resyncDelayMs(key, spreadMs, now) })),
    );
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
