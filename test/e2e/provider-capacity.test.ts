import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { GetRequestedServiceQuotaChangeCommand, GetServiceQuotaCommand, RequestServiceQuotaIncreaseCommand } from '@aws-sdk/client-service-quotas';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { addPoolAccount, drainPoolAccount, poolAccountClients, projectsWithServices, settled } from '../support/provider-pool.js';

// One pool account under AWS's default quota of 50 network load balancers per region: the 51st
// project region is FAILED at once with the quota error, then an approved increase, an account
// added at runtime, a drained account and the provider VPC's removal, seen through the local
// cloud's own EC2, ELBv2 and Service Quotas APIs with the pool accounts' keys.
let stack: Stack;
before(async () => {
  stack = await startStack({ PRIVLINK_RECONCILER_WORKERS: '8' });
});
after(async () => stack?.close());

async function events(projectId: string): Promise<Array<{ eventTypeName: string; errorMessage?: string | null; targetId: string }>> {
  const res = await stack.owner.get(`/api/atlas/v2/groups/${projectId}/events`);
  return (res.json as { results: Array<{ eventTypeName: string; errorMessage?: string | null; targetId: string }> }).results;
}

describe('provider account pool and quotas', () => {
  let first: Array<{ projectId: string; serviceId: string }> = [];

  test('a pool of one account holds 50 services; the 51st is FAILED at once with the quota, the region and the remedy, and an event', async () => {
    await addPoolAccount(stack, 'acct-1');
    first = await projectsWithServices(stack, 'full', 50);
    const statuses = await settled(stack, first);
    assert.deepEqual(
      statuses.filter((s) => s.status !== 'AVAILABLE'),
      [],
    );
    const acct1 = await poolAccountClients(stack, 'acct-1');
    try {
      const [vpc] = await acct1.providerVpcs();
      assert.ok(vpc, 'the account has a provider VPC in us-east-1');
      const balancers = await acct1.loadBalancers();
      assert.equal(balancers.length, 50);
      assert.ok(
        balancers.every((lb) => lb.VpcId === vpc),
        'every load balancer lives in the provider VPC',
      );
      const subnets = (await acct1.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc] }] }))).Subnets ?? [];
      assert.ok(subnets.length >= 2, 'the provider VPC has subnets in several availability zones');
    } finally {
      acct1.close();
    }
    const [over] = await projectsWithServices(stack, 'over', 1);
    const [failed] = await settled(stack, [over!], 10_000);
    assert.equal(failed!.status, 'FAILED');
    assert.match(failed!.errorMessage!, /L-69A177A2/);
    assert.match(failed!.errorMessage!, /Network Load Balancers per Region/);
    assert.match(failed!.errorMessage!, /us-east-1/);
    assert.match(failed!.errorMessage!, /50 of 50/);
    assert.match(failed!.errorMessage!, /privlink admin provider-accounts add/);
    assert.match(failed!.errorMessage!, /request-service-quota-increase/);
    const feed = await events(over!.projectId);
    assert.ok(feed.some((e) => e.eventTypeName === 'ENDPOINT_SERVICE_FAILED' && e.targetId === over!.serviceId && /L-69A177A2/.test(e.errorMessage ?? '')));
    // Never a retry loop: it stays FAILED.
    await new Promise((r) => setTimeout(r, 1000));
    const again = await stack.owner.get(`/api/atlas/v2/groups/${over!.projectId}/privateEndpoint/AWS/endpointService/${over!.serviceId}`);
    assert.equal((again.json as { status: string }).status, 'FAILED');
  });

  test('a quota increase approved later lets a new service in', async () => {
    await stack.running.localCloud!.setQuotaApprovalDelay(500);
    const acct1 = await poolAccountClients(stack, 'acct-1');
    try {
      const quota = await acct1.quotas.send(new GetServiceQuotaCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2' }));
      assert.equal(quota.Quota?.Value, 50, "AWS's default quota");
      const asked = await acct1.quotas.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'elasticloadbalancing', QuotaCode: 'L-69A177A2', DesiredValue: 51 }));
      assert.equal(asked.RequestedQuota?.Status, 'CASE_OPENED');
      const deadline = Date.now() + 10_000;
      for (;;) {
        const change = await acct1.quotas.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: asked.RequestedQuota!.Id! }));
        if (change.RequestedQuota?.Status === 'APPROVED') break;
        assert.ok(Date.now() < deadline, 'the increase is approved');
        await new Promise((r) => setTimeout(r, 100));
      }
      const [later] = await projectsWithServices(stack, 'after-increase', 1);
      const [status] = await settled(stack, [later!], 20_000);
      assert.equal(status!.status, 'AVAILABLE', status!.errorMessage ?? '');
      assert.equal((await acct1.loadBalancers()).length, 51);
    } finally {
      acct1.close();
    }
  });

  test('an account added at runtime takes new placements; a drained account takes none', async () => {
    await addPoolAccount(stack, 'acct-2');
    const [second] = await projectsWithServices(stack, 'runtime-add', 1);
    assert.equal((await settled(stack, [second!], 20_000))[0]!.status, 'AVAILABLE');
    const acct2 = await poolAccountClients(stack, 'acct-2');
    try {
      const balancers = await acct2.loadBalancers();
      assert.deepEqual(
        balancers.map((lb) => lb.LoadBalancerName),
        [`pl-${second!.serviceId}`],
      );
      assert.equal(balancers[0]!.VpcId, (await acct2.providerVpcs())[0]);
      await drainPoolAccount(stack, 'acct-2');
      const [drained] = await projectsWithServices(stack, 'drained', 1);
      const [status] = await settled(stack, [drained!], 10_000);
      assert.equal(status!.status, 'FAILED', 'acct-1 is full and acct-2 drained');
      assert.equal((await acct2.loadBalancers()).length, 1, 'the drained account took nothing new');
    } finally {
      acct2.close();
    }
    const capacity = await stack.owner.get(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/capacity`);
    assert.equal(capacity.status, 200, capacity.text);
    const lines = (
      capacity.json as {
        results: Array<{
          accountName: string;
          state: string;
          regionName: string;
          placements: number;
          limits: Array<{ quotaCode: string; used: number; quota: number | null; left: number | null }>;
        }>;
      }
    ).results;
    const one = lines.find((l) => l.accountName === 'acct-1' && l.regionName === 'US_EAST_1')!;
    assert.equal(one.placements, 51);
    assert.deepEqual(
      one.limits.find((l) => l.quotaCode === 'L-69A177A2'),
      { serviceCode: 'elasticloadbalancing', quotaCode: 'L-69A177A2', quotaName: 'Network Load Balancers per Region', used: 51, quota: 51, left: 0 },
    );
    assert.equal(lines.find((l) => l.accountName === 'acct-2')!.state, 'DRAINING');
  });

  test("deleting a project region's last service removes the account region's provider VPC", async () => {
    await addPoolAccount(stack, 'acct-3');
    const [only] = await projectsWithServices(stack, 'vpc-lifecycle', 1);
    assert.equal((await settled(stack, [only!], 20_000))[0]!.status, 'AVAILABLE');
    const acct3 = await poolAccountClients(stack, 'acct-3');
    try {
      assert.equal((await acct3.providerVpcs()).length, 1);
      const path = `/api/atlas/v2/groups/${only!.projectId}/privateEndpoint/AWS/endpointService/${only!.serviceId}`;
      assert.equal((await stack.owner.delete(path)).status, 202);
      await until(
        () => stack.owner.get(path),
        (r) => r.status === 404,
      );
      assert.deepEqual(await acct3.providerVpcs(), []);
      assert.deepEqual(await acct3.loadBalancers(), []);
    } finally {
      acct3.close();
    }
  });
});
