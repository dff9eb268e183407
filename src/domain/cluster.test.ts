import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressableTargets, clusterRegions, isSharedTier, parseClusterSpec, targetsInRegion } from './cluster.js';
import { ApiError } from './errors.js';

const rs = (nodeCount: number, regionName = 'US_EAST_1', extra: Record<string, unknown> = {}) => ({
  providerName: 'AWS',
  regionName,
  priority: 7,
  electableSpecs: { instanceSize: 'M10', nodeCount },
  ...extra,
});

test('a 3-node replica set has 3 addressable targets in its region', () => {
  const spec = parseClusterSpec({ name: 'Cluster0', clusterType: 'REPLICASET', replicationSpecs: [{ regionConfigs: [rs(3)] }] });
  assert.equal(addressableTargets(spec).length, 3);
  assert.equal(targetsInRegion(spec, 'AWS', 'US_EAST_1'), 3);
  assert.deepEqual(
    addressableTargets(spec).map((t) => t.kind),
    ['mongod', 'mongod', 'mongod'],
  );
});

test('read-only and analytics nodes count; regions accept AWS names', () => {
  const spec = parseClusterSpec({
    name: 'c1',
    replicationSpecs: [{ regionConfigs: [rs(3, 'us-east-1', { readOnlySpecs: { instanceSize: 'M10', nodeCount: 1 } }), rs(2, 'us-west-2', { priority: 6 })] }],
  });
  assert.equal(targetsInRegion(spec, 'AWS', 'US_EAST_1'), 4);
  assert.equal(targetsInRegion(spec, 'AWS', 'US_WEST_2'), 2);
  assert.deepEqual(clusterRegions(spec), [
    { provider: 'AWS', regionName: 'US_EAST_1' },
    { provider: 'AWS', regionName: 'US_WEST_2' },
  ]);
});

test('sharded clusters: mongos are the targets, not shard nodes; BI Connector adds one in the top-priority region', () => {
  const spec = parseClusterSpec({
    name: 'sh',
    clusterType: 'SHARDED',
    biConnector: { enabled: true },
    replicationSpecs: [{ regionConfigs: [rs(3)] }, { regionConfigs: [rs(3)] }],
  });
  const targets = addressableTargets(spec);
  assert.equal(targets.filter((t) => t.kind === 'mongos').length, 3);
  assert.equal(targets.filter((t) => t.kind === 'mongod').length, 0);
  assert.equal(targets.filter((t) => t.kind === 'biConnector').length, 1);
});

test('numShards expands a replication spec (2023-02-01 shape)', () => {
  const spec = parseClusterSpec({ name: 'sh2', clusterType: 'SHARDED', replicationSpecs: [{ numShards: 3, regionConfigs: [rs(3)] }] });
  assert.equal(spec.replicationSpecs.length, 3);
});

test('shared tiers (M0, M2, M5) exist but have no addressable targets', () => {
  const spec = parseClusterSpec({
    name: 'free',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'TENANT', backingProviderName: 'AWS', regionName: 'US_EAST_1', electableSpecs: { instanceSize: 'M0' } }] }],
  });
  assert.ok(isSharedTier(spec));
  assert.equal(addressableTargets(spec).length, 0);
});

test('bad cluster bodies get Atlas-style errors', () => {
  const cases: Array<[unknown, string]> = [
    [{}, 'MISSING_ATTRIBUTE'],
    [{ name: 'bad name!', replicationSpecs: [{ regionConfigs: [rs(3)] }] }, 'INVALID_ATTRIBUTE'],
    [{ name: 'c', clusterType: 'RING', replicationSpecs: [{ regionConfigs: [rs(3)] }] }, 'INVALID_ENUM_VALUE'],
    [{ name: 'c', replicationSpecs: [{ regionConfigs: [rs(3, 'MARS_1')] }] }, 'INVALID_REGION'],
    [{ name: 'c', replicationSpecs: [{ regionConfigs: [rs(3)] }, { regionConfigs: [rs(3)] }] }, 'INVALID_CLUSTER_CONFIGURATION'],
    [{ name: 'c', replicationSpecs: [{ regionConfigs: [{ ...rs(3), electableSpecs: { instanceSize: 'M0', nodeCount: 3 } }] }] }, 'INVALID_CLUSTER_CONFIGURATION'],
    [{ name: 'c', replicationSpecs: [{ regionConfigs: [rs(3)] }], privlinkTargets: ['a:1'] }, 'INVALID_CLUSTER_CONFIGURATION'],
  ];
  for (const [body, expected] of cases) {
    assert.throws(
      () => parseClusterSpec(body),
      (error: ApiError) => error.errorCode === expected,
      JSON.stringify(body),
    );
  }
});
