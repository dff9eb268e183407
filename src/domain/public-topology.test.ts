import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClusterSpec } from './cluster.js';
import { replicaSetName } from './private-endpoint-topology.js';
import { publicGatewayAddresses, publicRegionKey, publicTopology } from './public-topology.js';

const spec = (regions: Array<[string, number]>) =>
  parseClusterSpec({
    name: 'Cluster0',
    replicationSpecs: [
      { regionConfigs: regions.map(([regionName, nodeCount], i) => ({ providerName: 'AWS', regionName, priority: 7 - i, electableSpecs: { instanceSize: 'M10', nodeCount } })) },
    ],
  });
const clusterId = '6a793f68c0eb9e7a17715835';
const projectId = '6a0000000000000000000001';
const ports = new Map([
  ['node-0', 1024],
  ['node-1', 1025],
  ['node-2', 1026],
]);

test("a replica set's public names, strings and records are Atlas's, with the node ports", () => {
  const topology = publicTopology({ projectId, clusterId, spec: spec([['US_EAST_1', 3]]), hostSuffix: 'ab123', domain: 'privlink.test', ports })!;
  assert.equal(topology.type, 'MONGOD');
  assert.equal(topology.srvName, 'cluster0.ab123.privlink.test');
  assert.equal(topology.standardSrv, 'mongodb+srv://cluster0.ab123.privlink.test');
  assert.equal(topology.txt, `authSource=admin&replicaSet=${replicaSetName(clusterId)}`);
  assert.equal(
    topology.standard,
    `mongodb://cluster0-shard-00-00.ab123.privlink.test:1024,cluster0-shard-00-01.ab123.privlink.test:1025,cluster0-shard-00-02.ab123.privlink.test:1026/?ssl=true&${topology.txt}`,
  );
  assert.deepEqual(
    topology.hosts.map((h) => [h.host, h.port, h.targetName, h.regionName]),
    [
      ['cluster0-shard-00-00.ab123.privlink.test', 1024, 'node-0', 'US_EAST_1'],
      ['cluster0-shard-00-01.ab123.privlink.test', 1025, 'node-1', 'US_EAST_1'],
      ['cluster0-shard-00-02.ab123.privlink.test', 1026, 'node-2', 'US_EAST_1'],
    ],
  );
});

test('no public path without allocated ports', () => {
  assert.equal(publicTopology({ projectId, clusterId, spec: spec([['US_EAST_1', 3]]), hostSuffix: 'ab123', domain: 'privlink.test', ports: new Map() }), undefined);
});

test('public gateway addresses: one per project region, in the loopback base block, stable when projects are added', () => {
  const a = { projectId: '6a0000000000000000000001', provider: 'AWS', regionName: 'US_EAST_1' };
  const b = { projectId: '6a0000000000000000000001', provider: 'AWS', regionName: 'EU_WEST_1' };
  const c = { projectId: '6a0000000000000000000002', provider: 'AWS', regionName: 'US_EAST_1' };
  const first = publicGatewayAddresses([a, b, a], 100);
  assert.equal(first.size, 2);
  for (const address of first.values()) assert.match(address, /^127\.100\.\d+\.\d+$/);
  assert.notEqual(first.get(publicRegionKey(a)), first.get(publicRegionKey(b)));
  const second = publicGatewayAddresses([c, b, a], 100);
  assert.equal(second.get(publicRegionKey(a)), first.get(publicRegionKey(a)));
  assert.equal(second.get(publicRegionKey(b)), first.get(publicRegionKey(b)));
  assert.equal(new Set(second.values()).size, 3);
});
