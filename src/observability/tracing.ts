import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, isSpanContextValid, trace, type Attributes, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import { currentContext, runWithContext } from './request-context.js';

export { SpanKind, SpanStatusCode };
export type { Span, Tracer };

/** Where a new span hangs: a live span of this process, or a W3C `traceparent` saved elsewhere (a queue row). */
export type SpanParent = Span | string | undefined;

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** Default: the current work context's span. */
  readonly parent?: SpanParent;
}

/**
 * Starts a span on `tracer` under `parent` (our own work context carries the current span, so no
 * global OpenTelemetry context manager is registered). Tracing off means no tracer anywhere:
 * callers pass undefined and get undefined, at the cost of one comparison.
 */
export function startSpan(tracer: Tracer | undefined, name: string, options: SpanOptions = {}): Span | undefined {
  if (!tracer) return undefined;
  const parent = options.parent ?? currentContext()?.span;
  // A trace the sampler dropped stays dropped below (every sampler privlink offers decides per trace,
  // or follows the parent): its non-recording span stands in for the child, at no cost.
  if (parent && typeof parent !== 'string' && !parent.isRecording()) return parent;
  const parentContext = typeof parent === 'string' ? remoteParent(parent) : parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
  return tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) }, parentContext);
}

/**
 * Runs `fn` inside a span of the current work context's tracer (a child of the current span), with
 * that span current for everything `fn` starts; the span ends when `fn` settles, with an error
 * status and the exception when it throws. Without a tracer in the context (tracing off, or outside
 * every request and pass) it is `fn()` and nothing else.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => T): T {
  const context = currentContext();
  const tracer = context?.tracer;
  if (!tracer) return fn(undefined);
  // Inside a trace the sampler dropped: no child span, no new context (the current one already
  // carries the unsampled span, whose `traceparent` keeps the decision for queued work).
  if (!options.parent && !traced(context)) return fn(context.span);
  const span = startSpan(tracer, name, options)!;
  return runWithContext({ ...context, span }, () => endWhenSettled(span, () => fn(span)));
}

/** Runs `fn`; ends `span` when its result (a promise or a value) settles, recording a failure. */
export function endWhenSettled<T>(span: Span, fn: () => T): T {
  let result: T;
  try {
    result = fn();
  } catch (error) {
    failed(span, error);
    span.end();
    throw error;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failed(span, error);
        span.end();
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

/** Marks `span` failed with `error` (status ERROR, an `exception` event). */
export function failed(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** The W3C `traceparent` of a span (`00-<trace id>-<span id>-<flags>`), to save with queued work. */
export function traceparentOf(span: Span | undefined): string | null {
  if (!span) return null;
  const c = span.spanContext();
  return isSpanContextValid(c) ? `00-${c.traceId}-${c.spanId}-${(c.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00'}` : null;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The span context of a W3C `traceparent` (version 00), or undefined when it is not one. */
export function parseTraceparent(value: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const context: SpanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(context) ? context : undefined;
}

function remoteParent(traceparent: string) {
  const context = parseTraceparent(traceparent);
  return context ? trace.setSpanContext(ROOT_CONTEXT, context) : ROOT_CONTEXT;
}

/**
 * Every function of a use-case module (`app/*.service.ts`), each call in a span named after the
 * function (`use case createEndpointService`), a child of the request's span. With tracing off the
 * wrapper only looks at the work context and calls through.
 */
export function tracedUseCases<M extends object>(module: M): M {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    if (typeof value !== 'function') {
      out[name] = value;
      continue;
    }
    const fn = value as (...args: unknown[]) => unknown;
    out[name] = (...args: unknown[]) => (traced(currentContext()) ? inSpan(`use case ${name}`, { attributes: { 'privlink.use_case': name } }, () => fn(...args)) : fn(...args));
  }
  return out as M;
}

/** Whether work in `context` makes spans: tracing is on and the trace (if any) was not dropped by the sampler. */
function traced(context: ReturnType<typeof currentContext>): boolean {
  return !!context?.tracer && (!context.span || context.span.isRecording());
}
