import assert from 'node:assert/strict';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { FAST_RECOVERY_ENV, restart, waitForDeath } from '../support/crash-restarts.js';
import { until } from '../support/full-stack.js';
import { addAccessKeyPoolAccount, accountClients, prepareLocalCloudPoolAccounts } from '../support/provider-pool.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { newStoreLocation } from '../support/test-store.js';

// The server as a child process with a pool of one account (the local cloud's second account,
// added by its access key), killed with SIGKILL right after a service was placed and right after
// its load balancer was made, then restarted on the same store: the service converges in the
// account it was placed in, with one load balancer in one provider VPC, and deleting it leaves no
// VPC and no load balancer behind. Then a pool of three local-cloud accounts and several projects
// placed at once, killed in the middle of their placements: every service converges in one
// account, in that account's provider VPC, and deleting them all leaves every account empty.

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
        await addAccessKeyPoolAccount(before, first.bootstrap.orgId, 'pool-a', keys);
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
        // The store is the first process's: destroying it drops the store (the restarted one only borrowed it).
        await second?.stop();
        await first.destroy();
      }
    });
  }
});

describe('crash during placement on a pool of three accounts', () => {
  test('SIGKILL while six projects are placed: after restart all AVAILABLE, each in one account and its provider VPC; deleting them all leaves no VPC or load balancer', async () => {
    const pool = ['pool-a', 'pool-b', 'pool-c'];
    const store = await newStoreLocation();
    const keys = await prepareLocalCloudPoolAccounts(store.location, pool);
    // Services are made with the reconciler off, so the next process places them all at once.
    const first = await startServer({ location: store.location, env: { PRIVLINK_RECONCILER: 'off' } });
    let crashed: ServerProcess | undefined;
    let last: ServerProcess | undefined;
    const services: Array<{ projectId: string; serviceId: string }> = [];
    try {
      const api = owner(first);
      try {
        for (const name of pool) {
          const added = await api.post(`/api/atlas/v2/orgs/${first.bootstrap.orgId}/privlink/providerAccounts`, { name, kind: 'LOCAL_CLOUD' });
          assert.equal(added.status, 201, added.text);
        }
        for (let i = 0; i < 6; i++) {
          const project = await api.post('/api/atlas/v2/groups', { name: `crash-pool-${i}`, orgId: first.bootstrap.orgId });
          assert.equal(project.status, 201, project.text);
          const projectId = (project.json as { id: string }).id;
          const created = await api.post(`/api/atlas/v2/groups/${projectId}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
          assert.equal(created.status, 201, created.text);
          services.push({ projectId, serviceId: (created.json as { id: string }).id });
          // A project region holds one endpoint service (Atlas's rule): a second one is refused, never placed elsewhere.
          const second = await api.post(`/api/atlas/v2/groups/${projectId}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
          assert.equal((second.json as { errorCode: string }).errorCode, 'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION', second.text);
        }
      } finally {
        api.close();
      }
      await first.stop();

      // Six workers place the six services at once; the process dies right after the third placement.
      crashed = await startServer({
        location: store.location,
        dataDir: first.dataDir,
        env: { ...FAST_RECOVERY_ENV, PRIVLINK_RECONCILER_WORKERS: '6', PRIVLINK_TEST_CRASH_AT: 'after-place-endpoint-service:3' },
      });
      assert.equal(await waitForDeath(crashed), 'SIGKILL');

      last = await restart(crashed);
      const after = owner(last);
      const clients = new Map(pool.map((name) => [name, accountClients(last!.localCloudUrl!, keys.get(name)!)]));
      try {
        for (const s of services) {
          const res = await until(
            () => after.get(`/api/atlas/v2/groups/${s.projectId}/privateEndpoint/AWS/endpointService/${s.serviceId}`),
            (r) => ['AVAILABLE', 'FAILED'].includes((r.json as { status: string }).status),
            90_000,
          );
          assert.equal((res.json as { status: string }).status, 'AVAILABLE', res.text);
        }
        // Placements as the capacity report shows them: most room left first, so two per account.
        const capacity = await after.get(`/api/atlas/v2/orgs/${last.bootstrap.orgId}/privlink/capacity`);
        const lines = (capacity.json as { results: Array<{ accountName: string; placements: number }> }).results;
        assert.deepEqual(lines.map((l) => [l.accountName, l.placements]).sort(), [
          ['pool-a', 2],
          ['pool-b', 2],
          ['pool-c', 2],
        ]);
        // Each service's load balancer exists once, in the account the report counts it in, inside that account's one provider VPC.
        const seen: string[] = [];
        for (const [name, account] of clients) {
          const vpcs = await account.providerVpcs();
          assert.equal(vpcs.length, 1, `one provider VPC in ${name}`);
          const balancers = await account.loadBalancers();
          assert.equal(balancers.length, lines.find((l) => l.accountName === name)!.placements, `load balancers of ${name}`);
          for (const lb of balancers) assert.equal(lb.VpcId, vpcs[0], `${lb.LoadBalancerName} is in the provider VPC of ${name}`);
          seen.push(...balancers.map((lb) => lb.LoadBalancerName!));
        }
        assert.deepEqual(seen.sort(), services.map((s) => `pl-${s.serviceId}`).sort());

        for (const s of services) {
          assert.equal((await after.delete(`/api/atlas/v2/groups/${s.projectId}/privateEndpoint/AWS/endpointService/${s.serviceId}`)).status, 202);
        }
        for (const s of services) {
          await until(
            () => after.get(`/api/atlas/v2/groups/${s.projectId}/privateEndpoint/AWS/endpointService/${s.serviceId}`),
            (r) => r.status === 404,
            90_000,
          );
        }
        for (const [name, account] of clients) {
          assert.deepEqual(await account.nonDefaultVpcs(), [], `no VPC but the default one left in ${name}`);
          assert.deepEqual(await account.loadBalancers(), [], `no load balancer left in ${name}`);
        }
      } finally {
        for (const account of clients.values()) account.close();
        after.close();
      }
    } finally {
      if (last) await last.destroy();
      else if (crashed) await crashed.destroy();
      else await first.destroy();
      await store.drop();
    }
  });
});
