import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NETWORK_USAGES, parseUsageLimits, withUsageLimit } from './network-usages.js';

test("Azure's documented default limits: 1,000 virtual networks, 1,000 load balancers, 800 private link services", () => {
  assert.deepEqual(
    NETWORK_USAGES.map((u) => [u.name, u.defaultLimit]),
    [
      ['VirtualNetworks', 1000],
      ['LoadBalancers', 1000],
      ['PrivateLinkServices', 800],
    ],
  );
});

test('a limit is set per subscription, location and usage; null goes back to the default; unknown usages and bad values are refused', () => {
  const set = withUsageLimit({}, 'SUB-A', 'EastUS', 'PrivateLinkServices', 3);
  assert.deepEqual(set, { 'sub-a|eastus|PrivateLinkServices': 3 });
  assert.deepEqual(parseUsageLimits(JSON.stringify(set)), set);
  assert.deepEqual(withUsageLimit(set, 'sub-a', 'eastus', 'PrivateLinkServices', null), {});
  assert.throws(() => withUsageLimit({}, 's', 'eastus', 'PublicIPAddresses', 1), /Unknown network usage PublicIPAddresses/);
  assert.throws(() => withUsageLimit({}, 's', 'eastus', 'LoadBalancers', -1), RangeError);
  assert.deepEqual(parseUsageLimits(undefined), {});
});
