import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { azureClients } from '../support/azure-clients.js';
import { until } from '../support/full-stack.js';
import { FAST_RECOVERY_ENV, restart, waitForDeath } from '../support/crash-restarts.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// Azure under SIGKILL: the server is killed at injected points between an Azure call and the
// commit of its result, then restarted on the same store. Everything converges, and the provider
// subscription holds exactly one resource group, load balancer and private link service per
// privlink endpoint service; a connection approved just before the kill is AVAILABLE after.

function owner(server: ServerProcess) {
  return {
    client: new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey }),
    project: `/api/atlas/v2/groups/${server.bootstrap.projectId}`,
  };
}

/** The official SDK's clients of one of the local cloud's principals, as bootstrap.json describes them. */
function azure(server: ServerProcess, who: 'provider' | 'customer') {
  const cloud = server.bootstrap.localCloud!.azure!;
  return azureClients(cloud, cloud[who]);
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of pages) out.push(item);
  return out;
}

/** What the provider subscription holds (live resources). */
async function providerResources(server: ServerProcess, serviceId: string) {
  const { network, resources } = azure(server, 'provider');
  const groups = (await all(resources.resourceGroups.list())).filter((g) => g.properties?.provisioningState !== 'Deleting');
  const lbs = await all(network.loadBalancers.listAll());
  const services = await all(network.privateLinkServices.listBySubscription());
  return {
    groups: groups.length,
    loadBalancers: lbs.filter((lb) => lb.name === `lb_${serviceId}`).length,
    privateLinkServices: services.filter((p) => p.name === `pls_${serviceId}`).length,
    allPrivateLinkServices: services.length,
  };
}

describe('Azure: crash during create', () => {
  for (const point of ['before-create-endpoint-service', 'after-create-endpoint-service']) {
    test(`SIGKILL at ${point}: after restart the service is AVAILABLE, its private link service made exactly once`, async () => {
      const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: point } });
      let second: ServerProcess | undefined;
      try {
        const a = owner(first);
        const created = await a.client.post(`${a.project}/privateEndpoint/endpointService`, { providerName: 'AZURE', region: 'eastus2' });
        assert.equal(created.status, 201, created.text);
        const serviceId = (created.json as { id: string }).id;
        a.client.close();
        assert.equal(await waitForDeath(first), 'SIGKILL');
        second = await restart(first);
        const b = owner(second);
        const ready = await until(
          () => b.client.get(`${b.project}/privateEndpoint/AZURE/endpointService/${serviceId}`),
          (r) => (r.json as { status?: string }).status === 'AVAILABLE',
          30_000,
        );
        b.client.close();
        assert.equal((ready.json as { privateLinkServiceName: string }).privateLinkServiceName, `pls_${serviceId}`);
        assert.deepEqual(await providerResources(second, serviceId), { groups: 1, loadBalancers: 1, privateLinkServices: 1, allPrivateLinkServices: 1 });
      } finally {
        await second?.stop();
        await first.destroy();
      }
    });
  }
});

describe('Azure: crash during accept and delete', () => {
  test('SIGKILL right after approving a connection, then after the delete call: the endpoint ends AVAILABLE, then everything is gone', async () => {
    const first = await startServer({ env: FAST_RECOVERY_ENV });
    let second: ServerProcess | undefined;
    let third: ServerProcess | undefined;
    let fourth: ServerProcess | undefined;
    try {
      const a = owner(first);
      const serviceId = ((await a.client.post(`${a.project}/privateEndpoint/endpointService`, { providerName: 'AZURE', region: 'eastus2' })).json as { id: string }).id;
      const ready = await until(
        () => a.client.get(`${a.project}/privateEndpoint/AZURE/endpointService/${serviceId}`),
        (r) => (r.json as { status?: string }).status === 'AVAILABLE',
      );
      const plsId = (ready.json as { privateLinkServiceResourceId: string }).privateLinkServiceResourceId;
      a.client.close();
      await first.stop();

      second = await restart(first, { PRIVLINK_TEST_CRASH_AT: 'after-accept-connection' });
      const customer = azure(second, 'customer');
      await customer.resources.resourceGroups.createOrUpdate('rg-app', { location: 'eastus2' });
      const vnet = await customer.network.virtualNetworks.beginCreateOrUpdateAndWait(
        'rg-app',
        'vnet-app',
        { location: 'eastus2', addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ name: 'default', addressPrefix: '10.1.0.0/24' }] },
        { updateIntervalInMs: 20 },
      );
      const pe = await customer.network.privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-app',
        'pe-atlas',
        { location: 'eastus2', subnet: { id: vnet.subnets![0]!.id! }, manualPrivateLinkServiceConnections: [{ name: 'pe-atlas', privateLinkServiceId: plsId }] },
        { updateIntervalInMs: 20 },
      );
      const b = owner(second);
      const registered = await b.client.post(`${b.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint`, { id: pe.id, privateEndpointIPAddress: '10.1.0.4' });
      assert.equal(registered.status, 201, registered.text);
      b.client.close();
      assert.equal(await waitForDeath(second), 'SIGKILL');

      third = await restart(first, { PRIVLINK_TEST_CRASH_AT: 'after-delete-endpoint-service' });
      const c = owner(third);
      const endpointPath = `${c.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint/${encodeURIComponent(pe.id!)}`;
      const available = await until(
        () => c.client.get(endpointPath),
        (r) => (r.json as { status?: string }).status === 'AVAILABLE',
        30_000,
      );
      assert.equal((available.json as { status: string }).status, 'AVAILABLE');
      const seen = await azure(third, 'customer').network.privateEndpoints.get('rg-app', 'pe-atlas');
      assert.equal(seen.manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState!.status, 'Approved');
      assert.equal((await c.client.delete(`${c.project}/privateEndpoint/AZURE/endpointService/${serviceId}`)).status, 202);
      c.client.close();
      assert.equal(await waitForDeath(third), 'SIGKILL');

      fourth = await restart(first);
      const d = owner(fourth);
      const gone = await until(
        () => d.client.get(`${d.project}/privateEndpoint/AZURE/endpointService/${serviceId}`),
        (r) => r.status === 404,
        30_000,
      );
      d.client.close();
      assert.equal(gone.status, 404);
      assert.deepEqual(await providerResources(fourth, serviceId), { groups: 0, loadBalancers: 0, privateLinkServices: 0, allPrivateLinkServices: 0 });
    } finally {
      await fourth?.stop();
      await third?.stop();
      await second?.stop();
      await first.destroy();
    }
  });
});
