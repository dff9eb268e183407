import assert from 'node:assert/strict';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { FAST_RECOVERY_ENV, restart, waitForDeath } from '../support/crash-restarts.js';
import { until } from '../support/full-stack.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The server as a child process with a pool of one account (the local cloud's second account,
// added by its access key), killed with SIGKILL right after a service was placed and right after
// its load balancer was made, then restarted on the same store: the service converges in the
// account it was placed in, with one load balancer in one provider VPC, and deleting it leaves no
// VPC and no load balancer behind.

function owner(server: ServerProcess): AtlasClient {
  return new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey });
}

async function poolView(server: ServerProcess) {
  const config = { endpoint: server.localCloudUrl!, region: 'us-east-1', maxAttempts: 1, credentials: server.bootstrap.localCloud!.customer };
  const ec2 = new EC2Client(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  try {
    const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:privlink:provider-vpc', Values: ['us-east-1'] }] }))).Vpcs ?? [];
    const balancers = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    return { vpcs: vpcs.map((v) => v.VpcId!), balancers };
  } finally {
    ec2.destroy();
    elb.destroy();
  }
}

describe('crash during placement', () => {
  for (const point of ['after-place-endpoint-service', 'after-create-endpoint-service']) {
    test(`SIGKILL at ${point}: after restart the service is AVAILABLE in its account; deleting it leaves no orphan VPC or load balancer`, async () => {
      const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: point } });
      let second: ServerProcess | undefined;
      try {
        const before = owner(first);
        const keys = first.bootstrap.localCloud!.customer;
        const added = await before.post(`/api/atlas/v2/orgs/${first.bootstrap.orgId}/privlink/providerAccounts`, {
          name: 'pool-a',
          kind: 'ACCESS_KEY',
          accessKeyId: keys.accessKeyId,
          secretAccessKey: keys.secretAccessKey,
        });
        assert.equal(added.status, 201, added.text);
        const project = `/api/atlas/v2/groups/${first.bootstrap.projectId}`;
        const created = await before.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
        assert.equal(created.status, 201, created.text);
        const serviceId = (created.json as { id: string }).id;
        before.close();
        assert.equal(await waitForDeath(first), 'SIGKILL');

        second = await restart(first);
        const after = owner(second);
        try {
          const path = `${project}/privateEndpoint/AWS/endpointService/${serviceId}`;
          const available = await until(
            () => after.get(path),
            (r) => ['AVAILABLE', 'FAILED'].includes((r.json as { status: string }).status),
            60_000,
          );
          assert.equal((available.json as { status: string }).status, 'AVAILABLE', available.text);
          const seen = await poolView(second);
          assert.equal(seen.vpcs.length, 1, 'one provider VPC');
          assert.deepEqual(
            seen.balancers.map((lb) => [lb.LoadBalancerName, lb.VpcId]),
            [[`pl-${serviceId}`, seen.vpcs[0]]],
          );
          const capacity = await after.get(`/api/atlas/v2/orgs/${second.bootstrap.orgId}/privlink/capacity`);
          const lines = (capacity.json as { results: Array<{ accountName: string; placements: number }> }).results;
          assert.deepEqual(
            lines.map((l) => [l.accountName, l.placements]),
            [['pool-a', 1]],
          );

          assert.equal((await after.delete(path)).status, 202);
          await until(
            () => after.get(path),
            (r) => r.status === 404,
            60_000,
          );
          const gone = await poolView(second);
          assert.deepEqual(gone.vpcs, []);
          assert.deepEqual(gone.balancers, []);
        } finally {
          after.close();
        }
      } finally {
        await second?.destroy();
        if (!second) await first.destroy();
      }
    });
  }
});
