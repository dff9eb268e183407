import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ComputeError } from './compute-error.js';
import { normalizeLink, parsePath, regionOfScope, renderLinks } from './links.js';

const SUBNET = { collection: 'subnetworks', scope: 'regions/us-central1' };

describe('Compute links', () => {
  test('a full URL of any host, a projects/ path, a scope path and a bare name all name the same subnetwork', () => {
    const expected = { project: 'p', scope: 'regions/us-central1', collection: 'subnetworks', name: 's' };
    for (const link of [
      'https://www.googleapis.com/compute/v1/projects/p/regions/us-central1/subnetworks/s',
      'http://127.0.0.1:4568/compute/v1/projects/p/regions/us-central1/subnetworks/s',
      'projects/p/regions/us-central1/subnetworks/s',
      'regions/us-central1/subnetworks/s',
      's',
    ]) {
      assert.deepEqual(normalizeLink(link, 'resource.subnetwork', 'p', SUBNET), expected, link);
    }
  });

  test('a link of another collection or a malformed one is 400 invalid naming the field', () => {
    for (const link of ['global/networks/n', 'projects/p/regions/us-central1/subnetworks', 'Not_A_Name', 42]) {
      assert.throws(
        () => normalizeLink(link, 'resource.subnetwork', 'p', SUBNET),
        (e: unknown) => e instanceof ComputeError && e.status === 400 && e.reason === 'invalid' && e.message.includes("'resource.subnetwork'"),
      );
    }
  });

  test('rendering turns stored paths into URLs of the emulator and leaves names and descriptions alone', () => {
    const rendered = renderLinks('http://h:1', {
      name: 'projects/p/global/networks/n',
      description: 'projects/p/global/networks/n',
      network: 'projects/p/global/networks/n',
      region: 'projects/p/regions/r',
      natSubnets: ['projects/p/regions/r/subnetworks/s'],
      connectedEndpoints: [{ endpoint: 'projects/c/regions/r/forwardingRules/f', status: 'ACCEPTED' }],
      IPAddress: '10.0.0.2',
    });
    assert.deepEqual(rendered, {
      name: 'projects/p/global/networks/n',
      description: 'projects/p/global/networks/n',
      network: 'http://h:1/compute/v1/projects/p/global/networks/n',
      region: 'http://h:1/compute/v1/projects/p/regions/r',
      natSubnets: ['http://h:1/compute/v1/projects/p/regions/r/subnetworks/s'],
      connectedEndpoints: [{ endpoint: 'http://h:1/compute/v1/projects/c/regions/r/forwardingRules/f', status: 'ACCEPTED' }],
      IPAddress: '10.0.0.2',
    });
  });

  test('paths and scopes', () => {
    assert.deepEqual(parsePath('projects/p/zones/us-east1-b/networkEndpointGroups/g'), { project: 'p', scope: 'zones/us-east1-b', collection: 'networkEndpointGroups', name: 'g' });
    assert.equal(parsePath('projects/p/regions/r'), undefined);
    assert.equal(regionOfScope('zones/us-east1-b'), 'us-east1');
    assert.equal(regionOfScope('regions/europe-west1'), 'europe-west1');
    assert.equal(regionOfScope('global'), undefined);
  });
});
