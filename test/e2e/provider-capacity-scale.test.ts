import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { startStack, type Stack } from '../support/full-stack.js';
import { addPoolAccount, poolAccountClients, projectsWithServices, settled } from '../support/provider-pool.js';

// 120 projects, one AWS endpoint service each in us-east-1, on a pool of three local-cloud
// accounts that keep AWS's default quotas (50 network load balancers, 5 VPCs per region): all
// AVAILABLE, each account under its quota, each load balancer in its account's provider VPC.
let stack: Stack;
before(async () => {
  stack = await startStack({ PRIVLINK_RECONCILER_WORKERS: '8' });
});
after(async () => stack?.close());

test('120 projects × one service in us-east-1 are all AVAILABLE on a pool of three accounts under default quotas', async () => {
  for (const name of ['scale-1', 'scale-2', 'scale-3']) await addPoolAccount(stack, name);
  const services = await projectsWithServices(stack, 'scale', 120, 'us-east-1', 12);
  const statuses = await settled(stack, services, 600_000);
  assert.deepEqual(
    statuses.filter((s) => s.status !== 'AVAILABLE'),
    [],
  );
  const placed = new Set<string>();
  for (const name of ['scale-1', 'scale-2', 'scale-3']) {
    const account = await poolAccountClients(stack, name);
    try {
      const quota = await account.quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2' }));
      assert.equal(quota.Quota?.Value, 50, 'no quota was raised');
      const vpcs = await account.providerVpcs();
      assert.equal(vpcs.length, 1, `${name} has one provider VPC in us-east-1`);
      const balancers = await account.loadBalancers();
      assert.ok(balancers.length <= 50 && balancers.length >= 20, `${name} holds ${balancers.length} load balancers`);
      assert.ok(balancers.every((lb) => lb.VpcId === vpcs[0]));
      for (const lb of balancers) placed.add(lb.LoadBalancerName!);
    } finally {
      account.close();
    }
  }
  assert.deepEqual([...placed].sort(), services.map((s) => `pl-${s.serviceId}`).sort(), 'every service has its load balancer in exactly one account');
});
