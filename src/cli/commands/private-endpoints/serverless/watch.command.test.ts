import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { watchOutcome } from './watch.command.js';
import type { ServerlessEndpointStatusWire, ServerlessTenantEndpointWire } from '../../../../api/atlas/wire/serverless.wire.js';

const ID = '5f7cac1adf5d6c6306f4b283';

function endpoint(status: ServerlessEndpointStatusWire, cloudProviderEndpointId: string | null = null, errorMessage: string | null = null): ServerlessTenantEndpointWire {
  return { _id: ID, cloudProviderEndpointId, comment: null, endpointServiceName: null, errorMessage, providerName: 'AWS', status };
}

describe('privateEndpoints serverless watch: one row of the decision table each', () => {
  test('RESERVATION_REQUESTED: keep polling', () => {
    assert.deepEqual(watchOutcome(ID, endpoint('RESERVATION_REQUESTED')), { done: false });
  });
  test('RESERVED without the customer endpoint: done, it waits for you', () => {
    assert.deepEqual(watchOutcome(ID, endpoint('RESERVED')), { done: true, message: 'Private endpoint reserved.' });
  });
  test('RESERVED with the customer endpoint already sent: keep polling', () => {
    assert.deepEqual(watchOutcome(ID, endpoint('RESERVED', 'vpce-0123456789abcdef0')), { done: false });
  });
  test('INITIATING: keep polling', () => {
    assert.deepEqual(watchOutcome(ID, endpoint('INITIATING', 'vpce-0123456789abcdef0')), { done: false });
  });
  test('AVAILABLE: done', () => {
    assert.deepEqual(watchOutcome(ID, endpoint('AVAILABLE', 'vpce-0123456789abcdef0')), { done: true, message: 'Private endpoint changes completed.' });
  });
  test('FAILED: fails with the errorMessage', () => {
    assert.deepEqual(watchOutcome(ID, endpoint('FAILED', 'vpce-0123456789abcdef0', 'endpoint rejected')), {
      done: true,
      failure: `private endpoint '${ID}' is FAILED: endpoint rejected`,
    });
  });
  test('DELETING: fails, it will not become available', () => {
    assert.deepEqual(watchOutcome(ID, endpoint('DELETING')), { done: true, failure: `private endpoint '${ID}' is being deleted` });
  });
});
