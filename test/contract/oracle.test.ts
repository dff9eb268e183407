import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contractErrors } from '../support/atlas-contract.js';

// The contract oracle must accept what real Atlas sent (recorded exchanges)
// and reject bodies that break the spec; otherwise the contract tests prove nothing.
const SERVICE = '/api/atlas/v2/groups/{groupId}/privateEndpoint/endpointService';
const ONE = '/api/atlas/v2/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}';
const recordedCreate = {
  cloudProvider: 'AWS',
  endpointServiceName: null,
  errorMessage: null,
  id: '6a793f68c0eb9e7a17715835',
  interfaceEndpoints: [],
  regionName: 'EU_WEST_1',
  status: 'INITIATING',
  supportedRemoteRegions: null,
};

test('recorded Atlas bodies validate (create 201, get 200, delete 202 {})', () => {
  assert.deepEqual(contractErrors('POST', SERVICE, 201, recordedCreate), []);
  const available = {
    ...recordedCreate,
    endpointServiceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0667f4ca6f4a2bbc8',
    status: 'AVAILABLE',
    interfaceEndpoints: ['vpce-00713b5e644e830a3'],
  };
  assert.deepEqual(contractErrors('GET', ONE, 200, available), []);
  assert.deepEqual(contractErrors('DELETE', ONE, 202, {}), []);
  assert.deepEqual(contractErrors('GET', ONE, 404, { detail: 'x', error: 404, errorCode: 'RESOURCE_NOT_FOUND', parameters: [], reason: 'Not Found' }), []);
});

test('bodies that break the spec are caught', () => {
  assert.notDeepEqual(contractErrors('POST', SERVICE, 201, { ...recordedCreate, status: 'READY' }), []);
  assert.notDeepEqual(contractErrors('POST', SERVICE, 201, { ...recordedCreate, id: 'not-an-id' }), []);
  assert.notDeepEqual(contractErrors('GET', ONE, 200, { ...recordedCreate, endpointServiceName: 'vpce-svc-123' }), []);
  assert.notDeepEqual(contractErrors('GET', ONE, 200, { ...recordedCreate, interfaceEndpoints: undefined }), []);
  assert.notDeepEqual(contractErrors('GET', ONE, 404, { detail: 'x', errorCode: 'RESOURCE_NOT_FOUND' }), []);
});
