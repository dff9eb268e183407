import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiResourceName, parseComputeRoute } from './compute-routes.js';

describe('Compute routes', () => {
  test('collections, resources, verbs and operations parse', () => {
    assert.deepEqual(parseComputeRoute('/compute/v1/projects/p/global/networks'), { kind: 'collection', project: 'p', scope: 'global', collection: 'networks' });
    assert.deepEqual(parseComputeRoute('/compute/v1/projects/p/regions/us-central1/forwardingRules/fr'), {
      kind: 'collection',
      project: 'p',
      scope: 'regions/us-central1',
      collection: 'forwardingRules',
      name: 'fr',
    });
    assert.deepEqual(parseComputeRoute('/compute/v1/projects/p/zones/us-central1-a/networkEndpointGroups/g/attachNetworkEndpoints'), {
      kind: 'collection',
      project: 'p',
      scope: 'zones/us-central1-a',
      collection: 'networkEndpointGroups',
      name: 'g',
      verb: 'attachNetworkEndpoints',
    });
    assert.equal(parseComputeRoute('/compute/v1/projects/p/regions/r/operations/operation-1-a-b-c/wait').kind, 'collection');
  });

  test('other paths are unknown', () => {
    for (const path of ['/', '/compute/v1/projects/p', '/compute/beta/projects/p/global/networks', '/compute/v1/projects/p/locations/x/networks'])
      assert.equal(parseComputeRoute(path).kind, 'unknown', path);
  });

  test('method-id resource names follow Compute (regional backend services, endpoint groups and operations have their own)', () => {
    assert.equal(apiResourceName('regions/r', 'backendServices'), 'regionBackendServices');
    assert.equal(apiResourceName('regions/r', 'operations'), 'regionOperations');
    assert.equal(apiResourceName('global', 'operations'), 'globalOperations');
    assert.equal(apiResourceName('zones/z', 'operations'), 'zoneOperations');
    assert.equal(apiResourceName('regions/r', 'forwardingRules'), 'forwardingRules');
    assert.equal(apiResourceName('regions/r', 'networkEndpointGroups'), 'regionNetworkEndpointGroups');
    assert.equal(apiResourceName('zones/z', 'networkEndpointGroups'), 'networkEndpointGroups');
  });
});
