import assert from 'node:assert/strict';
import { DescribeVpcEndpointConnectionsCommand, DescribeVpcEndpointServiceConfigurationsCommand, DescribeVpcEndpointServicesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { until } from '../support/full-stack.js';
import { FAST_RECOVERY_ENV, restart, waitForDeath } from '../support/crash-restarts.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The server as a child process, killed with SIGKILL at injected points between a provider call
// and the commit of its result (and at random moments), then restarted on the same store:
// everything converges, and the local cloud holds exactly one load balancer and one endpoint
// service per privlink endpoint service — nothing leaked, nothing made twice.

function clients(server: ServerProcess) {
  const owner = new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey });
  const aws = (account: 'provider' | 'customer', region = 'us-east-1') => ({
    endpoint: server.localCloudUrl!,
    region,
    maxAttempts: 1,
    credentials: server.bootstrap.localCloud![account],
  });
  return {
    owner,
    project: `/api/atlas/v2/groups/${server.bootstrap.projectId}`,
    providerEc2: (region?: string) => new EC2Client(aws('provider', region)),
    providerElb: (region?: string) => new ElasticLoadBalancingV2Client(aws('provider', region)),
    customerEc2: () => new EC2Client(aws('customer')),
  };
}

/** What the local cloud holds for one privlink endpoint service (live resources only). */
async function cloudResources(server: ServerProcess, serviceId: string, region = 'us-east-1') {
  const c = clients(server);
  const ec2 = c.providerEc2(region);
  const elb = c.providerElb(region);
  try {
    const configs = (
      await ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: [{ Name: 'tag:privlink:endpoint-service-id', Values: [serviceId] }] }))
    ).ServiceConfigurations!.filter((s) => s.ServiceState !== 'Deleted');
    const lbs = ((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).filter((lb) => lb.LoadBalancerName === `pl-${serviceId}`);
    const allLbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const groups = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    return { services: configs.length, loadBalancers: lbs.length, allLoadBalancers: allLbs.length, targetGroups: groups.length, configs };
  } finally {
    ec2.destroy();
    elb.destroy();
  }
}

async function serviceStatus(server: ServerProcess, serviceId: string) {
  const c = clients(server);
  try {
    return await until(
      () => c.owner.get(`${c.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
      (r) => r.status === 404 || (r.json as { status?: string }).status === 'AVAILABLE',
      30_000,
    );
  } finally {
    c.owner.close();
  }
}

describe('crash during create', () => {
  for (const point of ['before-create-endpoint-service', 'after-create-endpoint-service']) {
    test(`SIGKILL at ${point}: after restart the service is AVAILABLE, made exactly once`, async () => {
      const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: point } });
      let second: ServerProcess | undefined;
      try {
        const c = clients(first);
        const created = await c.owner.post(`${c.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
        assert.equal(created.status, 201);
        const serviceId = (created.json as { id: string }).id;
        c.owner.close();
        assert.equal(await waitForDeath(first), 'SIGKILL');
        assert.match(first.output(), new RegExp(`crash point ${point} reached`));
        second = await restart(first);
        const ready = await serviceStatus(second, serviceId);
        assert.equal((ready.json as { status: string }).status, 'AVAILABLE');
        const cloud = await cloudResources(second, serviceId);
        assert.equal(cloud.services, 1, 'exactly one VPC endpoint service');
        assert.equal(cloud.loadBalancers, 1, 'exactly one network load balancer');
        assert.equal(cloud.allLoadBalancers, 1, 'no other load balancer leaked');
        assert.equal((ready.json as { endpointServiceName: string }).endpointServiceName, cloud.configs[0]!.ServiceName);
        // Open to customers: the customer account sees the service by its name.
        const customer = clients(second).customerEc2();
        try {
          const seen = await customer.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [cloud.configs[0]!.ServiceName!] }));
          assert.equal(seen.ServiceDetails?.length, 1, 'the customer sees the service');
        } finally {
          customer.destroy();
        }
      } finally {
        await second?.stop();
        await first.destroy();
      }
    });
  }
});

