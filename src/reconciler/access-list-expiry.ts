import { expireAccessListEntries } from '../app/access-list.service.js';
import type { AppContext } from '../app/app-context.js';
import type { Logger } from '../logging/logger.js';

/**
 * Removes temporary IP access list entries once their `deleteAfterDate` passes, every `everyMs`.
 * An expired entry already admits nobody and is already absent from the API before the sweep
 * runs; the sweep only deletes its row. Safe on every replica (the delete is idempotent).
 * Returns the stop function.
 */
export function startAccessListExpiry(ctx: AppContext, log: Logger, everyMs = 10_000): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = expireAccessListEntries(ctx).then(
      (projects) => {
        if (projects.length > 0) log.info('expired access list entries removed', { projects });
      },
      (error: unknown) => log.warn('access list expiry sweep failed; retrying at the next interval', { error: String(error) }),
    );
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
