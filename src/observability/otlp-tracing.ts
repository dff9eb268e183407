import { TraceFlags, trace, type Context, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import type { TracingConfig } from '../config/config.js';
import { randomIds } from './random-ids.js';
import { RateLimitedSampler } from './rate-limited-sampler.js';

/** A running OpenTelemetry tracer: hand `tracer` to the parts that make spans; `close` flushes what is buffered. */
export interface OtlpTracing {
  readonly tracer: Tracer;
  close(): Promise<void>;
}

/**
 * The OpenTelemetry SDK with one OTLP/HTTP (JSON) exporter to `config.endpoint`, spans batched
 * (`OTEL_BSP_*` are read by the SDK itself), sampled as `config.sampler` says, the resource naming
 * the service. Nothing is registered globally: privlink passes this tracer down.
 * Undefined when tracing is off.
 */
export function startOtlpTracing(config: TracingConfig): OtlpTracing | undefined {
  if (config.exporter !== 'otlp' || !config.endpoint) return undefined;
  const exporter = new OTLPTraceExporter({ url: config.endpoint, headers: { ...config.headers } });
  // privlink's default decides new traces before the SDK sees them (GatedTracer); the SDK then
  // follows the parent, and keeps the roots the gate let through.
  const gate = config.sampler === 'parentbased_ratelimited' ? new RateLimitedSampler(config.tracesPerSecond) : undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
    sampler: gate ? new ParentBasedSampler({ root: new AlwaysOnSampler() }) : sampler(config),
  });
  const tracer = provider.getTracer('privlink');
  return {
    tracer: gate ? new GatedTracer(tracer, gate) : tracer,
    close: () => provider.shutdown(),
  };
}

/**
 * A tracer whose new traces (spans without a parent) pass a rate gate first. One the gate turns
 * away is a non-recording span with fresh random ids and the "not sampled" flag, made without the
 * SDK (no context lookups, sampler call, attributes or span object): what a dropped request costs
 * is an id and a token-bucket check. Its `traceparent` still carries the decision to queued work.
 * Spans with a parent go to the SDK, which follows the parent.
 */
class GatedTracer implements Tracer {
  constructor(
    private readonly inner: Tracer,
    private readonly gate: RateLimitedSampler,
  ) {}

  startSpan(name: string, options?: SpanOptions, context?: Context): Span {
    const root = options?.root === true || !context || !trace.getSpanContext(context);
    if (root && !this.gate.admit()) {
      return trace.wrapSpanContext({ traceId: randomIds.hex(16), spanId: randomIds.hex(8), traceFlags: TraceFlags.NONE });
    }
    return this.inner.startSpan(name, options, context);
  }

  startActiveSpan: Tracer['startActiveSpan'] = ((...args: Parameters<Tracer['startActiveSpan']>) =>
    (this.inner.startActiveSpan as (...a: unknown[]) => unknown)(...args)) as Tracer['startActiveSpan'];
}

/**
 * OpenTelemetry's named samplers (the SDK's own meaning of each `OTEL_TRACES_SAMPLER` value), and
 * privlink's default, `parentbased_ratelimited`: a caller's decision, else at most
 * `tracesPerSecond` new traces a second.
 */
function sampler(config: TracingConfig): Sampler {
  const root = (name: string): Sampler =>
    name.endsWith('always_on')
      ? new AlwaysOnSampler()
      : name.endsWith('always_off')
        ? new AlwaysOffSampler()
        : name.endsWith('ratelimited')
          ? new RateLimitedSampler(config.tracesPerSecond)
          : new TraceIdRatioBasedSampler(config.samplerRatio);
  return config.sampler.startsWith('parentbased_') ? new ParentBasedSampler({ root: root(config.sampler) }) : root(config.sampler);
}
