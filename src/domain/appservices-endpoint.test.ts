import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppRecord } from './appservices-app.js';
import { privateEndpointRefusal } from './appservices-app.js';
import { decideAppEndpoint, isVpcEndpointId, type AppEndpointRecord } from './appservices-endpoint.js';
import { decideAppTraffic } from './appservices-traffic.js';
import type { ObservedConnection } from './interface-endpoint.js';

const endpoint = (changes: Partial<AppEndpointRecord> = {}): AppEndpointRecord => ({
  id: 'e1',
  projectId: 'p',
  appId: 'a',
  endpointType: 'general',
  cloudProviderRegion: 'aws-us-east-1',
  cloudProviderEndpointId: 'vpce-0123456789abcdef0',
  comment: null,
  status: 'PENDING',
  statusMessage: null,
  deleteRequested: false,
  createdAt: new Date(0),
  ...changes,
});

const app = (changes: Partial<AppRecord> = {}): AppRecord => ({
  id: 'a',
  projectId: 'p',
  name: 'App',
  clientAppId: 'app-abcde',
  deploymentModel: 'LOCAL',
  providerRegion: 'aws-us-east-1',
  location: 'US-VA',
  environment: null,
  product: 'standard',
  allowNonVpcClientRequests: false,
  dataSourceId: 'd',
  dataSource: { name: 'mongodb-atlas', type: 'mongodb-atlas', config: { clusterName: 'Cluster0', readPreference: 'primary', wireProtocolEnabled: false } },
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...changes,
});

const seen = (state: string): ObservedConnection => ({ state }) as ObservedConnection;

describe('decideAppEndpoint: one test per row of its table', () => {
  test('deleted and still connected → reject', () => assert.equal(decideAppEndpoint(endpoint({ deleteRequested: true }), seen('available'), 's').action, 'reject'));
  test('deleted and pending acceptance → reject', () => assert.equal(decideAppEndpoint(endpoint({ deleteRequested: true }), seen('pendingAcceptance'), 's').action, 'reject'));
  test('deleted and gone or rejected → forget', () => {
    assert.equal(decideAppEndpoint(endpoint({ deleteRequested: true }), seen('rejected'), 's').action, 'forget');
    assert.equal(decideAppEndpoint(endpoint({ deleteRequested: true }), seen('absent'), 's').action, 'forget');
  });
  test('invalidated and connected → reject, stays INVALIDATED with its message', () => {
    const decision = decideAppEndpoint(endpoint({ status: 'INVALIDATED', statusMessage: 'moved' }), seen('available'), 's');
    assert.deepEqual(decision, { status: 'INVALIDATED', statusMessage: 'moved', action: 'reject' });
  });
  test('invalidated and not connected → none', () => assert.equal(decideAppEndpoint(endpoint({ status: 'INVALIDATED' }), seen('rejected'), 's').action, 'none'));
  test('pending acceptance → PENDING, accept', () =>
    assert.deepEqual(decideAppEndpoint(endpoint(), seen('pendingAcceptance'), 's'), { status: 'PENDING', statusMessage: null, action: 'accept' }));
  test('available → AVAILABLE', () => assert.deepEqual(decideAppEndpoint(endpoint(), seen('available'), 's'), { status: 'AVAILABLE', statusMessage: null, action: 'none' }));
  test('pending or service not ready → PENDING, wait', () => {
    assert.equal(decideAppEndpoint(endpoint(), seen('pending'), 's').status, 'PENDING');
    assert.equal(decideAppEndpoint(endpoint(), seen('serviceNotReady'), 's').action, 'none');
  });
  test('absent or connected elsewhere → REJECTED naming the service', () => {
    for (const state of ['absent', 'otherService', 'rejected', 'failed']) {
      const decision = decideAppEndpoint(endpoint(), seen(state), 'com.amazonaws.vpce.us-east-1.vpce-svc-1');
      assert.equal(decision.status, 'REJECTED');
      assert.match(decision.statusMessage!, /general endpoint service com\.amazonaws\.vpce\.us-east-1\.vpce-svc-1/);
    }
  });
});

describe('decideAppTraffic', () => {
  const live = endpoint({ status: 'AVAILABLE' });
  test('unknown app → 404', () => assert.equal(decideAppTraffic(undefined, [], {}, 'general').serve, false));
  test('through an AVAILABLE endpoint of the right type → served', () => {
    assert.deepEqual(decideAppTraffic(app(), [live], { endpointId: live.cloudProviderEndpointId }, 'general'), {
      serve: true,
      deploymentModel: 'LOCAL',
      location: 'US-VA',
      providerRegion: 'aws-us-east-1',
      viaEndpoint: true,
    });
  });
  test('through the wrong type, a rejected endpoint or from outside → 404 while restricted', () => {
    assert.equal(decideAppTraffic(app(), [live], { endpointId: live.cloudProviderEndpointId }, 'sync').serve, false);
    assert.equal(decideAppTraffic(app(), [endpoint({ status: 'REJECTED' })], { endpointId: live.cloudProviderEndpointId }, 'general').serve, false);
    assert.equal(decideAppTraffic(app(), [live], {}, 'general').serve, false);
    assert.equal(decideAppTraffic(app(), [live], { endpointId: 'vpce-other' }, 'general').serve, false);
  });
  test('the toggle on → served from outside', () => assert.equal(decideAppTraffic(app({ allowNonVpcClientRequests: true }), [live], {}, 'general').serve, true));
  test('no private endpoints (or only invalidated ones) → served from anywhere', () => {
    assert.equal(decideAppTraffic(app(), [], {}, 'general').serve, true);
    assert.equal(decideAppTraffic(app(), [endpoint({ status: 'INVALIDATED' })], {}, 'general').serve, true);
  });
});

describe('limitations and ids', () => {
  test('GLOBAL, Azure and GCP apps cannot have private endpoints; LOCAL AWS apps can', () => {
    assert.equal(privateEndpointRefusal({ deploymentModel: 'GLOBAL', providerRegion: 'aws-us-east-1' }), 'APP_PRIVATE_ENDPOINT_GLOBAL');
    assert.equal(privateEndpointRefusal({ deploymentModel: 'LOCAL', providerRegion: 'azure-eastus2' }), 'APP_PRIVATE_ENDPOINT_PROVIDER');
    assert.equal(privateEndpointRefusal({ deploymentModel: 'LOCAL', providerRegion: 'gcp-us-central1' }), 'APP_PRIVATE_ENDPOINT_PROVIDER');
    assert.equal(privateEndpointRefusal({ deploymentModel: 'LOCAL', providerRegion: 'aws-us-east-1' }), undefined);
  });
  test('vpce ids: 8 or 17 hex digits', () => {
    assert.ok(isVpcEndpointId('vpce-0123456789abcdef0'));
    assert.ok(isVpcEndpointId('vpce-12345678'));
    for (const bad of ['vpce-123', 'vpc-0123456789abcdef0', 'vpce-0123456789ABCDEF0', 7]) assert.ok(!isVpcEndpointId(bad));
  });
});
