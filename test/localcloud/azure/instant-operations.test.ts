import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createGroup, startAzure, type AzureHarness } from './harness.js';

const DAY_MS = 24 * 3_600_000;

describe('Azure long-running operations with no delay', () => {
  let h: AzureHarness;
  const customer = () => h.cloud.accounts.customer;
  const vnetPath = (name: string) =>
    `/subscriptions/${customer().subscriptionId}/resourceGroups/rg-instant/providers/Microsoft.Network/virtualNetworks/${name}?api-version=2024-05-01`;
  const count = async (query: string) => Number((await sql.raw<{ n: string }>(query).execute(h.testStore.store.db)).rows[0]!.n);
  const pending = () =>
    count(`select (select count(*) from lc_azure_resources where next_state_at is not null) + (select count(*) from lc_azure_operations where status = 'InProgress') as n`);

  before(async () => {
    h = await startAzure();
    await createGroup(h, customer(), 'rg-instant');
  });
  after(async () => h?.close());

  test('a PUT is answered Updating with its operation, and leaves nothing for a later request to finish', async () => {
    const put = await h.arm(customer(), 'PUT', vnetPath('v1'), { location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] } } });
    assert.equal(put.status, 201);
    assert.equal(put.body.properties.provisioningState, 'Updating');
    assert.ok(put.headers['azure-asyncoperation']);
    assert.equal(await pending(), 0, 'nothing stored as running or due');
    const op = await h.arm(customer(), 'GET', new URL(String(put.headers['azure-asyncoperation'])).pathname + '?api-version=2024-05-01');
    assert.deepEqual([op.status, op.body.status], [200, 'Succeeded']);
    const got = await h.arm(customer(), 'GET', vnetPath('v1'));
    assert.equal(got.body.properties.provisioningState, 'Succeeded');
  });

  test('a DELETE is done when it is answered: the resource is gone from the store', async () => {
    const del = await h.arm(customer(), 'DELETE', vnetPath('v1'));
    assert.equal(del.status, 202);
    assert.equal(await count(`select count(*) as n from lc_azure_resources where name = 'v1'`), 0);
    assert.equal(await pending(), 0);
    const op = await h.arm(customer(), 'GET', new URL(String(del.headers['azure-asyncoperation'])).pathname + '?api-version=2024-05-01');
    assert.equal(op.body.status, 'Succeeded');
    assert.equal((await h.arm(customer(), 'GET', vnetPath('v1'))).status, 404);
  });

  test('finished operations are forgotten once their day has passed, by the next request', async () => {
    assert.ok((await count('select count(*) as n from lc_azure_operations')) >= 2);
    const list = `/subscriptions/${customer().subscriptionId}/resourceGroups/rg-instant/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01`;
    h.advance(DAY_MS - 60_000);
    assert.equal((await h.arm(customer(), 'GET', list)).status, 200);
    assert.ok((await count('select count(*) as n from lc_azure_operations')) >= 2, 'kept within the day');
    h.advance(120_000);
    assert.equal((await h.arm(customer(), 'GET', list)).status, 200);
    assert.equal(await count('select count(*) as n from lc_azure_operations'), 0);
  });
});
