import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyAzureDelays, INSTANT_AZURE_DELAYS, parseAzureDelays, REALISTIC_AZURE_DELAYS } from './delays.js';

test('a preset replaces every delay; a partial change only the ones it names', () => {
  assert.deepEqual(applyAzureDelays(INSTANT_AZURE_DELAYS, 'realistic'), REALISTIC_AZURE_DELAYS);
  assert.deepEqual(applyAzureDelays(REALISTIC_AZURE_DELAYS, { deletion: 1 }), { ...REALISTIC_AZURE_DELAYS, deletion: 1 });
});

test('nonsense delays are refused; stored JSON falls back to instant for what it lacks', () => {
  assert.throws(() => applyAzureDelays(INSTANT_AZURE_DELAYS, { deletion: -1 }), RangeError);
  assert.throws(() => applyAzureDelays(INSTANT_AZURE_DELAYS, { nope: 1 } as never), RangeError);
  assert.deepEqual(parseAzureDelays('{"loadBalancerProvisioning":5,"unknown":3}'), { ...INSTANT_AZURE_DELAYS, loadBalancerProvisioning: 5 });
  assert.deepEqual(parseAzureDelays('not json'), INSTANT_AZURE_DELAYS);
  assert.deepEqual(parseAzureDelays(undefined), INSTANT_AZURE_DELAYS);
});
