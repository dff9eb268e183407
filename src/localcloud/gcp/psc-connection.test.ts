import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideConnection, type ConnectionPolicy, type Consumer } from './psc-connection.js';

const consumer: Consumer = { projectId: 'cust', projectNumber: '123456789012', network: 'projects/cust/global/networks/app' };
const manual = (over: Partial<ConnectionPolicy> = {}): ConnectionPolicy => ({
  connectionPreference: 'ACCEPT_MANUAL',
  acceptList: [],
  rejectList: [],
  reconcileConnections: false,
  ...over,
});

describe('PSC connection decision table', () => {
  test('attachment deleted → CLOSED, whatever the status', () => {
    for (const current of [undefined, 'PENDING', 'ACCEPTED', 'REJECTED'] as const) assert.equal(decideConnection(undefined, consumer, current, 0), 'CLOSED');
  });
  test('CLOSED stays CLOSED', () => {
    assert.equal(decideConnection(manual({ connectionPreference: 'ACCEPT_AUTOMATIC' }), consumer, 'CLOSED', 0), 'CLOSED');
  });
  test('ACCEPTED and REJECTED stay put without reconcileConnections', () => {
    assert.equal(decideConnection(manual({ rejectList: ['cust'] }), consumer, 'ACCEPTED', 0), 'ACCEPTED');
    assert.equal(decideConnection(manual({ acceptList: [{ projectIdOrNum: 'cust', connectionLimit: 0 }] }), consumer, 'REJECTED', 0), 'REJECTED');
  });
  test('on the reject list (by id, number or network) → REJECTED, also over the accept list, and with reconcile for an accepted one', () => {
    assert.equal(decideConnection(manual({ rejectList: ['cust'] }), consumer, undefined, 0), 'REJECTED');
    assert.equal(decideConnection(manual({ rejectList: ['123456789012'], acceptList: [{ projectIdOrNum: 'cust', connectionLimit: 5 }] }), consumer, 'PENDING', 0), 'REJECTED');
    assert.equal(decideConnection(manual({ rejectList: [consumer.network], reconcileConnections: true }), consumer, 'ACCEPTED', 0), 'REJECTED');
  });
  test('ACCEPT_AUTOMATIC → ACCEPTED', () => {
    assert.equal(decideConnection(manual({ connectionPreference: 'ACCEPT_AUTOMATIC' }), consumer, undefined, 0), 'ACCEPTED');
  });
  test('ACCEPT_MANUAL on the accept list under the limit → ACCEPTED (0 = no limit)', () => {
    assert.equal(decideConnection(manual({ acceptList: [{ projectIdOrNum: '123456789012', connectionLimit: 2 }] }), consumer, 'PENDING', 1), 'ACCEPTED');
    assert.equal(decideConnection(manual({ acceptList: [{ networkUrl: consumer.network, connectionLimit: 0 }] }), consumer, undefined, 99), 'ACCEPTED');
  });
  test('ACCEPT_MANUAL on the accept list with the limit reached → PENDING', () => {
    assert.equal(decideConnection(manual({ acceptList: [{ projectIdOrNum: 'cust', connectionLimit: 1 }] }), consumer, undefined, 1), 'PENDING');
  });
  test('ACCEPT_MANUAL not on the accept list → PENDING', () => {
    assert.equal(decideConnection(manual({ acceptList: [{ projectIdOrNum: 'other', connectionLimit: 1 }] }), consumer, undefined, 0), 'PENDING');
  });
  test('with reconcileConnections an ACCEPTED endpoint taken off the accept list goes back to PENDING', () => {
    assert.equal(decideConnection(manual({ reconcileConnections: true }), consumer, 'ACCEPTED', 0), 'PENDING');
  });
});
