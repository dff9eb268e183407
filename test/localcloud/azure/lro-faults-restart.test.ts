import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGroup, POLL, rejectsWithCode, startAzure, type AzureHarness } from './harness.js';

describe('Azure long-running operations, faults and restarts', () => {
  let h: AzureHarness;
  before(async () => {
    h = await startAzure({ pageSize: 2 });
  });
  after(async () => h?.close());

  test('PUT answers 201 Updating with Azure-AsyncOperation and Retry-After 0; the operation is Succeeded at once with zero delays', async () => {
    const { provider } = h.cloud.accounts;
    await createGroup(h, provider, 'rg-lro');
    const path = `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-lro/providers/Microsoft.Network/virtualNetworks/v1?api-version=2025-05-01`;
    const created = await h.arm(provider, 'PUT', path, { location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } });
    assert.equal(created.status, 201);
    assert.equal(created.body.properties.provisioningState, 'Updating');
    assert.equal(created.body.id, `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-lro/providers/Microsoft.Network/virtualNetworks/v1`);
    assert.equal(created.body.type, 'Microsoft.Network/virtualNetworks');
    assert.match(created.body.etag, /^W\/"[0-9a-f-]{36}"$/);
    assert.equal(created.headers['retry-after'], '0');
    const operation = String(created.headers['azure-asyncoperation']);
    assert.match(
      operation,
      new RegExp(`^${h.cloud.url}/subscriptions/${provider.subscriptionId}/providers/Microsoft.Network/locations/eastus/operations/[0-9a-f-]{36}\\?api-version=2025-05-01$`),
    );
    const status = await h.arm(provider, 'GET', operation.replace(h.cloud.url, ''));
    assert.equal(status.body.status, 'Succeeded');
    const updated = await h.arm(provider, 'PUT', path, { location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } });
    assert.equal(updated.status, 200);
    const gone = await h.arm(provider, 'DELETE', path);
    assert.equal(gone.status, 202);
    assert.ok(gone.headers['azure-asyncoperation']);
    assert.match(String(gone.headers.location), /\/operationResults\//);
    assert.equal((await h.arm(provider, 'DELETE', path)).status, 204, 'DELETE of what does not exist');
  });

  test('with realistic-like delays the SDK polls until Succeeded, and a second write meanwhile is 409 AnotherOperationInProgress', async () => {
    const { provider } = h.cloud.accounts;
    await h.cloud.setDelays({ networkProvisioning: 30_000 });
    const net = h.network(provider);
    const poller = await net.virtualNetworks.beginCreateOrUpdate('rg-lro', 'slow', { location: 'eastus', addressSpace: { addressPrefixes: ['10.5.0.0/16'] } }, POLL);
    assert.equal(poller.getOperationState().status, 'running');
    const conflict = await rejectsWithCode(
      net.virtualNetworks.beginCreateOrUpdateAndWait('rg-lro', 'slow', { location: 'eastus', addressSpace: { addressPrefixes: ['10.6.0.0/16'] } }, POLL),
      'AnotherOperationInProgress',
      409,
    );
    assert.match(conflict.message, /To retrieve status of the operation use uri: https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/operations\//);
    await rejectsWithCode(net.subnets.beginCreateOrUpdateAndWait('rg-lro', 'slow', 's', { addressPrefix: '10.5.1.0/24' }, POLL), 'AnotherOperationInProgress', 409);
    assert.equal((await net.virtualNetworks.get('rg-lro', 'slow')).provisioningState, 'Updating');
    h.advance(30_000);
    const vnet = await poller.pollUntilDone();
    assert.equal(vnet.provisioningState, 'Succeeded');
    await h.cloud.setDelays('instant');
  });

  test('listings page with nextLink, which the SDK follows', async () => {
    const { provider } = h.cloud.accounts;
    const net = h.network(provider);
    for (const name of ['p1', 'p2', 'p3'])
      await net.virtualNetworks.beginCreateOrUpdateAndWait('rg-lro', name, { location: 'eastus', addressSpace: { addressPrefixes: ['10.9.0.0/16'] } }, POLL);
    const raw = await h.arm(provider, 'GET', `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-lro/providers/Microsoft.Network/virtualNetworks?api-version=2025-05-01`);
    assert.equal(raw.body.value.length, 2);
    assert.match(raw.body.nextLink, /\$skiptoken=/);
    const names = [];
    for await (const vnet of net.virtualNetworks.list('rg-lro')) names.push(vnet.name);
    assert.deepEqual(names, ['slow', 'p1', 'p2', 'p3']);
    const all = [];
    for await (const vnet of net.virtualNetworks.listAll()) all.push(vnet.name);
    assert.equal(all.length, 4);
    // A $skiptoken that names no position (past any a row can have, or not a number) starts the listing over; never a server error.
    for (const skip of ['100000000000000000000', '2147483648', 'x']) {
      const again = await h.arm(
        provider,
        'GET',
        `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-lro/providers/Microsoft.Network/virtualNetworks?api-version=2025-05-01&$skiptoken=${skip}`,
      );
      assert.equal(again.status, 200, skip);
      assert.deepEqual(
        again.body.value.map((v: { name: string }) => v.name),
        raw.body.value.map((v: { name: string }) => v.name),
      );
    }
  });

  test('a throttle fault answers 429 TooManyRequests with Retry-After, which the SDK retries', async () => {
    const { provider } = h.cloud.accounts;
    await h.cloud.setFault('VirtualNetworks_Get', { kind: 'throttle', retryAfterSeconds: 0, times: 1 });
    const raw = await h.arm(
      provider,
      'GET',
      `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-lro/providers/Microsoft.Network/virtualNetworks/p1?api-version=2025-05-01`,
    );
    assert.equal(raw.status, 429);
    assert.equal(raw.body.error.code, 'TooManyRequests');
    assert.equal(raw.headers['retry-after'], '0');
    await h.cloud.setFault('VirtualNetworks_Get', { kind: 'throttle', retryAfterSeconds: 0, times: 2 });
    const vnet = await h.network(provider).virtualNetworks.get('rg-lro', 'p1');
    assert.equal(vnet.name, 'p1');
    await h.cloud.setFault('VirtualNetworks_Get', { kind: 'error', code: 'InternalServerError', message: 'boom', status: 500, times: 1 });
    const failed = await h.arm(
      provider,
      'GET',
      `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-lro/providers/Microsoft.Network/virtualNetworks/p1?api-version=2025-05-01`,
    );
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.body, { error: { code: 'InternalServerError', message: 'boom' } });
    await h.cloud.setFault('VirtualNetworks_Get', null);
  });

  test('a failAsync fault accepts the write, then fails its long-running operation; the resource is left Failed', async () => {
    const { provider } = h.cloud.accounts;
    await h.cloud.setFault('NetworkSecurityGroups_CreateOrUpdate', { kind: 'failAsync', code: 'NetworkSecurityGroupUpdateFailed', message: 'The update failed.', times: 1 });
    const net = h.network(provider);
    await assert.rejects(
      net.networkSecurityGroups.beginCreateOrUpdateAndWait('rg-lro', 'nsg-fails', { location: 'eastus' }, POLL),
      /The long-running operation has failed.*NetworkSecurityGroupUpdateFailed/s,
    );
    assert.equal((await net.networkSecurityGroups.get('rg-lro', 'nsg-fails')).provisioningState, 'Failed');
    const again = await net.networkSecurityGroups.beginCreateOrUpdateAndWait('rg-lro', 'nsg-fails', { location: 'eastus' }, POLL);
    assert.equal(again.provisioningState, 'Succeeded', 'a retried PUT repairs it');
  });

  test('a restart on the same store keeps principals, tokens stay valid, resources remain', async () => {
    const before = h.cloud.accounts;
    await h.restart();
    assert.deepEqual(h.cloud.accounts, before);
    const vnet = await h.network(before.provider).virtualNetworks.get('rg-lro', 'p2');
    assert.deepEqual(vnet.addressSpace?.addressPrefixes, ['10.9.0.0/16']);
    const groups = await h.arm(before.provider, 'GET', `/subscriptions/${before.provider.subscriptionId}/resourcegroups/rg-lro?api-version=2021-04-01`);
    assert.equal(groups.status, 200);
  });
});
