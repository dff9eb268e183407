import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppRecord } from './appservices-app.js';
import { privateEndpointRefusal } from './appservices-app.js';
import { decideAppEndpoint, isVpcEndpointId, type AppEndpointRecord } from './appservices-endpoint.js';
import { parseAccessEntry } from './appservices-access-list.js';
import { decideAppTraffic } from './appservices-traffic.js';
import type { ApiError } from './errors.js';
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
  const anyone = [{ address: '0.0.0.0/0' }];
  const outside = { clientAddress: '203.0.113.9' };
  test('unknown app → 404', () => assert.deepEqual(decideAppTraffic(undefined, [], anyone, {}, 'general'), { serve: false, status: 404, reason: 'app not found' }));
  test('through an AVAILABLE endpoint of the right type → served', () => {
    assert.deepEqual(decideAppTraffic(app(), [live], anyone, { endpointId: live.cloudProviderEndpointId }, 'general'), {
      serve: true,
      deploymentModel: 'LOCAL',
      location: 'US-VA',
      providerRegion: 'aws-us-east-1',
      viaEndpoint: true,
    });
  });
  test('through the wrong type, a rejected endpoint or from outside → 404 while restricted', () => {
    assert.equal(decideAppTraffic(app(), [live], anyone, { endpointId: live.cloudProviderEndpointId }, 'sync').serve, false);
    assert.equal(decideAppTraffic(app(), [endpoint({ status: 'REJECTED' })], anyone, { endpointId: live.cloudProviderEndpointId }, 'general').serve, false);
    assert.deepEqual(decideAppTraffic(app(), [live], anyone, outside, 'general'), {
      serve: false,
      status: 404,
      reason: "requests from outside the app's private endpoints are not allowed",
    });
    assert.equal(decideAppTraffic(app(), [live], anyone, { endpointId: 'vpce-other' }, 'general').serve, false);
  });
  test('the toggle on → served from outside', () => assert.equal(decideAppTraffic(app({ allowNonVpcClientRequests: true }), [live], anyone, outside, 'general').serve, true));
  test('no private endpoints (or only invalidated ones) → served from anywhere the access list admits', () => {
    assert.equal(decideAppTraffic(app(), [], anyone, outside, 'general').serve, true);
    assert.equal(decideAppTraffic(app(), [endpoint({ status: 'INVALIDATED' })], anyone, outside, 'general').serve, true);
  });
});

describe('decideAppTraffic: the IP access list', () => {
  const live = endpoint({ status: 'AVAILABLE' });
  const office = [{ address: '198.51.100.0/24' }, { address: '192.0.2.7' }];
  const open = app({ allowNonVpcClientRequests: true });
  test('inside an AVAILABLE endpoint of the app the list is ignored (even an empty one)', () => {
    for (const list of [office, []]) {
      const answer = decideAppTraffic(app(), [live], list, { endpointId: live.cloudProviderEndpointId, clientAddress: '203.0.113.9' }, 'general');
      assert.equal(answer.serve, true);
    }
  });
  test('outside, unrestricted: a client inside an entry (address or block, IPv4-mapped too) → served', () => {
    for (const clientAddress of ['198.51.100.1', '198.51.100.254', '192.0.2.7', '::ffff:192.0.2.7']) {
      assert.equal(decideAppTraffic(open, [live], office, { clientAddress }, 'general').serve, true, clientAddress);
      assert.equal(decideAppTraffic(app(), [], office, { clientAddress }, 'sync').serve, true, clientAddress);
    }
  });
  test('outside, unrestricted: any other client → 403 naming its address', () => {
    for (const clientAddress of ['198.51.101.1', '192.0.2.8', '2001:db8::1']) {
      const answer = decideAppTraffic(open, [live], office, { clientAddress }, 'general');
      assert.deepEqual(answer, { serve: false, status: 403, reason: `IP address ${clientAddress} is not in the app's IP access list` });
    }
    assert.equal(decideAppTraffic(open, [live], office, {}, 'general').serve, false, 'no known address: not admitted');
  });
  test('another app\'s endpoint is "outside": the list decides for an unrestricted app', () => {
    assert.equal(decideAppTraffic(open, [live], office, { endpointId: 'vpce-other', clientAddress: '10.0.0.5' }, 'general').serve, false);
    assert.equal(decideAppTraffic(open, [live], [{ address: '10.0.0.0/8' }], { endpointId: 'vpce-other', clientAddress: '10.0.0.5' }, 'general').serve, true);
  });
  test('0.0.0.0/0 admits everybody, IPv6 clients too; an empty list admits nobody', () => {
    for (const clientAddress of ['203.0.113.9', '2001:db8::1', '127.0.0.1']) {
      assert.equal(decideAppTraffic(open, [], [{ address: '0.0.0.0/0' }], { clientAddress }, 'general').serve, true, clientAddress);
      assert.equal(decideAppTraffic(open, [], [], { clientAddress }, 'general').serve, false, clientAddress);
    }
  });
  test('restricted wins over the list: outside a restricted app is 404 even for an admitted client', () => {
    const answer = decideAppTraffic(app(), [live], office, { clientAddress: '192.0.2.7' }, 'general');
    assert.equal(answer.serve === false && answer.status, 404);
  });
});

describe('parseAccessEntry', () => {
  test('an address or CIDR block, with an optional comment', () => {
    assert.deepEqual(parseAccessEntry({ address: '192.0.2.7', comment: 'office' }, undefined), { address: '192.0.2.7', comment: 'office' });
    assert.deepEqual(parseAccessEntry({ address: ' 10.0.0.0/16 ' }, undefined), { address: '10.0.0.0/16', comment: null });
    assert.deepEqual(parseAccessEntry({ address: '2001:db8::/32' }, undefined), { address: '2001:db8::/32', comment: null });
  });
  test("use_current takes the caller's address", () => {
    assert.deepEqual(parseAccessEntry({ use_current: true }, '::ffff:198.51.100.4'), { address: '198.51.100.4', comment: null });
  });
  test('anything else → 400', () => {
    for (const body of [
      undefined,
      [],
      {},
      { address: '' },
      { address: 7 },
      { address: '300.1.1.1' },
      { address: '10.0.0.0/33' },
      { address: 'example.com' },
      { address: '1.1.1.1', comment: 5 },
    ]) {
      assert.throws(
        () => parseAccessEntry(body, undefined),
        (error: ApiError) => error.status === 400,
        JSON.stringify(body),
      );
    }
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
