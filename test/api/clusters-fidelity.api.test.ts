import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AtlasResponse } from '../../src/client/atlas-client.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

let api: ApiHarness;
let clusters: string;
before(async () => {
  api = await startApi();
  clusters = `/api/atlas/v2/groups/${api.bootstrap.projectId}/clusters`;
});
after(async () => api?.close());

const region = (nodeCount = 3) => ({ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount } });
const replicaSet = (name: string, extra: Record<string, unknown> = {}) => ({ name, clusterType: 'REPLICASET', replicationSpecs: [{ regionConfigs: [region()] }], ...extra });

function envelope(res: AtlasResponse): { errorCode: string; detail: string; parameters: unknown[] } {
  return res.json as { errorCode: string; detail: string; parameters: unknown[] };
}

describe('clusters: Atlas fidelity', () => {
  test('creating a cluster whose name exists answers 400 DUPLICATE_CLUSTER_NAME (case-insensitively)', async () => {
    assert.equal((await api.owner.post(clusters, replicaSet('Dup0'))).status, 201);
    const again = await api.owner.post(clusters, replicaSet('dup0'));
    assert.equal(again.status, 400, again.text);
    assert.equal(envelope(again).errorCode, 'DUPLICATE_CLUSTER_NAME');
    assert.deepEqual(envelope(again).parameters, ['dup0', api.bootstrap.projectId]);
  });

  test('71 shards are refused with 400 INVALID_ATTRIBUTE naming replicationSpecs; 70 are accepted', async () => {
    const sharded = (name: string, numShards: number) => ({ name, clusterType: 'SHARDED', replicationSpecs: [{ numShards, regionConfigs: [region()] }] });
    const tooMany = await api.owner.post(clusters, sharded('big', 71));
    assert.equal(tooMany.status, 400, tooMany.text);
    assert.equal(envelope(tooMany).errorCode, 'INVALID_ATTRIBUTE');
    assert.deepEqual(envelope(tooMany).parameters, ['replicationSpecs', '70 shards', 71]);
    const huge = await api.owner.post(clusters, { name: 'huge', clusterType: 'SHARDED', replicationSpecs: Array.from({ length: 5000 }, () => ({ regionConfigs: [region()] })) });
    assert.equal(envelope(huge).errorCode, 'INVALID_ATTRIBUTE');
    assert.equal(envelope(huge).parameters[0], 'replicationSpecs');
    const fits = await api.owner.post(clusters, sharded('fits70', 70));
    assert.equal(fits.status, 201, fits.text);
    assert.equal((fits.json as { replicationSpecs: unknown[] }).replicationSpecs.length, 70);
  });

  test('names longer than 64 characters, more than 7 electable nodes per shard and bad numShards are 400 naming the attribute', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [replicaSet('a'.repeat(65)), 'name'],
      [
        { ...replicaSet('eight'), replicationSpecs: [{ regionConfigs: [region(5), { ...region(3), regionName: 'US_WEST_2', priority: 6 }] }] },
        'replicationSpecs[0].regionConfigs[].electableSpecs.nodeCount',
      ],
      [{ ...replicaSet('zero'), replicationSpecs: [{ numShards: 0, regionConfigs: [region()] }] }, 'replicationSpecs[0].numShards'],
      [
        { ...replicaSet('wide'), replicationSpecs: [{ regionConfigs: [{ ...region(), readOnlySpecs: { instanceSize: 'M10', nodeCount: 51 } }] }] },
        'replicationSpecs[0].regionConfigs[0].readOnlySpecs.nodeCount',
      ],
    ];
    for (const [body, attribute] of cases) {
      const res = await api.owner.post(clusters, body);
      assert.equal(res.status, 400, res.text);
      assert.equal(envelope(res).errorCode, 'INVALID_ATTRIBUTE', res.text);
      assert.equal(envelope(res).parameters[0], attribute, res.text);
    }
    assert.equal((await api.owner.post(clusters, replicaSet('b'.repeat(64)))).status, 201);
  });

  test('PATCH labels, tags and flags round-trip; a GET body can be sent back; termination protection refuses deletion', async () => {
    assert.equal((await api.owner.post(clusters, replicaSet('Labelled', { tags: [{ key: 'env', value: 'dev' }] }))).status, 201);
    const labels = [{ key: 'team', value: 'payments' }];
    const patched = await api.owner.patch(`${clusters}/Labelled`, { labels, paused: true, terminationProtectionEnabled: true, backupEnabled: true });
    assert.equal(patched.status, 200, patched.text);
    const body = patched.json as Record<string, unknown>;
    assert.deepEqual(body.labels, labels);
    assert.deepEqual(body.tags, [{ key: 'env', value: 'dev' }], 'attributes the PATCH does not name keep their values');
    assert.equal(body.paused, true);
    assert.equal(body.backupEnabled, true);
    const read = await api.owner.get(`${clusters}/Labelled`);
    assert.deepEqual((read.json as Record<string, unknown>).labels, labels);
    const refused = await api.owner.delete(`${clusters}/Labelled`);
    assert.equal(refused.status, 400, refused.text);
    assert.equal(envelope(refused).errorCode, 'CANNOT_TERMINATE_CLUSTER_WHEN_TERMINATION_PROTECTION_ENABLED');
    const resent = await api.owner.patch(`${clusters}/Labelled`, { ...(read.json as Record<string, unknown>), terminationProtectionEnabled: false });
    assert.equal(resent.status, 200, resent.text);
    assert.equal((await api.owner.delete(`${clusters}/Labelled`)).status, 202);
  });

  test('attributes privlink does not model are refused with 400 INVALID_ATTRIBUTE naming them, never dropped', async () => {
    assert.equal((await api.owner.post(clusters, replicaSet('Strict'))).status, 201);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ advancedConfiguration: { javascriptEnabled: false } }, 'advancedConfiguration'],
      [{ labelz: [] }, 'labelz'],
      [{ replicationSpecs: [{ regionConfigs: [{ ...region(), autoScaling: { compute: { enabled: true } } }] }] }, 'replicationSpecs[0].regionConfigs[0].autoScaling'],
      [
        { replicationSpecs: [{ regionConfigs: [{ ...region(), electableSpecs: { instanceSize: 'M10', nodeCount: 3, diskSizeGB: 40 } }] }] },
        'replicationSpecs[0].regionConfigs[0].electableSpecs.diskSizeGB',
      ],
      [{ labels: [{ key: 'k', value: 'v', colour: 'red' }] }, 'labels[0].colour'],
    ];
    for (const [patch, attribute] of cases) {
      const res = await api.owner.patch(`${clusters}/Strict`, patch);
      assert.equal(res.status, 400, res.text);
      assert.equal(envelope(res).errorCode, 'INVALID_ATTRIBUTE', res.text);
      assert.deepEqual(envelope(res).parameters, [attribute]);
    }
    const created = await api.owner.post(clusters, replicaSet('Strict2', { diskSizeGB: 10 }));
    assert.equal(created.status, 400);
    assert.deepEqual(envelope(created).parameters, ['diskSizeGB']);
  });
});
