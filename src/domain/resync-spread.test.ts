import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newObjectId } from './object-id.js';
import { resyncDelayMs } from './resync-spread.js';

describe('resync spreading', () => {
  const period = 60_000;
  const keys = Array.from({ length: 6000 }, (_, i) => newObjectId(new Date(1_700_000_000_000 + i * 1000)));

  test('delays fall within the period and spread evenly over it (no thundering herd)', () => {
    const now = 1_764_000_000_123;
    const buckets = new Array<number>(10).fill(0);
    for (const key of keys) {
      const delay = resyncDelayMs(key, period, now);
      assert.ok(delay >= 0 && delay < period, `${delay}`);
      buckets[Math.floor(delay / (period / 10))]!++;
    }
    // 600 expected per tenth of the period; a herd would put thousands in one.
    for (const count of buckets) assert.ok(count > 450 && count < 750, `bucket sizes ${buckets.join(', ')}`);
  });

  test('a key keeps its phase: two replicas agree, and successive resyncs are one period apart', () => {
    const key = keys[42]!;
    const t0 = 1_764_000_000_000;
    const due = t0 + resyncDelayMs(key, period, t0);
    // Another replica resyncing a few seconds later computes the same due time.
    assert.equal(t0 + 7_000 + resyncDelayMs(key, period, t0 + 7_000), due + (resyncDelayMs(key, period, t0) < 7_000 ? period : 0));
    // The next resync, one period later, makes it due exactly one period later.
    assert.equal(t0 + period + resyncDelayMs(key, period, t0 + period), due + period);
  });

  test('no period (the start-up resync) makes everything due now', () => {
    assert.equal(resyncDelayMs(keys[0]!, 0, 123), 0);
  });
});
