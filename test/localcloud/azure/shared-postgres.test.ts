import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { NetworkManagementClient } from '@azure/arm-network';
import { LocalCertificateAuthority } from '../../../src/localcloud/dataplane/certificates.js';
import { createLocalCloudAzure, type LocalCloudAzure } from '../../../src/localcloud/azure/local-cloud-azure.js';
import { openStore, type Store } from '../../../src/store/database.js';
import { newStoreLocation, testBackend } from '../../support/test-store.js';

const POLL = { updateIntervalInMs: 5 };

describe('two emulator processes on one PostgreSQL', { skip: testBackend() !== 'postgres' && 'PGlite is one process by design (its data directory is locked)' }, () => {
  let stores: Store[] = [];
  let clouds: LocalCloudAzure[] = [];
  let drop: () => Promise<void> = async () => undefined;
  let ca: LocalCertificateAuthority;

  before(async () => {
    const location = await newStoreLocation({ empty: true }); // two processes making the tables, too
    drop = location.drop;
    ca = await LocalCertificateAuthority.inMemory();
    stores = await Promise.all([openStore(location.location), openStore(location.location)]);
    clouds = await Promise.all(stores.map((store) => createLocalCloudAzure({ store, delays: 'instant', port: 0, certificates: ca })));
  });
  after(async () => {
    for (const cloud of clouds) await cloud.close();
    for (const store of stores) await store.close();
    await drop();
  });

  const client = (cloud: LocalCloudAzure) => {
    const account = clouds[0]!.accounts.customer;
    const credential = new ClientSecretCredential(account.tenantId, account.clientId, account.clientSecret, {
      authorityHost: cloud.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: ca.caCertPem },
    });
    return new NetworkManagementClient(credential, account.subscriptionId, { endpoint: cloud.url, tlsOptions: { ca: ca.caCertPem } });
  };

  test('both processes agree on the principals and see each other’s resources', async () => {
    assert.deepEqual(clouds[0]!.accounts, clouds[1]!.accounts);
    const [a, b] = [client(clouds[0]!), client(clouds[1]!)];
    const { customer } = clouds[0]!.accounts;
    const put = await fetchGroup(clouds[0]!, customer, ca.caCertPem);
    assert.equal(put, 201);
    await a.virtualNetworks.beginCreateOrUpdateAndWait(
      'shared',
      'v',
      { location: 'eastus', addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 's', addressPrefix: '10.0.0.0/24' }] },
      POLL,
    );
    const seen = await b.virtualNetworks.get('shared', 'v');
    assert.equal(seen.subnets![0]!.addressPrefix, '10.0.0.0/24');
  });

  test('concurrent writes from both processes never hand out one address twice', async () => {
    const { provider } = clouds[0]!.accounts;
    // Endpoints need a service: the provider makes one through process A.
    const providerCredential = new ClientSecretCredential(provider.tenantId, provider.clientId, provider.clientSecret, {
      authorityHost: clouds[0]!.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: ca.caCertPem },
    });
    const p = new NetworkManagementClient(providerCredential, provider.subscriptionId, { endpoint: clouds[0]!.url, tlsOptions: { ca: ca.caCertPem } });
    assert.equal(await fetchGroup(clouds[0]!, provider, ca.caCertPem), 201);
    const vnet = await p.virtualNetworks.beginCreateOrUpdateAndWait(
      'shared',
      'pv',
      {
        location: 'eastus',
        addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
        subnets: [
          { name: 'fe', addressPrefix: '10.1.1.0/24' },
          { name: 'nat', addressPrefix: '10.1.2.0/24', privateLinkServiceNetworkPolicies: 'Disabled' },
        ],
      },
      POLL,
    );
    const lb = await p.loadBalancers.beginCreateOrUpdateAndWait(
      'shared',
      'lb',
      { location: 'eastus', sku: { name: 'Standard' }, frontendIPConfigurations: [{ name: 'fe', subnet: { id: vnet.subnets![0]!.id } }] },
      POLL,
    );
    const pls = await p.privateLinkServices.beginCreateOrUpdateAndWait(
      'shared',
      'pls',
      {
        location: 'eastus',
        loadBalancerFrontendIpConfigurations: [{ id: lb.frontendIPConfigurations![0]!.id }],
        ipConfigurations: [{ name: 'n', subnet: { id: vnet.subnets![1]!.id } }],
        visibility: { subscriptions: ['*'] },
      },
      POLL,
    );
    const subnet = (await client(clouds[0]!).virtualNetworks.get('shared', 'v')).subnets![0]!.id!;
    const made = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        client(clouds[i % 2]!).privateEndpoints.beginCreateOrUpdateAndWait(
          'shared',
          `pe-${i}`,
          { location: 'eastus', subnet: { id: subnet }, manualPrivateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: pls.alias! }] },
          POLL,
        ),
      ),
    );
    const addresses = made.map((pe) => pe.customDnsConfigs![0]!.ipAddresses![0]!);
    assert.equal(new Set(addresses).size, 6, `distinct addresses: ${addresses.join(', ')}`);
    const view = await clouds[1]!.view();
    assert.equal(view.privateLinkServices[0]!.connections.length, 6);
  });

  test('a transition one process starts is applied through the other once it falls due', async () => {
    const [a, b] = [client(clouds[0]!), client(clouds[1]!)];
    await clouds[0]!.setDelays({ networkProvisioning: 400 });
    try {
      // B reads twice: the second read finds nothing due and B remembers that nothing will be.
      await b.virtualNetworks.get('shared', 'v');
      assert.equal((await b.virtualNetworks.get('shared', 'v')).provisioningState, 'Succeeded');
      const started = await a.virtualNetworks.beginCreateOrUpdate('shared', 'late', { location: 'eastus', addressSpace: { addressPrefixes: ['10.7.0.0/16'] } });
      assert.equal(started.getOperationState().status, 'running');
      assert.equal((await b.virtualNetworks.get('shared', 'late')).provisioningState, 'Updating');
      await new Promise((resolve) => setTimeout(resolve, 600));
      // A's change told B that what it remembered no longer holds.
      assert.equal((await b.virtualNetworks.get('shared', 'late')).provisioningState, 'Succeeded');
    } finally {
      await clouds[0]!.setDelays('instant');
    }
  });
});

async function fetchGroup(cloud: LocalCloudAzure, account: LocalCloudAzure['accounts']['customer'], caPem: string): Promise<number> {
  const credential = new ClientSecretCredential(account.tenantId, account.clientId, account.clientSecret, {
    authorityHost: cloud.url,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: caPem },
  });
  const token = (await credential.getToken(`${cloud.url}/.default`)).token;
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ location: 'eastus' });
    const req = request(
      new URL(`/subscriptions/${account.subscriptionId}/resourcegroups/shared?api-version=2021-04-01`, cloud.url),
      { method: 'PUT', ca: caPem, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
