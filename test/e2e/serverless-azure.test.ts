import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { expectContract } from '../support/atlas-contract.js';
import { privateDns } from '../support/driver-dns.js';
import { customerAzurePrivateEndpoint, startStack, until, type Stack } from '../support/full-stack.js';

// Seed 04's Azure Private Link flow for a serverless instance, on the local cloud with the official
// Azure SDK (examples/azure/create-private-endpoint.mjs): POST → RESERVED with the private link
// service's name and resource id; the customer's private endpoint to it; PATCH with its resource id
// and IP → INITIATING → AVAILABLE (in resource group `privateLink`, the one Atlas's schema for the
// id names; privlink accepts any); the driver connects with the instance's private SRV string.
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let endpointId: string;
let registered: { id: string; privateEndpointIPAddress: string };
const path = () => `${stack.project}/privateEndpoint/serverless/instance/AzureServerless/endpoint`;
/** The ARM calls the reconciler's adapter sends (method and resource type), counted on its SDK clients. */
const calls: string[] = [];

before(async () => {
  stack = await startStack({}, { onProviderCall: (_provider, operation) => calls.push(operation) });
  dns = privateDns(stack.running.dnsPort);
});
after(async () => {
  dns?.restore();
  await stack?.close();
});

describe('serverless instance with an Azure private endpoint', () => {
  test('instance IDLE; POST → RESERVED with pls_… and the private link service resource id', async () => {
    const created = await stack.owner.post(`${stack.project}/serverless`, {
      name: 'AzureServerless',
      providerSettings: { backingProviderName: 'AZURE', providerName: 'SERVERLESS', regionName: 'US_EAST_2' },
    });
    assert.equal(created.status, 201, created.text);
    await until(
      () => stack.owner.get(`${stack.project}/serverless/AzureServerless`),
      (r) => (r.json as { stateName: string }).stateName === 'IDLE',
    );
    calls.length = 0;
    const endpoint = await stack.owner.post(path(), { comment: 'azure' });
    expectContract(endpoint, 'POST', '/serverless/instance/{instanceName}/endpoint', 201);
    endpointId = String((endpoint.json as { _id: string })._id);
    const reserved = await until(
      () => stack.owner.get(`${path()}/${endpointId}`),
      (r) => (r.json as { status: string }).status === 'RESERVED',
    );
    expectContract(reserved, 'GET', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    const body = reserved.json as { endpointServiceName: string; privateLinkServiceResourceId: string; providerName: string };
    assert.equal(body.providerName, 'AZURE');
    assert.match(body.endpointServiceName, /^pls_[0-9a-f]{24}$/);
    assert.match(body.privateLinkServiceResourceId, /\/providers\/Microsoft\.Network\/privateLinkServices\/pls_[0-9a-f]{24}$/);
    // The pass that made the service took it as its calls' answers showed it: no read after the
    // private link service's operation ended (the SDK's own read of it).
    const pls = 'PUT Microsoft.Network/privateLinkServices';
    assert.deepEqual(
      calls.slice(calls.indexOf(pls), calls.indexOf(pls) + 3),
      [pls, 'GET Microsoft.Network/locations', 'GET Microsoft.Network/privateLinkServices'],
      calls.join(', '),
    );
    assert.ok(!calls.slice(calls.indexOf(pls) + 3).includes('GET Microsoft.Network/loadBalancers'), calls.join(', '));
  });

  test('the customer makes a private endpoint with the Azure SDK; PATCH → INITIATING → AVAILABLE', async () => {
    const plsId = ((await stack.owner.get(`${path()}/${endpointId}`)).json as { privateLinkServiceResourceId: string }).privateLinkServiceResourceId;
    registered = await customerAzurePrivateEndpoint(stack, ['--private-link-service-id', plsId, '--location', 'eastus2', '--resource-group', 'privateLink']);
    const missingIp = await stack.owner.patch(`${path()}/${endpointId}`, { providerName: 'AZURE', cloudProviderEndpointId: registered.id });
    assert.equal((missingIp.json as { errorCode: string }).errorCode, 'MISSING_ATTRIBUTE');
    calls.length = 0;
    const patched = await stack.owner.patch(`${path()}/${endpointId}`, {
      providerName: 'AZURE',
      cloudProviderEndpointId: registered.id,
      privateEndpointIpAddress: registered.privateEndpointIPAddress,
    });
    expectContract(patched, 'PATCH', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    assert.equal((patched.json as { status: string }).status, 'INITIATING');
    const available = await until(
      () => stack.owner.get(`${path()}/${endpointId}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    assert.equal((available.json as { privateEndpointIpAddress: string }).privateEndpointIpAddress, registered.privateEndpointIPAddress);
    // The pass that approved the connection took the approval's answer for its state: the approval
    // is its last call; what follows it can only be whole passes a cloud change started (each reads
    // the load balancer and the private link service, then the connection in the service).
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(calls.filter((c) => c.startsWith('PUT')).length, 1, calls.join(', '));
    const after = calls.slice(calls.indexOf('PUT Microsoft.Network/privateLinkServices') + 1);
    assert.equal(after.length % 3, 0, calls.join(', '));
    assert.equal(after.filter((c) => c === 'GET Microsoft.Network/loadBalancers').length, after.length / 3, calls.join(', '));
  });

  test('the instance string names the Azure endpoint and the official driver pings through it', async () => {
    const instance = (await stack.owner.get(`${stack.project}/serverless/AzureServerless`)).json as {
      connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string; endpoints: unknown[] }> };
    };
    const entry = instance.connectionStrings.privateEndpoint[0]!;
    assert.deepEqual(entry.endpoints, [{ endpointId: registered.id, providerName: 'AZURE', region: 'US_EAST_2' }]);
    const client = new MongoClient(`${entry.srvConnectionString}/?tls=false`, { lookup: dns.lookup, serverSelectionTimeoutMS: 8000, connectTimeoutMS: 3000 });
    try {
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
    } finally {
      await client.close();
    }
  });

  test('DELETE → 404', async () => {
    assert.equal((await stack.owner.delete(`${path()}/${endpointId}`)).status, 204);
    await until(
      () => stack.owner.get(`${path()}/${endpointId}`),
      (r) => r.status === 404,
    );
  });
});
