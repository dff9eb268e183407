import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DataPlaneSnapshot } from '../../../src/localcloud/common/data-plane-snapshot.js';
import { azureSnapshotSource } from '../../../src/localcloud/azure/azure-snapshot-source.js';
import { createLocalCloudAzure } from '../../../src/localcloud/azure/local-cloud-azure.js';
import { LocalCertificateAuthority } from '../../../src/localcloud/dataplane/certificates.js';
import { createGroup, POLL, startAzure, type AzureHarness } from './harness.js';

const BASE = 100; // Azure octets 1..49

/** Loopback octet per VNet address space. */
function octets(s: DataPlaneSnapshot): Record<string, number> {
  return Object.fromEntries(s.networks.map((n) => [n.cidrBlock, n.loopbackOctet]));
}

describe('Azure virtual networks keep their loopback slots', () => {
  let h: AzureHarness;
  const take = () => azureSnapshotSource(h.cloud, h.testStore.store, BASE).snapshot();
  const vnet = (name: string, prefix: string) =>
    h.network(h.cloud.accounts.customer).virtualNetworks.beginCreateOrUpdateAndWait('rg-slots', name, { location: 'eastus', addressSpace: { addressPrefixes: [prefix] } }, POLL);
  const slots = () =>
    h.testStore.store.db
      .selectFrom('lc_azure_loopback_slots' as never)
      .selectAll()
      .execute();

  before(async () => {
    h = await startAzure();
    await createGroup(h, h.cloud.accounts.customer, 'rg-slots');
    await vnet('first', '10.1.0.0/16');
    await vnet('second', '10.2.0.0/16');
  });
  after(async () => h?.close());

  test('VNets take the lowest free slots in creation order, stored once', async () => {
    assert.deepEqual(octets(await take()), { '10.1.0.0/16': 1, '10.2.0.0/16': 2 });
    assert.equal((await slots()).length, 2);
    // Nothing to change: the same answer again, the store as it was.
    assert.deepEqual(octets(await take()), { '10.1.0.0/16': 1, '10.2.0.0/16': 2 });
  });

  test('slots survive a restart and are the same for another emulator process on the store', async () => {
    await h.restart();
    assert.deepEqual(octets(await take()), { '10.1.0.0/16': 1, '10.2.0.0/16': 2 });
    const other = await createLocalCloudAzure({ store: h.testStore.store, delays: 'instant', port: 0, certificates: await LocalCertificateAuthority.inMemory() });
    try {
      assert.deepEqual(octets(await azureSnapshotSource(other, h.testStore.store, BASE).snapshot()), { '10.1.0.0/16': 1, '10.2.0.0/16': 2 });
    } finally {
      await other.close();
    }
  });

  test("a deleted VNet's slot is freed and given to the next new one", async () => {
    await h.network(h.cloud.accounts.customer).virtualNetworks.beginDeleteAndWait('rg-slots', 'first', POLL);
    assert.deepEqual(octets(await take()), { '10.2.0.0/16': 2 });
    assert.deepEqual((await slots()).length, 1);
    await vnet('third', '10.3.0.0/16');
    assert.deepEqual(octets(await take()), { '10.2.0.0/16': 2, '10.3.0.0/16': 1 });
  });
});
