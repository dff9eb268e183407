import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicGatewayAddresses, publicRegionKey, serverlessGatewayKey } from './public-topology.js';
import { serverlessHost, serverlessPublicTopology } from './serverless-topology.js';

const input = {
  projectId: '6a0000000000000000000001',
  instanceId: '6a793f68c0eb9e7a17715835',
  instanceName: 'Serverless0',
  backingProvider: 'AWS' as const,
  regionName: 'US_EAST_1',
  hostSuffix: 'ab123',
  domain: 'privlink.test',
};

test("a serverless instance's public path: standardSrv's SRV names one load-balanced host on 27017", () => {
  const topology = serverlessPublicTopology(input);
  assert.equal(topology.type, 'MONGOS');
  assert.equal(topology.srvName, serverlessHost('Serverless0', 'ab123', 'privlink.test'));
  assert.equal(topology.standardSrv, 'mongodb+srv://serverless0.ab123.privlink.test');
  assert.equal(topology.txt, 'authSource=admin&loadBalanced=true');
  assert.deepEqual(topology.hosts, [
    {
      host: 'serverless0-lb.ab123.privlink.test',
      port: 27017,
      targetName: 'front-end',
      provider: 'AWS',
      regionName: 'US_EAST_1',
      gateway: { projectId: input.projectId, provider: 'SERVERLESS', regionName: input.instanceId },
    },
  ]);
});

test('every serverless instance has a public gateway address of its own, apart from its project region', () => {
  const region = { projectId: input.projectId, provider: 'AWS', regionName: 'US_EAST_1' };
  const a = serverlessGatewayKey(input.projectId, input.instanceId);
  const b = serverlessGatewayKey(input.projectId, '6a793f68c0eb9e7a17715836');
  const addresses = publicGatewayAddresses([region, a, b], 77);
  assert.equal(new Set([region, a, b].map((k) => addresses.get(publicRegionKey(k)))).size, 3);
});
