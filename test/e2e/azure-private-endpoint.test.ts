import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectContract } from '../support/atlas-contract.js';
import { customerAzurePrivateEndpoint, startStack, until, type Stack } from '../support/full-stack.js';
import { scrape } from '../support/prometheus-scrape.js';

// An Azure private endpoint end to end against the local cloud's Azure Resource Manager: the
// Admin API answers in Atlas's Azure shapes, the reconciler drives the Azure adapter (official
// SDK) to a private link service, the customer makes a private endpoint with the official SDK
// (examples/azure/create-private-endpoint.mjs, ordinary code), registers it, and privlink approves
// the connection.
let stack: Stack;
let serviceId: string;
let plsId: string;
let registered: { id: string; privateEndpointIPAddress: string };
/** The ARM calls the reconciler's adapter sends (method and resource type), counted on its SDK clients. */
const calls: string[] = [];
const LB = 'GET Microsoft.Network/loadBalancers';
const PLS = 'GET Microsoft.Network/privateLinkServices';
/** Reconcile passes of `kind` ended so far (the server's own metrics). */
const passes = async (kind: string) => (await scrape(stack.running.apiUrl)).value('privlink_reconcile_passes_total', { kind });
/** Lets a pass a cloud change may have started meanwhile end before its calls are counted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));

before(async () => {
  stack = await startStack({}, { onProviderCall: (_provider, operation) => calls.push(operation) });
});

after(async () => {
  await stack?.close();
});

/** Runs the example script as a customer would, with the local cloud's customer principal. */
function customerPrivateEndpoint(args: string[]): Promise<{ id: string; privateEndpointIPAddress: string }> {
  return customerAzurePrivateEndpoint(stack, args);
}

