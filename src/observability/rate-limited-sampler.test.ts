import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { RateLimitedSampler } from './rate-limited-sampler.js';

describe('RateLimitedSampler', () => {
  const decide = (sampler: RateLimitedSampler) => sampler.shouldSample(ROOT_CONTEXT, '4bf92f3577b34da6a3ce929d0e0e4736', 'GET /', SpanKind.SERVER, {}, []).decision;
  const kept = (sampler: RateLimitedSampler, n: number) => Array.from({ length: n }, () => decide(sampler)).filter((d) => d === SamplingDecision.RECORD_AND_SAMPLED).length;

  test('keeps a burst of up to the rate, then one per 1/rate seconds, however many spans start', () => {
    let now = 1_000;
    const sampler = new RateLimitedSampler(10, () => now);
    assert.equal(kept(sampler, 1_000), 10, 'the first second keeps its burst of 10');
    now += 100;
    assert.equal(kept(sampler, 1_000), 1, '100 ms later: one more');
    now += 50;
    assert.equal(kept(sampler, 1_000), 0, 'half a token is not a trace');
    now += 50;
    assert.equal(kept(sampler, 1_000), 1);
    let total = 0;
    for (let ms = 0; ms < 60_000; ms += 7) {
      now += 7;
      total += kept(sampler, 20);
    }
    assert.ok(total >= 598 && total <= 601, `about 10 a second over a minute of 2,857 spans a second: ${total}`);
  });

  test('a quiet process keeps every trace, and the bucket never holds more than one second of traces', () => {
    let now = 0;
    const sampler = new RateLimitedSampler(10, () => now);
    for (let i = 0; i < 50; i++) {
      now += 150;
      assert.equal(decide(sampler), SamplingDecision.RECORD_AND_SAMPLED, `span ${i} of a quiet process`);
    }
    now += 3_600_000;
    assert.equal(kept(sampler, 100), 10, 'an idle hour still lets only 10 through at once');
  });

  test('a rate of 0 keeps nothing new', () => {
    assert.equal(kept(new RateLimitedSampler(0), 100), 0);
  });
});
