import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';

/**
 * Keeps at most `perSecond` new traces a second (a token bucket: up to `perSecond` at once after a
 * quiet second, then one every `1 / perSecond` s), drops the rest. What tracing costs is then bounded
 * by a rate, not by the load: a quiet installation keeps every trace, a busy one keeps `perSecond`
 * of them a second, however many requests it answers. The idea of Jaeger's "rate limiting" sampler
 * and of AWS X-Ray's reservoir. `now` (milliseconds, monotonic) is for tests.
 */
export class RateLimitedSampler implements Sampler {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = perSecond;
    this.last = now();
  }

  /** Takes a token when one is there: whether a new trace may be kept now. */
  admit(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  shouldSample(_context: Context, _traceId: string, _name: string, _kind: SpanKind, _attributes: Attributes, _links: Link[]): SamplingResult {
    return { decision: this.admit() ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return `RateLimitedSampler{${this.perSecond}/s}`;
  }
}
