import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataPlaneCounters } from './data-plane-counters.js';

test('counters drain as deltas, with DNS types and rcodes named and unknown ones bounded to OTHER', () => {
  const counters = new DataPlaneCounters();
  assert.equal(counters.drain(), null, 'nothing happened: nothing to ship');
  counters.connection();
  counters.connection();
  counters.refusal();
  counters.shed();
  counters.shed();
  counters.shed();
  counters.closed(10, 200);
  counters.dnsQuery('A', 0);
  counters.dnsQuery('A', 0);
  counters.dnsQuery('SRV', 3);
  counters.dnsQuery('TYPE65280', 99);
  assert.deepEqual(counters.drain(), {
    gatewayConnections: 2,
    gatewayRefused: 1,
    dataPlaneShed: 3,
    gatewayBytesIn: 10,
    gatewayBytesOut: 200,
    dnsQueries: { 'A/NOERROR': 2, 'SRV/NXDOMAIN': 1, 'OTHER/OTHER': 1 },
  });
  assert.equal(counters.drain(), null, 'reset after a drain');
  counters.shed();
  assert.equal(counters.drain()?.dataPlaneShed, 1, 'a refusal alone is shipped');
});
