import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { addPoolAccount, poolAccountClients, projectsWithServices, settled } from '../support/provider-pool.js';

// Two services placed in one pool account and region are deleted so that each one's last pass
// sees the other still placed: the first is held (a test hold point) after it has looked and
// before its row goes, while the second looks, finds the first, and goes. The one left is then
// the last in the account region, so the provider VPC must go with it: nothing leaks.
let stack: Stack;
let heldKey: string | undefined;
let reached: () => void = () => undefined;
const holdReached = new Promise<void>((resolve) => (reached = resolve));
let letGo: () => void = () => undefined;
const released = new Promise<void>((resolve) => (letGo = resolve));

before(async () => {
  stack = await startStack(
    { PRIVLINK_RECONCILER_WORKERS: '4' },
    {
      holdReconcileAt: async (point, key) => {
        if (point !== 'before-forget-endpoint-service' || key !== heldKey) return;
        reached();
        await released;
      },
    },
  );
});
after(async () => {
  letGo();
  await stack?.close();
});

test('two services of one account deleted at once: the last to go releases the provider VPC', async () => {
  await addPoolAccount(stack, 'race');
  const [first, second] = await projectsWithServices(stack, 'delete-race', 2);
  assert.deepEqual(
    (await settled(stack, [first!, second!], 30_000)).map((s) => s.status),
    ['AVAILABLE', 'AVAILABLE'],
  );
  const pathOf = (s: { projectId: string; serviceId: string }) => `/api/atlas/v2/groups/${s.projectId}/privateEndpoint/AWS/endpointService/${s.serviceId}`;
  const account = await poolAccountClients(stack, 'race');
  try {
    assert.equal((await account.providerVpcs()).length, 1, 'both services share the account region’s provider VPC');

    heldKey = first!.serviceId;
    assert.equal((await stack.owner.delete(pathOf(first!))).status, 202);
    await Promise.race([holdReached, new Promise((_, reject) => setTimeout(() => reject(new Error('the first service never reached its last pass')), 30_000))]);
    // The first has seen the second placed, and waits; the second now sees the first, and goes.
    assert.equal((await stack.owner.delete(pathOf(second!))).status, 202);
    await until(
      () => stack.owner.get(pathOf(second!)),
      (r) => r.status === 404,
      30_000,
    );
    assert.equal((await account.providerVpcs()).length, 1, 'the first service is still placed there');
    letGo();
    await until(
      () => stack.owner.get(pathOf(first!)),
      (r) => r.status === 404,
      30_000,
    );
    assert.deepEqual(await account.providerVpcs(), [], 'the provider VPC went with the last service');
    assert.deepEqual(await account.loadBalancers(), []);
  } finally {
    account.close();
  }
});
