import type { Tracer } from '@opentelemetry/api';
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
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
    sampler: sampler(config),
  });
  return {
    tracer: provider.getTracer('privlink'),
    close: () => provider.shutdown(),
  };
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
