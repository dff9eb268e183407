import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ObservedEndpointService } from './endpoint-service.js';
import type { ObservedConnection, ProviderWording } from './interface-endpoint.js';
import { checkEndpointRegistration, decideServerlessEndpoint, parseServerlessEndpointUpdate, type ServerlessEndpointRecord } from './serverless-endpoint.js';
import { ApiError } from './errors.js';

const base: ServerlessEndpointRecord = {
  id: '6a793f68c0eb9e7a17715835',
  projectId: '6a793f63c0eb9e7a177153f5',
  instanceId: '6a793f63c0eb9e7a177153f6',
  provider: 'AWS',
  regionName: 'US_EAST_1',
  status: 'RESERVATION_REQUESTED',
  comment: null,
  errorMessage: null,
  endpointServiceName: null,
  serviceDetail: { cloud: 'AWS' },
  cloudProviderEndpointId: null,
  privateEndpointIpAddress: null,
  initiatedAt: null,
  peIndex: 0,
  deleteRequested: false,
  providerRef: {},
  createdAt: new Date(0),
  updatedAt: new Date(0),
};
const name = 'com.amazonaws.vpce.us-east-1.vpce-svc-0667f4ca6f4a2bbc8';
const vpce = 'vpce-0123456789abcdef0';
const ready: ObservedEndpointService = { state: 'ready', serviceName: name, availabilityZones: ['us-east-1a'], listenersInSync: true };
const wording: ProviderWording = { cloud: 'AWS', endpointNoun: 'VPC endpoint', howToCreate: () => 'Create one.' };
const context = { notFoundGraceMs: 1000, now: new Date(10_000), wording };
const registered: ServerlessEndpointRecord = { ...base, status: 'INITIATING', endpointServiceName: name, cloudProviderEndpointId: vpce, initiatedAt: new Date(9_500) };

// The decision table of domain/serverless-endpoint.ts, row by row:
// [record, service observed, connection observed, → status, service action, connection action, settled]
const table: Array<[ServerlessEndpointRecord, ObservedEndpointService, ObservedConnection | undefined, string, string, string, boolean]> = [
  [base, { state: 'absent' }, undefined, 'RESERVATION_REQUESTED', 'create', 'none', false],
  [base, { state: 'provisioning' }, undefined, 'RESERVATION_REQUESTED', 'create', 'none', false],
  [base, { state: 'deleting' }, undefined, 'RESERVATION_REQUESTED', 'none', 'none', false],
  [base, { state: 'failed', message: 'boom' }, undefined, 'FAILED', 'none', 'none', true],
  [base, ready, undefined, 'RESERVED', 'none', 'none', true],
  [base, { ...ready, listenersInSync: false }, undefined, 'RESERVED', 'syncListeners', 'none', true],
  [registered, ready, { state: 'pendingAcceptance' }, 'INITIATING', 'none', 'accept', false],
  [registered, ready, { state: 'pending' }, 'INITIATING', 'none', 'none', false],
  [registered, ready, { state: 'available' }, 'AVAILABLE', 'none', 'none', true],
  [registered, ready, { state: 'absent' }, 'INITIATING', 'none', 'none', false],
  [{ ...registered, initiatedAt: new Date(0) }, ready, { state: 'absent' }, 'FAILED', 'none', 'none', true],
  [registered, ready, { state: 'otherService', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-11111111111111111' }, 'FAILED', 'none', 'none', true],
  [registered, ready, { state: 'rejected' }, 'FAILED', 'none', 'none', true],
  [{ ...registered, status: 'FAILED', errorMessage: 'not found' }, ready, { state: 'pendingAcceptance' }, 'FAILED', 'none', 'none', true],
  [{ ...base, deleteRequested: true }, { state: 'absent' }, undefined, 'DELETING', 'forget', 'none', true],
  [{ ...base, deleteRequested: true }, ready, undefined, 'DELETING', 'delete', 'none', false],
  [{ ...registered, deleteRequested: true }, ready, { state: 'available' }, 'DELETING', 'delete', 'reject', false],
  [{ ...registered, deleteRequested: true }, ready, { state: 'rejected' }, 'DELETING', 'delete', 'none', false],
];

for (const [record, service, connection, status, serviceAction, connectionAction, settled] of table) {
  test(`${record.deleteRequested ? 'delete requested' : record.status}, service ${service.state}, connection ${connection?.state ?? '—'} → ${status} / ${serviceAction} / ${connectionAction}`, () => {
    const decision = decideServerlessEndpoint(record, service, connection, context);
    assert.deepEqual([decision.status, decision.serviceAction, decision.connectionAction, decision.settled], [status, serviceAction, connectionAction, settled]);
    if (status === 'RESERVED' || status === 'AVAILABLE') assert.equal(decision.endpointServiceName, name);
    if (status === 'FAILED') assert.ok(decision.errorMessage, 'a FAILED endpoint says why');
  });
}

test('PATCH rules: providerName required; only once RESERVED; the same id again is no change; another id is refused', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof ApiError ? error.catalogueName : String(error);
    }
    return 'none';
  };
  assert.equal(
    code(() => parseServerlessEndpointUpdate({ cloudProviderEndpointId: vpce }, 'AWS')),
    'MISSING_ATTRIBUTE',
  );
  const update = parseServerlessEndpointUpdate({ cloudProviderEndpointId: vpce, providerName: 'AWS' }, 'AWS');
  assert.equal(
    code(() => checkEndpointRegistration(base, update)),
    'TENANT_PRIVATE_ENDPOINT_PROVIDER_UPDATE_INVALID',
  );
  assert.equal(checkEndpointRegistration({ ...base, status: 'RESERVED' }, update), true);
  assert.equal(checkEndpointRegistration(registered, update), false);
  const other = parseServerlessEndpointUpdate({ cloudProviderEndpointId: 'vpce-0123456789abcdef1', providerName: 'AWS' }, 'AWS');
  assert.equal(
    code(() => checkEndpointRegistration(registered, other)),
    'TENANT_PRIVATE_ENDPOINT_ALREADY_REGISTERED',
  );
});
