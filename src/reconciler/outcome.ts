/**
 * What one reconcile pass of a key decided (controller-runtime's Result):
 * - `done`: converged; the key leaves the queue until something changes or the periodic resync;
 * - `requeue`: look again after `afterMs` (waiting on the provider, polling a transition).
 * A thrown error means "retry with backoff"; a ProviderError's kind decides how (see controller).
 */
export type Outcome = { readonly kind: 'done' } | { readonly kind: 'requeue'; readonly afterMs: number };

export const DONE: Outcome = { kind: 'done' };

export function requeueAfter(afterMs: number): Outcome {
  return { kind: 'requeue', afterMs };
}

/** Reconciles one key of one kind. Must be idempotent and re-read all state it needs. */
export type ReconcileFunction = (key: string) => Promise<Outcome>;
