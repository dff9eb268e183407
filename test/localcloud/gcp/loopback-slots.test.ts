import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { DataPlaneSnapshot } from '../../../src/localcloud/common/data-plane-snapshot.js';
import { createLocalCloudGcp } from '../../../src/localcloud/gcp/local-cloud-gcp.js';
import { gcpSnapshotSource } from '../../../src/localcloud/gcp/gcp-snapshot-source.js';
import { REGION, startGcp, type ComputeClients, type GcpHarness } from './harness.js';

const BASE = 100; // GCP octets 50..99

/** Loopback octet per subnetwork CIDR. */
function octets(s: DataPlaneSnapshot): Record<string, number> {
  return Object.fromEntries(s.networks.map((n) => [n.cidrBlock, n.loopbackOctet]));
}

describe('GCP subnetworks keep their loopback slots', () => {
  let h: GcpHarness;
  let p: ComputeClients;
  let c: ComputeClients;
  const take = () => gcpSnapshotSource(h.cloud, h.testStore.store, BASE).snapshot();
  const subnet = (clients: ComputeClients, name: string, range: string, purpose?: string) =>
    clients.done(
      clients.subnetworks.insert({
        project: clients.project,
        region: REGION,
        subnetworkResource: { name, network: 'global/networks/net', ipCidrRange: range, ...(purpose ? { purpose } : {}) },
      }),
    );

  before(async () => {
    h = await startGcp();
    p = h.clients(h.cloud.projects.producer);
    c = h.clients(h.cloud.projects.consumer);
    for (const clients of [p, c]) await clients.done(clients.networks.insert({ project: clients.project, networkResource: { name: 'net', autoCreateSubnetworks: false } }));
    await subnet(p, 'nodes', '10.10.1.0/24');
    await subnet(p, 'nat', '10.10.9.0/24', 'PRIVATE_SERVICE_CONNECT');
    await subnet(c, 'app', '10.20.1.0/24');
  });
  after(async () => h?.close());

  test('PRIVATE subnetworks take the lowest free slots in creation order; PSC NAT subnetworks take none', async () => {
    assert.deepEqual(octets(await take()), { '10.10.1.0/24': 50, '10.20.1.0/24': 51 });
  });

  test('slots survive a restart and are the same for another emulator process on the store', async () => {
    await h.restart();
    assert.deepEqual(octets(await take()), { '10.10.1.0/24': 50, '10.20.1.0/24': 51 });
    const other = await createLocalCloudGcp({ store: h.testStore.store, delays: 'instant', port: 0 });
    try {
      assert.deepEqual(octets(await gcpSnapshotSource(other, h.testStore.store, BASE).snapshot()), { '10.10.1.0/24': 50, '10.20.1.0/24': 51 });
    } finally {
      await other.close();
    }
  });

  test("a deleted subnetwork's slot is given to the next new one", async () => {
    p = h.clients(h.cloud.projects.producer);
    c = h.clients(h.cloud.projects.consumer);
    await p.done(p.subnetworks.delete({ project: p.project, region: REGION, subnetwork: 'nodes' }));
    assert.deepEqual(octets(await take()), { '10.20.1.0/24': 51 });
    await subnet(c, 'more', '10.20.2.0/24');
    assert.deepEqual(octets(await take()), { '10.20.1.0/24': 51, '10.20.2.0/24': 50 });
  });

  test('when the range is full, the subnetworks left over carry no traffic and are reported once', async () => {
    const warnings: string[] = [];
    // loopbackBase 5: Azure octets 1..2, GCP 3..4, so two slots, both held already.
    const source = gcpSnapshotSource(h.cloud, h.testStore.store, 5, { warn: (m) => warnings.push(m) });
    assert.equal((await source.snapshot()).networks.length, 2);
    await subnet(c, 'third', '10.20.3.0/24');
    for (let i = 0; i < 2; i++) {
      const s = await source.snapshot();
      assert.deepEqual(Object.values(octets(s)).sort(), [3, 4]);
      assert.equal(octets(s)['10.20.3.0/24'], undefined);
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /subnetworks\/third has no loopback slot/);
  });

  test('a subnetwork whose deletion is done gives its slot back even before it is purged', async () => {
    await subnet(c, 'late', '10.20.9.0/24');
    await take();
    const held = async () => (await sql<{ subnet_key: string }>`select subnet_key from lc_gcp_loopback_slots`.execute(h.testStore.store.db)).rows.map((r) => r.subnet_key);
    assert.ok((await held()).some((k) => k.endsWith('/subnetworks/late')));
    // Its deletion done a moment ago, the row not purged yet (no request has come since).
    await sql`update lc_gcp_resources set gone_at = now() - interval '1 second' where collection = 'subnetworks' and name = 'late'`.execute(h.testStore.store.db);
    await take();
    assert.ok(!(await held()).some((k) => k.endsWith('/subnetworks/late')));
  });
});