describe('crash during delete', () => {
  test('SIGKILL after the provider delete call: after restart the service is gone (404) and nothing is left in the cloud', async () => {
    const first = await startServer({ env: FAST_RECOVERY_ENV });
    let second: ServerProcess | undefined;
    let third: ServerProcess | undefined;
    try {
      const c = clients(first);
      const serviceId = ((await c.owner.post(`${c.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' })).json as { id: string }).id;
      await serviceStatus(first, serviceId);
      c.owner.close();
      await first.stop();
      second = await restart(first, { PRIVLINK_TEST_CRASH_AT: 'after-delete-endpoint-service' });
      const c2 = clients(second);
      assert.equal((await c2.owner.delete(`${c2.project}/privateEndpoint/AWS/endpointService/${serviceId}`)).status, 202);
      c2.owner.close();
      assert.equal(await waitForDeath(second), 'SIGKILL');
      third = await restart(first);
      const gone = await serviceStatus(third, serviceId);
      assert.equal(gone.status, 404);
      const cloud = await cloudResources(third, serviceId);
      assert.deepEqual([cloud.services, cloud.loadBalancers, cloud.targetGroups], [0, 0, 0]);
    } finally {
      await third?.stop();
      await second?.stop();
      await first.destroy();
    }
  });
});

describe('crash during accept', () => {
  test('SIGKILL right after AcceptVpcEndpointConnections: after restart the endpoint is AVAILABLE (accepted once)', async () => {
    const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: 'after-accept-connection' } });
    let second: ServerProcess | undefined;
    try {
      const c = clients(first);
      const serviceId = ((await c.owner.post(`${c.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' })).json as { id: string }).id;
      const ready = await serviceStatus(first, serviceId);
      const customer = c.customerEc2();
      const vpce = await customerEndpoint(customer, (ready.json as { endpointServiceName: string }).endpointServiceName, { zone: 'us-east-1b' });
      customer.destroy();
      await c.owner.post(`${c.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce });
      c.owner.close();
      assert.equal(await waitForDeath(first), 'SIGKILL');
      second = await restart(first);
      const c2 = clients(second);
      const endpoint = await until(
        () => c2.owner.get(`${c2.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
        (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
        30_000,
      );
      assert.equal((endpoint.json as { errorMessage: string | null }).errorMessage, null);
      const provider = c2.providerEc2();
      const connections = (await provider.send(new DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: 'vpc-endpoint-id', Values: [vpce] }] }))).VpcEndpointConnections!;
      provider.destroy();
      c2.owner.close();
      assert.deepEqual(
        connections.map((x) => x.VpcEndpointState),
        ['available'],
      );
    } finally {
      await second?.stop();
      await first.destroy();
    }
  });
});

describe('crashes at random moments', () => {
  test('SIGKILL twice while five services are being created and one deleted: converges without leaks or duplicates', async () => {
    const first = await startServer({ env: FAST_RECOVERY_ENV });
    const servers: ServerProcess[] = [first];
    try {
      const c = clients(first);
      const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1'];
      const ids: Record<string, string> = {};
      for (const region of regions) {
        ids[region] = ((await c.owner.post(`${c.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region })).json as { id: string }).id;
      }
      c.owner.close();
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 120)));
      await first.kill();
      const second = await restart(first);
      servers.push(second);
      const c2 = clients(second);
      await c2.owner.delete(`${c2.project}/privateEndpoint/AWS/endpointService/${ids['us-east-2']}`);
      c2.owner.close();
      await new Promise((r) => setTimeout(r, 10 + Math.floor(Math.random() * 60)));
      await second.kill();
      const third = await restart(first);
      servers.push(third);
      for (const region of regions) {
        const status = await serviceStatus(third, ids[region]!);
        assert.equal(status.status, region === 'us-east-2' ? 404 : 200, `${region}: ${status.text}`);
        const cloud = await cloudResources(third, ids[region]!, region);
        const expected = region === 'us-east-2' ? 0 : 1;
        assert.equal(cloud.services, expected, `${region} endpoint services`);
        assert.equal(cloud.loadBalancers, expected, `${region} load balancers`);
        assert.equal(cloud.allLoadBalancers, expected, `${region}: no stray load balancer`);
      }
    } finally {
      for (const server of servers.slice(1).reverse()) await server.stop();
      await first.destroy();
    }
  });
});
