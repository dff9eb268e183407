import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AWS_ENDPOINT_ID,
  azureConnectionName,
  decideInterfaceEndpoint,
  gcpGroupStatus,
  publishedConnectionStatus,
  type InterfaceEndpoint,
  type ObservedConnection,
} from './interface-endpoint.js';

const created = new Date('2026-11-23T10:00:00Z');
const base: InterfaceEndpoint = {
  endpointServiceId: '6a793f68c0eb9e7a17715835',
  projectId: '6a793f63c0eb9e7a177153f5',
  provider: 'AWS',
  endpointId: 'vpce-00713b5e644e830a3',
  status: 'PENDING_ACCEPTANCE',
  errorMessage: null,
  deleteRequested: false,
  createdAt: created,
  detail: { cloud: 'AWS' },
};
const wording = { cloud: 'AWS', endpointNoun: 'VPC endpoint', howToCreate: (name: string) => `Create it with aws ec2 create-vpc-endpoint --service-name ${name}.` };
const serviceName = 'com.amazonaws.vpce.us-east-1.vpce-svc-0705499aae25ac77c';
const later = (ms: number) => new Date(created.getTime() + ms);

const table: Array<[boolean, ObservedConnection, number, string, string]> = [
  [false, { state: 'serviceNotReady' }, 0, 'PENDING_ACCEPTANCE', 'none'],
  [false, { state: 'absent' }, 1000, 'PENDING_ACCEPTANCE', 'none'],
  [false, { state: 'absent' }, 10_000, 'REJECTED', 'none'],
  [false, { state: 'otherService', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-11111111111111111' }, 0, 'REJECTED', 'none'],
  [false, { state: 'pendingAcceptance' }, 0, 'PENDING_ACCEPTANCE', 'accept'],
  [false, { state: 'pending' }, 0, 'PENDING', 'none'],
  [false, { state: 'available' }, 0, 'AVAILABLE', 'none'],
  [false, { state: 'rejected' }, 0, 'REJECTED', 'none'],
  [false, { state: 'deleted' }, 0, 'REJECTED', 'none'],
  [true, { state: 'available' }, 0, 'DELETING', 'reject'],
  [true, { state: 'pending' }, 0, 'DELETING', 'reject'],
  [true, { state: 'pendingAcceptance' }, 0, 'DELETING', 'reject'],
  [true, { state: 'rejected' }, 0, 'DELETING', 'forget'],
  [true, { state: 'absent' }, 0, 'DELETING', 'forget'],
];

for (const [deleteRequested, observed, age, status, action] of table) {
  test(`interface endpoint: deleteRequested=${deleteRequested}, observed ${observed.state} at +${age} ms → ${status}/${action}`, () => {
    const decision = decideInterfaceEndpoint({ ...base, deleteRequested }, observed, { serviceName, notFoundGraceMs: 5000, now: later(age), wording });
    assert.equal(decision.status, status);
    assert.equal(decision.action, action);
  });
}

test('interface endpoint: once privlink rejected it (accept refused), a pending connection is not accepted again', () => {
  const rejected = { ...base, status: 'REJECTED' as const, errorMessage: 'Failed to accept interface endpoint due to …' };
  const decision = decideInterfaceEndpoint(rejected, { state: 'pendingAcceptance' }, { serviceName, notFoundGraceMs: 0, now: later(1), wording });
  assert.deepEqual(decision, { status: 'REJECTED', errorMessage: rejected.errorMessage, action: 'none', settled: true });
});

test('interface endpoint: a rejection says why (not found, other service, AWS state)', () => {
  const context = { serviceName, notFoundGraceMs: 0, now: later(1), wording };
  const notFound = decideInterfaceEndpoint(base, { state: 'absent' }, context);
  assert.match(notFound.errorMessage!, /vpce-00713b5e644e830a3 was not found/);
  assert.match(notFound.errorMessage!, new RegExp(serviceName.replace(/\./g, '\\.')));
  const other = decideInterfaceEndpoint(base, { state: 'otherService', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-22222222222222222' }, context);
  assert.match(other.errorMessage!, /connected to com\.amazonaws\.vpce\.us-east-1\.vpce-svc-22222222222222222, not to/);
  assert.match(decideInterfaceEndpoint(base, { state: 'rejected' }, context).errorMessage!, /is rejected in AWS/);
  assert.equal(decideInterfaceEndpoint(base, { state: 'available' }, context).errorMessage, null);
});

test('AWS endpoint ids are vpce- plus 17 lower-case hex (22 characters)', () => {
  assert.ok(AWS_ENDPOINT_ID.test('vpce-00713b5e644e830a3'));
  assert.equal('vpce-00713b5e644e830a3'.length, 22);
  for (const bad of ['vpce-00713b5e644e830a', 'vpce-00713B5e644e830a3', 'vpc-00713b5e644e830a3', 'vpce-00713b5e644e830a33', ' vpce-00713b5e644e830a3']) {
    assert.ok(!AWS_ENDPOINT_ID.test(bad), bad);
  }
});

test('interface endpoint: every rejection tells the user to delete the registration before registering again', () => {
  const context = { serviceName, notFoundGraceMs: 0, now: later(1), wording };
  const observations = [
    { state: 'absent' },
    { state: 'otherService', serviceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-22222222222222222' },
    { state: 'rejected' },
    { state: 'deleted' },
  ] as const;
  for (const observed of observations) {
    const decision = decideInterfaceEndpoint(base, observed, context);
    assert.equal(decision.status, 'REJECTED');
    assert.match(decision.errorMessage!, /Delete this registration, (then|create)/, observed.state);
  }
});

const azure: InterfaceEndpoint = {
  ...base,
  provider: 'AZURE',
  endpointId: '/subscriptions/4e133d35-e734-4380-a565-c0945535da37/resourceGroups/customer/providers/Microsoft.Network/privateEndpoints/pe1',
  detail: { cloud: 'AZURE', privateEndpointIPAddress: '10.0.1.4', privateEndpointConnectionName: null },
};
const azureWording = { cloud: 'Azure', endpointNoun: 'private endpoint', howToCreate: () => 'Create it in Azure.' };

test('interface endpoint (Azure): a pending connection is accepted; messages use Azure words', () => {
  assert.equal(
    decideInterfaceEndpoint(
      azure,
      { state: 'pendingAcceptance', connectionName: 'pe1.6a794010-c0eb-9e7a-1771-9674aaaaaaaa' },
      { serviceName: 'pls_x', notFoundGraceMs: 5000, now: later(0), wording: azureWording },
    ).action,
    'accept',
  );
  const gone = decideInterfaceEndpoint(azure, { state: 'rejected' }, { serviceName: 'pls_x', notFoundGraceMs: 5000, now: later(0), wording: azureWording });
  assert.match(gone.errorMessage ?? '', /is rejected in Azure\. Delete this registration, create a new private endpoint/);
});

test('published connection status: AWS words as stored; Azure and GCP show INITIATING/AVAILABLE/FAILED/DELETING', () => {
  assert.equal(publishedConnectionStatus('AWS', 'PENDING_ACCEPTANCE'), 'PENDING_ACCEPTANCE');
  assert.equal(publishedConnectionStatus('AZURE', 'PENDING_ACCEPTANCE'), 'INITIATING');
  assert.equal(publishedConnectionStatus('AZURE', 'PENDING'), 'INITIATING');
  assert.equal(publishedConnectionStatus('AZURE', 'REJECTED'), 'FAILED');
  assert.equal(publishedConnectionStatus('GCP', 'AVAILABLE'), 'AVAILABLE');
  assert.equal(publishedConnectionStatus('AZURE', 'DELETING'), 'DELETING');
});

test("Azure: Atlas's connection name is generated from the resource id (subscription%2Fgroup%2Fname)", () => {
  assert.equal(azureConnectionName(azure.endpointId), '4e133d35-e734-4380-a565-c0945535da37%2Fcustomer%2Fpe1');
  assert.equal(azureConnectionName('vpce-00713b5e644e830a3'), undefined);
});

test('an endpoint that does not match the service (GCP: rule on the wrong attachment) is REJECTED with the reason', () => {
  const current: InterfaceEndpoint = {
    endpointServiceId: 'svc',
    projectId: 'p',
    provider: 'GCP',
    endpointId: 'group-1',
    status: 'PENDING_ACCEPTANCE',
    errorMessage: null,
    deleteRequested: false,
    createdAt: new Date(0),
    detail: { cloud: 'GCP', gcpProjectId: 'customer-project', endpoints: [], portMappingEnabled: false },
  };
  const observed: ObservedConnection = { state: 'invalid', message: 'forwarding rule e-0 targets service attachment sa-1.' };
  const decision = decideInterfaceEndpoint(current, observed, {
    serviceName: 'sa-0',
    notFoundGraceMs: 1000,
    now: new Date(5000),
    wording: { cloud: 'GCP', endpointNoun: 'Private Service Connect endpoint', howToCreate: () => '' },
  });
  assert.equal(decision.status, 'REJECTED');
  assert.equal(decision.action, 'none');
  assert.match(decision.errorMessage!, /does not match sa-0: forwarding rule e-0 targets service attachment sa-1\. Delete this registration/);
  assert.equal(gcpGroupStatus('PENDING'), 'VERIFIED');
  assert.equal(gcpGroupStatus('REJECTED'), 'FAILED');
});