describe('Azure endpoint service', () => {
  test('create answers 201 INITIATING in the recorded Azure shape, then AVAILABLE with the private link service', async () => {
    const passesBefore = await passes('endpoint-service');
    calls.length = 0;
    const res = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AZURE', region: 'eastus2' });
    assert.equal(res.status, 201, res.text);
    expectContract(res, 'POST', '/endpointService', 201);
    const body = res.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), [
      'cloudProvider',
      'errorMessage',
      'id',
      'privateEndpoints',
      'privateLinkServiceName',
      'privateLinkServiceResourceId',
      'regionName',
      'status',
    ]);
    assert.deepEqual(
      { ...body, id: undefined },
      {
        cloudProvider: 'AZURE',
        errorMessage: null,
        id: undefined,
        privateEndpoints: [],
        privateLinkServiceName: null,
        privateLinkServiceResourceId: null,
        regionName: 'US_EAST_2',
        status: 'INITIATING',
      },
    );
    serviceId = String(body.id);
    const ready = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    expectContract(ready, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}', 200);
    // The pass that made it took the private link service as its operation ended (the SDK's read of
    // it) and the load balancer as its own did for its look at the service: every read of the load
    // balancer after the private link service's operation is another pass's (one a cloud change
    // may start), none the making pass's.
    await settle();
    const made = calls.slice(calls.indexOf('PUT Microsoft.Network/privateLinkServices'));
    assert.deepEqual(made.slice(0, 3), ['PUT Microsoft.Network/privateLinkServices', 'GET Microsoft.Network/locations', PLS], calls.join(', '));
    assert.equal(made.filter((c) => c === LB).length, (await passes('endpoint-service')) - passesBefore - 1, calls.join(', '));
    const service = ready.json as { privateLinkServiceName: string; privateLinkServiceResourceId: string };
    assert.equal(service.privateLinkServiceName, `pls_${serviceId}`);
    assert.match(
      service.privateLinkServiceResourceId,
      new RegExp(
        `^/subscriptions/${stack.bootstrap.localCloud!.azure!.provider.subscriptionId}/resourceGroups/rg_${serviceId}_[0-9a-f]{8}/providers/Microsoft.Network/privateLinkServices/pls_${serviceId}$`,
      ),
    );
    plsId = service.privateLinkServiceResourceId;
    const list = await stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService`);
    expectContract(list, 'GET', '/{cloudProvider}/endpointService', 200);
    assert.deepEqual(
      (list.json as Array<{ id: string }>).map((s) => s.id),
      [serviceId],
    );
  });

  test('a second Azure service in the region is 409, with the Azure provider named', async () => {
    const res = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AZURE', region: 'US_EAST_2' });
    assert.equal(res.status, 409);
    assert.deepEqual((res.json as { parameters: string[] }).parameters, ['AZURE', 'US_EAST_2']);
  });
});

describe('Azure private endpoint', () => {
  test('malformed resource ids and IPs get 400s', async () => {
    const post = (body: unknown) => stack.owner.post(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint`, body);
    const id = `/subscriptions/${stack.bootstrap.localCloud!.azure!.customer.subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas`;
    const code = async (body: unknown) => ((await post(body)).json as { errorCode: string }).errorCode;
    assert.equal(await code({ id: 'vpce-00713b5e644e830a3', privateEndpointIPAddress: '10.1.0.4' }), 'INVALID_ATTRIBUTE');
    assert.equal(await code({ id }), 'MISSING_ATTRIBUTE');
    assert.equal(await code({ id, privateEndpointIPAddress: '10.1.0.400' }), 'INVALID_ATTRIBUTE');
    assert.equal(await code({ id, privateEndpointIPAddress: 'ten' }), 'INVALID_ATTRIBUTE');
  });

  test('the customer makes a private endpoint with the Azure SDK, registers it; privlink approves it → AVAILABLE', async () => {
    registered = await customerPrivateEndpoint(['--private-link-service-id', plsId, '--location', 'eastus2']);
    assert.match(registered.privateEndpointIPAddress, /^10\.1\.0\.\d+$/);
    const passesBefore = await passes('interface-endpoint');
    calls.length = 0;
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint`, registered);
    assert.equal(created.status, 201, created.text);
    expectContract(created, 'POST', '/{cloudProvider}/endpointService/{endpointServiceId}/endpoint', 201);
    assert.deepEqual(created.json, {
      cloudProvider: 'AZURE',
      deleteRequested: false,
      errorMessage: null,
      privateEndpointConnectionName: null,
      privateEndpointIPAddress: registered.privateEndpointIPAddress,
      privateEndpointResourceId: registered.id,
      status: 'INITIATING',
    });
    const path = `${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint/${encodeURIComponent(registered.id)}`;
    const available = await until(
      () => stack.owner.get(path),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    expectContract(available, 'GET', '/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}', 200);
    // One approval, and one read of the private link service per pass of the endpoint: the pass
    // that approved took the approval's answer for the connection's state, without a second read.
    // (A service pass reads the load balancer beside it; a cloud change may start another pass.)
    await settle();
    assert.equal(calls.filter((c) => c.startsWith('PUT')).length, 1, calls.join(', '));
    assert.equal(calls.filter((c) => c === PLS).length - calls.filter((c) => c === LB).length, (await passes('interface-endpoint')) - passesBefore, calls.join(', '));
    const endpoint = available.json as { privateEndpointConnectionName: string; status: string };
    assert.ok(endpoint.privateEndpointConnectionName, 'the connection name Azure shows');
    const service = (await stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}`)).json as { privateEndpoints: string[] };
    assert.deepEqual(service.privateEndpoints, [registered.id]);
  });

  test('an endpoint never connected to this service ends FAILED, saying why', async () => {
    const id = `/subscriptions/${stack.bootstrap.localCloud!.azure!.customer.subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/never-made`;
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint`, { id, privateEndpointIPAddress: '10.1.0.99' });
    assert.equal(created.status, 201, created.text);
    const failed = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint/${encodeURIComponent(id)}`),
      (r) => (r.json as { status: string }).status === 'FAILED',
    );
    assert.match((failed.json as { errorMessage: string }).errorMessage, /was not found: no private endpoint with this id requests a connection to pls_/);
    const deleted = await stack.owner.delete(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint/${encodeURIComponent(id)}`);
    assert.equal(deleted.status, 204);
  });

  test('deleting the registration rejects the connection; deleting the service removes the private link service', async () => {
    const path = `${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}/endpoint/${encodeURIComponent(registered.id)}`;
    assert.equal((await stack.owner.delete(path)).status, 204);
    await until(
      () => stack.owner.get(path),
      (r) => r.status === 404,
    );
    assert.equal((await stack.owner.delete(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}`)).status, 202);
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService/${serviceId}`),
      (r) => r.status === 404,
    );
  });
});
