/**
 * Fault switches every emulator offers: make one action fail with an error, answer as
 * throttled, or answer late. The spec and its stored shape are shared; each emulator renders
 * `error` and `throttle` in its own protocol's terms and keeps the stored faults in its own table.
 */

/** A fault as stored: what to do instead of (or before answering) an action. */
export type StoredFault =
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly status?: number }
  | { readonly kind: 'throttle' }
  | { readonly kind: 'timeout'; readonly ms?: number };

/** What an emulator's setFault accepts for one action. `times` limits it to the next N calls. */
export type FaultSpec =
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly status?: number; readonly times?: number }
  | { readonly kind: 'throttle'; readonly times?: number }
  | { readonly kind: 'timeout'; readonly ms?: number; readonly times?: number };

/** How long a `timeout` fault holds the response when no `ms` is given. */
export const DEFAULT_TIMEOUT_FAULT_MS = 60_000;

/** Splits a spec into what is stored and how many uses remain (undefined = until cleared). Throws RangeError for nonsense. */
export function toStoredFault(spec: FaultSpec): { fault: StoredFault; times: number | undefined } {
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) throw new RangeError('Fault times must be a positive integer');
  switch (spec.kind) {
    case 'error':
      if (!spec.code) throw new RangeError('An error fault needs a code');
      if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599)) throw new RangeError('Fault status must be 4xx or 5xx');
      return { fault: { kind: 'error', code: spec.code, message: spec.message, ...(spec.status ? { status: spec.status } : {}) }, times: spec.times };
    case 'throttle':
      return { fault: { kind: 'throttle' }, times: spec.times };
    case 'timeout':
      if (spec.ms !== undefined && (!Number.isFinite(spec.ms) || spec.ms < 0)) throw new RangeError('Fault ms must be a non-negative number');
      return { fault: { kind: 'timeout', ...(spec.ms !== undefined ? { ms: spec.ms } : {}) }, times: spec.times };
  }
}
