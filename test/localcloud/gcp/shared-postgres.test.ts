import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalCloudGcp, type LocalCloudGcp } from '../../../src/localcloud/gcp/local-cloud-gcp.js';
import { openStore, type Store } from '../../../src/store/database.js';
import { newStoreLocation, testBackend } from '../../support/test-store.js';
import { computeClients, consumerNetwork, REGION } from './harness.js';

describe('two GCP emulator processes on one PostgreSQL', { skip: testBackend() !== 'postgres' && 'PGlite is one process by design (its data directory is locked)' }, () => {
  let stores: Store[] = [];
  let clouds: LocalCloudGcp[] = [];
  let drop: () => Promise<void> = async () => undefined;

  before(async () => {
    const location = await newStoreLocation({ empty: true }); // two processes making the tables, too
    drop = location.drop;
    stores = await Promise.all([openStore(location.location), openStore(location.location)]);
    clouds = await Promise.all(stores.map((store) => createLocalCloudGcp({ store, delays: 'instant', port: 0 })));
  });
  after(async () => {
    for (const cloud of clouds) await cloud.close();
    for (const store of stores) await store.close();
    await drop();
  });

  test('both processes agree on the projects and their keys', () => {
    assert.equal(clouds[0]!.projects.consumer.projectId, clouds[1]!.projects.consumer.projectId);
    assert.equal(clouds[0]!.projects.producer.serviceAccountKey.private_key, clouds[1]!.projects.producer.serviceAccountKey.private_key);
  });

  test('a network made through one process is seen by the other, and concurrent reservations never share an address', async () => {
    const [one, two] = clouds as [LocalCloudGcp, LocalCloudGcp];
    const { consumer } = one.projects;
    await consumerNetwork({ cloud: one, clients: (p) => computeClients(one, p) }, consumer);
    const names = Array.from({ length: 8 }, (_, i) => `addr-${i}`);
    await Promise.all(
      names.map((name, i) => {
        const c = computeClients(i % 2 === 0 ? one : two, consumer);
        return c.done(
          c.addresses.insert({ project: c.project, region: REGION, addressResource: { name, addressType: 'INTERNAL', subnetwork: `regions/${REGION}/subnetworks/app-subnet` } }),
        );
      }),
    );
    const c = computeClients(two, consumer);
    const [list] = await c.addresses.list({ project: c.project, region: REGION });
    assert.equal(list.length, 8);
    assert.equal(new Set(list.map((x) => x.address)).size, 8);
  });
});
