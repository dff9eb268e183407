import type { OperationState, SimplePollerLike } from '@azure/core-lro';
import { azure, classifyAzureError } from './azure-errors.js';

/** How often a started operation is polled while the adapter waits for it (ARM's Retry-After wins when it says more). */
export const POLLING = { updateIntervalInMs: 25 };
/** How long one pass waits for a started operation before leaving it to the next pass. */
const SETTLE_MS = 1_500;

/**
 * Starts an ARM long-running operation and gives it up to SETTLE_MS to finish, so a quick step
 * (Azure's fast ones, the local cloud's with zero delays) lets the same pass go on; a slow one is
 * left running and the next pass sees its `provisioningState`. True when it finished.
 */
export async function settles(start: () => Promise<SimplePollerLike<OperationState<unknown>, unknown>>): Promise<boolean> {
  return (await settled(start)) !== undefined;
}

/**
 * As `settles`, answering what the finished operation answered (for a PUT, the resource as the
 * SDK read it once the operation ended), or undefined when it did not finish in time.
 */
export async function settled<T>(start: () => Promise<SimplePollerLike<OperationState<T>, T>>): Promise<{ readonly result: T } | undefined> {
  const poller = await azure(start);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SETTLE_MS);
  try {
    return { result: await poller.pollUntilDone({ abortSignal: abort.signal }) };
  } catch (error) {
    if (abort.signal.aborted) return undefined;
    throw classifyAzureError(error);
  } finally {
    clearTimeout(timer);
  }
}
