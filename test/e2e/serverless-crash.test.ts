import assert from 'node:assert/strict';
import { DescribeVpcEndpointServiceConfigurationsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { promises as dnsPromises } from 'node:dns';
import { MongoClient } from 'mongodb';
import { describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { until } from '../support/full-stack.js';
import { FAST_RECOVERY_ENV, restart, waitForDeath } from '../support/crash-restarts.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The server as a child process, SIGKILLed at the injected points around a serverless private
// endpoint's provider calls (create of its reserved endpoint service, acceptance of the customer's
// connection, delete), then restarted on the same store: the endpoint converges with exactly one
// reserved endpoint service (and one load balancer) per tenant endpoint, and nothing is left after delete.

function clients(server: ServerProcess) {
  const owner = new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey });
  const aws = (account: 'provider' | 'customer') => ({ endpoint: server.localCloudUrl!, region: 'us-east-1', maxAttempts: 1, credentials: server.bootstrap.localCloud![account] });
  return {
    owner,
    endpoints: `/api/atlas/v2/groups/${server.bootstrap.projectId}/privateEndpoint/serverless/instance/Serverless0/endpoint`,
    project: `/api/atlas/v2/groups/${server.bootstrap.projectId}`,
    providerEc2: () => new EC2Client(aws('provider')),
    providerElb: () => new ElasticLoadBalancingV2Client(aws('provider')),
    customerEc2: () => new EC2Client(aws('customer')),
  };
}

/** What the local cloud holds for one serverless private endpoint's reserved service (live resources only). */
async function cloudResources(server: ServerProcess, endpointId: string) {
  const c = clients(server);
  const ec2 = c.providerEc2();
  const elb = c.providerElb();
  try {
    const configs = (
      await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: 'tag:privlink:endpoint-service-id', Values: [endpointId] }] }))
    ).ServiceConfigurations!.filter((s) => s.ServiceState !== 'Deleted');
    const all = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    return { services: configs.length, loadBalancers: all.filter((lb) => lb.LoadBalancerName === `pl-${endpointId}`).length, allLoadBalancers: all.length, configs };
  } finally {
    ec2.destroy();
    elb.destroy();
    c.owner.close();
  }
}

/**
 * Creates the instance and one private endpoint; returns the endpoint's `_id`, or undefined when
 * the process reached its crash point (the reconciler starts on the endpoint as soon as its POST
 * commits) before the POST's answer was sent: the endpoint exists then, and `onlyEndpointId` finds
 * it after the restart.
 */
async function instanceWithEndpoint(server: ServerProcess): Promise<string | undefined> {
  const c = clients(server);
  try {
    const instance = await c.owner.post(`${c.project}/serverless`, { name: 'Serverless0', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } });
    assert.equal(instance.status, 201, instance.text);
    const created = await c.owner.post(c.endpoints, { comment: 'crash' }).catch((error: Error) => {
      if (error.name === 'AtlasNetworkError') return undefined;
      throw error;
    });
    if (!created) return undefined;
    assert.equal(created.status, 201, created.text);
    return (created.json as { _id: string })._id;
  } finally {
    c.owner.close();
  }
}

/** The `_id` of the instance's one private endpoint. */
async function onlyEndpointId(server: ServerProcess): Promise<string> {
  const c = clients(server);
  try {
    const listed = await c.owner.get(c.endpoints);
    assert.equal(listed.status, 200, listed.text);
    const endpoints = listed.json as Array<{ _id: string }>;
    assert.equal(endpoints.length, 1, listed.text);
    return endpoints[0]!._id;
  } finally {
    c.owner.close();
  }
}

async function waitStatus(server: ServerProcess, id: string, done: (status: number, body: { status?: string }) => boolean) {
  const c = clients(server);
  try {
    return await until(
      () => c.owner.get(`${c.endpoints}/${id}`),
      (r) => done(r.status, r.json as { status?: string }),
      30_000,
    );
  } finally {
    c.owner.close();
  }
}

