import assert from 'node:assert/strict';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { until } from '../support/full-stack.js';
import { startServer } from '../support/server-process.js';
import { testBackend } from '../support/test-store.js';

// Several privlink processes on one store. On PostgreSQL they share the work: requests to either
// API, reconciled by either process (leases, SKIP LOCKED, LISTEN/NOTIFY), with no resource made
// twice. On PGlite a second process on the same data directory is refused, clearly.
if (testBackend() === 'postgres') {
  test('two replicas on one PostgreSQL database share the work without duplicates', async () => {
    const first = await startServer({ env: { PRIVLINK_RECONCILER_WORKERS: '2' } });
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      // The second replica runs no local cloud of its own: it drives the first one's.
      second = await startServer({
        location: first.location,
        dataDir: first.dataDir,
        args: ['--no-localcloud'],
        env: { PRIVLINK_AWS_ENDPOINT: first.localCloudUrl!, PRIVLINK_RECONCILER_WORKERS: '2' },
      });
      const viaFirst = new AtlasClient({ baseUrl: first.apiUrl, publicKey: first.bootstrap.publicKey, privateKey: first.bootstrap.privateKey });
      const viaSecond = new AtlasClient({ baseUrl: second.apiUrl, publicKey: first.bootstrap.publicKey, privateKey: first.bootstrap.privateKey });
      const project = `/api/atlas/v2/groups/${first.bootstrap.projectId}`;
      const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];
      const ids = [];
      for (const [i, region] of regions.entries()) {
        const client = i % 2 === 0 ? viaFirst : viaSecond;
        const res = await client.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region });
        assert.equal(res.status, 201, res.text);
        ids.push((res.json as { id: string }).id);
      }
      // A duplicate sent to the other replica is still a 409: the rule holds across processes.
      assert.equal((await viaSecond.post(`${project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' })).status, 409);
      for (const id of ids) {
        const client = Math.random() < 0.5 ? viaFirst : viaSecond;
        await until(
          () => client.get(`${project}/privateEndpoint/AWS/endpointService/${id}`),
          (r) => (r.json as { status: string }).status === 'AVAILABLE',
          60_000,
        );
      }
      for (const region of regions) {
        const elb = new ElasticLoadBalancingV2Client({ endpoint: first.localCloudUrl!, region, maxAttempts: 1, credentials: first.bootstrap.localCloud!.provider });
        const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
        elb.destroy();
        assert.equal(lbs.length, 1, `${region}: exactly one load balancer`);
      }
      viaFirst.close();
      viaSecond.close();
    } finally {
      await second?.stop();
      await first.destroy();
    }
  });
} else {
  test('a second process on the same PGlite data directory refuses to start, saying why', async () => {
    const first = await startServer();
    try {
      await assert.rejects(
        startServer({ location: first.location, dataDir: first.dataDir }),
        (error: Error) => /is in use by another privlink process \(pid \d+\)/.test(error.message) && /DATABASE_URL/.test(error.message),
      );
      // The first one is unaffected.
      const client = new AtlasClient({ baseUrl: first.apiUrl, publicKey: first.bootstrap.publicKey, privateKey: first.bootstrap.privateKey });
      assert.equal((await client.get(`/api/atlas/v2/groups/${first.bootstrap.projectId}`)).status, 200);
      client.close();
    } finally {
      await first.destroy();
    }
  });
}
