import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyDelays, INSTANT_DELAYS, parseDelays, REALISTIC_DELAYS } from './delays.js';

describe('delays', () => {
  test('instant is all zero, realistic is AWS-like minutes', () => {
    assert.ok(Object.values(INSTANT_DELAYS).every((v) => v === 0));
    assert.ok(REALISTIC_DELAYS.loadBalancerProvisioning >= 120_000 && REALISTIC_DELAYS.loadBalancerProvisioning <= 180_000);
    assert.equal(REALISTIC_DELAYS.serviceAvailable, 60_000);
    assert.ok(REALISTIC_DELAYS.connectionAvailable >= 30_000 && REALISTIC_DELAYS.connectionAvailable <= 60_000);
  });

  test('a partial change keeps the other delays; a preset replaces all', () => {
    const changed = applyDelays(REALISTIC_DELAYS, { connectionAvailable: 5 });
    assert.equal(changed.connectionAvailable, 5);
    assert.equal(changed.serviceAvailable, REALISTIC_DELAYS.serviceAvailable);
    assert.deepEqual(applyDelays(changed, 'instant'), INSTANT_DELAYS);
  });

  test('negative or unknown delays are refused', () => {
    assert.throws(() => applyDelays(INSTANT_DELAYS, { connectionAvailable: -1 }), RangeError);
    assert.throws(() => applyDelays(INSTANT_DELAYS, { nope: 1 } as never), RangeError);
  });

  test('stored delays parse back, and garbage falls back to instant', () => {
    assert.deepEqual(parseDelays(JSON.stringify(REALISTIC_DELAYS)), REALISTIC_DELAYS);
    assert.deepEqual(parseDelays('not json'), INSTANT_DELAYS);
    assert.deepEqual(parseDelays(undefined), INSTANT_DELAYS);
  });
});
