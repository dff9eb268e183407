import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';
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
