import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideEndpointService, type EndpointService, type ObservedEndpointService } from './endpoint-service.js';

const base: EndpointService = {
  id: '6a793f68c0eb9e7a17715835',
  projectId: '6a793f63c0eb9e7a177153f5',
  provider: 'AWS',
  regionName: 'US_EAST_1',
  status: 'INITIATING',
  errorMessage: null,
  endpointServiceName: null,
  deleteRequested: false,
  createdAt: new Date(0),
  detail: { cloud: 'AWS' },
};
const name = 'com.amazonaws.vpce.us-east-1.vpce-svc-0667f4ca6f4a2bbc8';

// The decision table of domain/endpoint-service.ts, row by row.
const table: Array<[boolean, ObservedEndpointService, string, string, boolean]> = [
  [false, { state: 'absent' }, 'INITIATING', 'create', false],
  [false, { state: 'provisioning' }, 'INITIATING', 'create', false],
  [false, { state: 'ready', serviceName: name, availabilityZones: ['us-east-1a'], listenersInSync: true }, 'AVAILABLE', 'none', true],
  [false, { state: 'ready', serviceName: name, availabilityZones: ['us-east-1a'], listenersInSync: false }, 'AVAILABLE', 'syncListeners', true],
  [false, { state: 'failed', message: 'boom' }, 'FAILED', 'none', true],
  [false, { state: 'deleting' }, 'INITIATING', 'none', false],
  [true, { state: 'absent' }, 'DELETING', 'forget', true],
  [true, { state: 'provisioning' }, 'DELETING', 'delete', false],
  [true, { state: 'ready', serviceName: name, availabilityZones: [], listenersInSync: true }, 'DELETING', 'delete', false],
  [true, { state: 'deleting' }, 'DELETING', 'delete', false],
  [true, { state: 'failed', message: 'x' }, 'DELETING', 'delete', false],
];

for (const [deleteRequested, observed, status, action, settled] of table) {
  test(`endpoint service: deleteRequested=${deleteRequested}, observed ${observed.state}${'listenersInSync' in observed ? ` (listeners in sync: ${observed.listenersInSync})` : ''} → ${status}/${action}`, () => {
    const decision = decideEndpointService({ ...base, deleteRequested }, observed);
    assert.equal(decision.status, status);
    assert.equal(decision.action, action);
    assert.equal(decision.settled, settled);
  });
}

test('endpoint service: ready publishes the provider service name; failed publishes its message', () => {
  assert.equal(decideEndpointService(base, { state: 'ready', serviceName: name, availabilityZones: [], listenersInSync: true }).endpointServiceName, name);
  const failed = decideEndpointService(base, { state: 'failed', message: 'AWS said no' });
  assert.equal(failed.errorMessage, 'AWS said no');
  assert.equal(decideEndpointService(base, { state: 'absent' }).endpointServiceName, null);
});
