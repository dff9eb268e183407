import type { CloudProviderAdapter } from '../providers/cloud-provider.js';
import { ProviderError } from '../providers/cloud-provider.js';
import type { CallOutcome } from './metrics.js';

/** Told of every finished adapter call (metrics). Must not throw. */
export type ProviderCallObserver = (provider: string, operation: string, outcome: CallOutcome, seconds: number) => void;

/**
 * The same adapter, with every asynchronous operation timed and classified for `observe`: the
 * operation is the adapter's method name (`createService`, `observeEndpoint` …, a bounded set the
 * same for every cloud), the outcome `ok` or the ProviderError's kind. Results and errors pass
 * through untouched, so reconcilers cannot tell the difference. Synchronous members (`apiName`,
 * `wording`, pure helpers) are not wrapped.
 */
export function instrumentedAdapter<T extends CloudProviderAdapter>(provider: string, adapter: T, observe: ProviderCallObserver): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const cached = wrapped.get(property);
      if (cached) return cached;
      const method = value as (...args: unknown[]) => unknown;
      const timed = (...args: unknown[]): unknown => {
        const started = performance.now();
        const result = method.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (ok: unknown) => {
            observe(provider, property, 'ok', (performance.now() - started) / 1000);
            return ok;
          },
          (error: unknown) => {
            observe(provider, property, error instanceof ProviderError ? error.kind : 'error', (performance.now() - started) / 1000);
            throw error;
          },
        );
      };
      wrapped.set(property, timed);
      return timed;
    },
  });
}
