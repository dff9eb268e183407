import type { CloudProviderAdapter } from '../providers/cloud-provider.js';
import { ProviderError } from '../providers/cloud-provider.js';
import type { CallOutcome } from './metrics.js';
import { currentContext } from './request-context.js';
import { failed, SpanKind, startSpan } from './tracing.js';

/** Told of every finished adapter call (metrics). Must not throw. */
export type ProviderCallObserver = (provider: string, operation: string, outcome: CallOutcome, seconds: number) => void;

/**
 * The same adapter, with every asynchronous operation timed and classified for `observe` (when
 * given) and, when the current work context has a tracer (tracing on, inside a reconcile pass), in
 * a client span `<provider> <operation>`: the
 * operation is the adapter's method name (`createService`, `observeEndpoint` …, a bounded set the
 * same for every cloud), the outcome `ok` or the ProviderError's kind. Results and errors pass
 * through untouched, so reconcilers cannot tell the difference. Synchronous members (`apiName`,
 * `wording`, pure helpers) are not wrapped.
 */
export function instrumentedAdapter<T extends CloudProviderAdapter>(provider: string, adapter: T, observe?: ProviderCallObserver): T {
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
        const span = startSpan(currentContext()?.tracer, `${provider} ${property}`, {
          kind: SpanKind.CLIENT,
          attributes: { 'privlink.provider': provider, 'privlink.provider_operation': property },
        });
        let result: unknown;
        try {
          result = method.apply(target, args);
        } catch (error) {
          if (span) failed(span, error);
          span?.end();
          throw error;
        }
        if (!(result instanceof Promise)) {
          span?.end();
          return result;
        }
        return result.then(
          (ok: unknown) => {
            observe?.(provider, property, 'ok', (performance.now() - started) / 1000);
            span?.setAttribute('privlink.outcome', 'ok');
            span?.end();
            return ok;
          },
          (error: unknown) => {
            const outcome = error instanceof ProviderError ? error.kind : 'error';
            observe?.(provider, property, outcome, (performance.now() - started) / 1000);
            if (span) {
              span.setAttribute('privlink.outcome', outcome);
              failed(span, error);
              span.end();
            }
            throw error;
          },
        );
      };
      wrapped.set(property, timed);
      return timed;
    },
  });
}