/** The official driver pings the instance through its private SRV string, from inside the customer's VPC. */
async function driverPings(server: ServerProcess): Promise<void> {
  const c = clients(server);
  const instance = await until(
    () => c.owner.get(`${c.project}/serverless/Serverless0`),
    (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
  );
  c.owner.close();
  const srv = (instance.json as { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string }> } }).connectionStrings.privateEndpoint[0]!.srvConnectionString;
  const dns = privateDns(server.dnsPort);
  try {
    const resolver = new dnsPromises.Resolver();
    resolver.setServers([`127.0.0.1:${server.dnsPort}`]);
    const [target] = await resolver.resolveSrv(`_mongodb._tcp.${srv.replace('mongodb+srv://', '')}`);
    const [address] = await resolver.resolve4(target!.name);
    const clientAddress = `${address!.split('.').slice(0, 3).join('.')}.250`;
    // A restarted process serves the API before its data plane has re-bound every endpoint
    // listener (the worker converges on its first snapshot): a refused connection in those
    // moments is retried, for up to 20 s, with a fresh client.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const client = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 8000 });
      try {
        assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
        break;
      } catch (error) {
        if (!/ECONNREFUSED/.test(String((error as Error).message)) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      } finally {
        await client.close();
      }
    }
  } finally {
    dns.restore();
  }
}

describe('crash while reserving the endpoint service', () => {
  for (const point of ['before-create-endpoint-service', 'after-create-endpoint-service']) {
    test(`SIGKILL at ${point}: after restart the endpoint is RESERVED, its service made exactly once`, async () => {
      const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: point } });
      let second: ServerProcess | undefined;
      try {
        const answered = await instanceWithEndpoint(first);
        assert.equal(await waitForDeath(first), 'SIGKILL');
        assert.match(first.output(), new RegExp(`crash point ${point} reached`));
        second = await restart(first);
        const id = answered ?? (await onlyEndpointId(second));
        const reserved = await waitStatus(second, id, (_s, b) => b.status === 'RESERVED');
        const cloud = await cloudResources(second, id);
        assert.equal(cloud.services, 1, 'exactly one VPC endpoint service');
        assert.equal(cloud.loadBalancers, 1, 'exactly one network load balancer');
        assert.equal(cloud.allLoadBalancers, 1, 'no other load balancer leaked');
        assert.equal((reserved.json as { endpointServiceName: string }).endpointServiceName, cloud.configs[0]!.ServiceName);
      } finally {
        await second?.stop();
        await first.destroy();
      }
    });
  }
});

describe('crash while accepting and while deleting', () => {
  test('SIGKILL after accepting the connection, then after deleting the service: AVAILABLE after restart, then 404 with nothing left', async () => {
    const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: 'after-accept-connection' } });
    let second: ServerProcess | undefined;
    let third: ServerProcess | undefined;
    try {
      const id = await instanceWithEndpoint(first);
      assert.ok(id, 'the crash point of this test comes after the endpoint is reserved');
      const reserved = await waitStatus(first, id, (_s, b) => b.status === 'RESERVED');
      const c = clients(first);
      const ec2 = c.customerEc2();
      const vpce = await customerEndpoint(ec2, (reserved.json as { endpointServiceName: string }).endpointServiceName, { openToVpc: true });
      ec2.destroy();
      assert.equal((await c.owner.patch(`${c.endpoints}/${id}`, { providerName: 'AWS', cloudProviderEndpointId: vpce })).status, 200);
      c.owner.close();
      assert.equal(await waitForDeath(first), 'SIGKILL');
      second = await restart(first, { PRIVLINK_TEST_CRASH_AT: 'after-delete-endpoint-service' });
      await waitStatus(second, id, (_s, b) => b.status === 'AVAILABLE');
      assert.equal((await cloudResources(second, id)).services, 1);
      // The restarted process runs the front end on a new port; the endpoint's listener follows it.
      await driverPings(second);
      const c2 = clients(second);
      assert.equal((await c2.owner.delete(`${c2.endpoints}/${id}`)).status, 204);
      c2.owner.close();
      assert.equal(await waitForDeath(second), 'SIGKILL');
      third = await restart(first);
      await waitStatus(third, id, (status) => status === 404);
      const cloud = await cloudResources(third, id);
      assert.deepEqual([cloud.services, cloud.loadBalancers], [0, 0]);
    } finally {
      await third?.stop();
      await second?.stop();
      await first.destroy();
    }
  });
});
