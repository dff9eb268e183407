import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { newObjectId } from '../../src/domain/object-id.js';
import type { EndpointServiceSpec } from '../../src/providers/cloud-provider.js';
import { AzureClientPool } from '../../src/providers/azure/azure-clients.js';
import { AzureProvider } from '../../src/providers/azure/azure.provider.js';
import { azureNames } from '../../src/providers/azure/azure-names.js';
import { customerSubnet, POLL, startAzure, type AzureHarness } from '../localcloud/azure/harness.js';

// The ARM calls the Azure adapter sends to observe a service, seen on the wire through Node's
// `http.client.request.start` channel: which resource each asks for, when it started and when its
// answer ended, so a test can tell reads sent side by side from reads sent one after another.

interface Call {
  readonly what: string;
  readonly start: number;
  end?: number;
}

let h: AzureHarness;
let adapter: AzureProvider;
let pool: AzureClientPool;
const calls: Call[] = [];

function onRequest(message: unknown): void {
  const request = (message as { request: ClientRequest }).request;
  const call: Call = { what: `${request.method} ${request.path.split('?')[0]!.split('/').slice(-2, -1)[0]}`, start: performance.now() };
  calls.push(call);
  request.once('response', (response) => response.once('end', () => (call.end = performance.now())));
}

before(async () => {
  h = await startAzure();
  const provider = h.cloud.accounts.provider;
  pool = new AzureClientPool({ subscriptionId: provider.subscriptionId, endpoint: h.cloud.url, servicePrincipal: provider, ca: h.ca });
  adapter = new AzureProvider(pool);
  dc.subscribe('http.client.request.start', onRequest);
});

after(async () => {
  dc.unsubscribe('http.client.request.start', onRequest);
  await h?.close();
});

const spec = (id: string, region = 'eastus2'): EndpointServiceSpec => ({ id, projectId: newObjectId(), region, listeners: [], layout: 'portMapped' });
const overlap = (a: Call, b: Call) => a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity);

test('a service expected ready has its load balancer read beside its private link service; otherwise after it', async () => {
  const s = spec(newObjectId());
  await adapter.createEndpointService(s, {});

  let from = calls.length;
  assert.equal((await adapter.observeEndpointService(s, {}, true)).observed.state, 'ready');
  let seen = calls.slice(from);
  const pls = seen.find((c) => c.what === 'GET privateLinkServices');
  const lb = seen.find((c) => c.what === 'GET loadBalancers');
  assert.ok(pls && lb, seen.map((c) => c.what).join(', '));
  assert.equal(seen.length, 2, seen.map((c) => c.what).join(', '));
  assert.ok(overlap(pls, lb), 'the two reads were sent one after the other');

  from = calls.length;
  assert.equal((await adapter.observeEndpointService(s, {})).observed.state, 'ready');
  seen = calls.slice(from);
  assert.deepEqual(
    seen.map((c) => c.what),
    ['GET privateLinkServices', 'GET loadBalancers'],
  );
  assert.ok(!overlap(seen[0]!, seen[1]!), 'not expected ready: the load balancer is read only once the private link service is seen ready');
});

test('a service expected ready but absent is observed absent, its early read of the load balancer answered absent too', async () => {
  const from = calls.length;
  const observed = await adapter.observeEndpointService(spec(newObjectId()), {}, true);
  assert.equal(observed.observed.state, 'absent');
  assert.ok(
    calls.slice(from).some((c) => c.what === 'GET loadBalancers'),
    'the early read was sent',
  );
});

test('a connection seen pending in the same pass is approved by its name, without reading the private link service again; the approval answers the connection', async () => {
  const s = spec(newObjectId(), 'eastus');
  await adapter.createEndpointService(s, {});
  const names = azureNames(s.id);
  const plsId = `/subscriptions/${h.cloud.accounts.provider.subscriptionId}/resourceGroups/${names.resourceGroup}/providers/Microsoft.Network/privateLinkServices/${names.privateLinkService}`;
  const subnetId = await customerSubnet(h);
  const customer = h.network(h.cloud.accounts.customer);
  const endpointOf = async (name: string) =>
    (
      await customer.privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-customer',
        name,
        { location: 'eastus', subnet: { id: subnetId }, manualPrivateLinkServiceConnections: [{ name, privateLinkServiceId: plsId }] },
        POLL,
      )
    ).id!;
  const registration = (endpointId: string) => ({ endpointId, detail: { cloud: 'AZURE' as const, privateEndpointIPAddress: '10.20.1.4', privateEndpointConnectionName: null } });

  const first = registration(await endpointOf('pe-seen'));
  const seen = await adapter.observeConnection(s, {}, first);
  assert.equal(seen.state, 'pendingAcceptance');
  let from = calls.length;
  const answered = await adapter.acceptConnection(s, {}, first, seen);
  assert.deepEqual(
    calls.slice(from).map((c) => c.what),
    ['PUT privateEndpointConnections'],
  );
  // The approval's answer is the connection as a read of the private link service shows it.
  const looked = await adapter.observeConnection(s, {}, first);
  assert.equal(looked.state, 'available');
  assert.deepEqual(answered, looked);

  // Without what the pass saw, the connection is looked up first (and one already approved is left as it is).
  const second = registration(await endpointOf('pe-unseen'));
  from = calls.length;
  assert.equal((await adapter.acceptConnection(s, {}, second))?.state, 'available');
  assert.deepEqual(
    calls.slice(from).map((c) => c.what),
    ['GET privateLinkServices', 'PUT privateEndpointConnections'],
  );
  assert.equal((await adapter.observeConnection(s, {}, second)).state, 'available');
  from = calls.length;
  assert.equal(await adapter.acceptConnection(s, {}, first), undefined, 'nothing sent, nothing answered: the caller looks again');
  assert.deepEqual(
    calls.slice(from).map((c) => c.what),
    ['GET privateLinkServices'],
  );
});

test('a service with an empty ref is made without reading for its virtual network; with its group known, the network is read first', async () => {
  const s = spec(newObjectId());
  let from = calls.length;
  const ref = (await adapter.createEndpointService(s, {})).ref;
  let sent = calls.slice(from).map((c) => c.what);
  // (The read after the PUT is the long-running operation's final GET.)
  assert.ok(sent.includes('PUT virtualNetworks') && sent.indexOf('GET virtualNetworks') > sent.indexOf('PUT virtualNetworks'), sent.join(', '));
  assert.equal((await adapter.observeEndpointService(s, ref)).observed.state, 'ready');

  // As a pass after a crash that found the group: the network is there, read, and not made again.
  from = calls.length;
  await adapter.createEndpointService(s, ref);
  sent = calls.slice(from).map((c) => c.what);
  assert.ok(sent.includes('GET virtualNetworks'), sent.join(', '));
  assert.ok(!sent.includes('PUT virtualNetworks'), sent.join(', '));
  assert.equal((await adapter.observeEndpointService(s, ref)).observed.state, 'ready');
});
