import assert from 'node:assert/strict';
import { AuthorizeSecurityGroupIngressCommand, CreateVpcEndpointCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { startSimulatedMongod, type SimulatedMongod } from '../../src/localcloud/dataplane/simulated-mongod.js';
import { privateDns } from '../support/driver-dns.js';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { defaultGroupId, defaultVpc } from '../support/customer-vpc.js';

// A sharded cluster (mongos targets and the load-balanced `-lb` string), a cluster that names a
// real `host:port` target (self-hosted use), and the activity feed of all their transitions.
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let selfHosted: SimulatedMongod;
let vpce: string;
let serviceId: string;
let clientAddress: string;

const cluster = (name: string, type: 'SHARDED' | 'REPLICASET', nodes: number, extra: Record<string, unknown> = {}) => ({
  name,
  clusterType: type,
  replicationSpecs: Array.from({ length: type === 'SHARDED' ? 2 : 1 }, () => ({
    regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M30', nodeCount: nodes } }],
  })),
  ...extra,
});

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
  // A "real" single-node deployment the operator runs themselves (here another wire responder on loopback, no PROXY header).
  selfHosted = await startSimulatedMongod({ kind: 'primary', setName: 'selfhosted', host: '127.0.0.1', port: 0 });
  assert.equal((await stack.owner.post(`${stack.project}/clusters`, cluster('Shard0', 'SHARDED', 2))).status, 201);
  const real = await stack.owner.post(`${stack.project}/clusters`, cluster('Own0', 'REPLICASET', 1, { privlinkTargets: [`127.0.0.1:${selfHosted.port}`] }));
  assert.equal(real.status, 201, real.text);
  assert.deepEqual((real.json as { privlinkTargets: string[] }).privlinkTargets, [`127.0.0.1:${selfHosted.port}`]);
  serviceId = ((await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' })).json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
  );
  const ec2 = stack.customerEc2();
  const vpc = await defaultVpc(ec2);
  const subnet = (
    await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpc.VpcId!] },
          { Name: 'availability-zone', Values: ['us-east-1c'] },
        ],
      }),
    )
  ).Subnets![0]!;
  const groupId = await defaultGroupId(ec2, vpc.VpcId!);
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
  vpce = (
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.VpcId,
        ServiceName: (ready.json as { endpointServiceName: string }).endpointServiceName,
        VpcEndpointType: 'Interface',
        SubnetIds: [subnet.SubnetId!],
      }),
    )
  ).VpcEndpoint!.VpcEndpointId!;
  await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce });
  await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
    (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
  );
  const eni = (await stack.running.localCloud!.snapshot()).endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
  clientAddress = eni.replace(/\.\d+$/, '.251');
});

after(async () => {
  dns?.restore();
  await selfHosted?.stop();
  await stack?.close();
});

async function strings(name: string) {
  const res = await until(
    () => stack.owner.get(`${stack.project}/clusters/${name}`),
    (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
  );
  return (
    res.json as {
      connectionStrings: { privateEndpoint: Array<{ type: string; srvConnectionString: string; connectionString: string; srvShardOptimizedConnectionString?: string }> };
    }
  ).connectionStrings.privateEndpoint[0]!;
}

describe('sharded cluster', () => {
  test('MONGOS strings with mongos targets, and the load-balanced -lb string', async () => {
    const entry = await strings('Shard0');
    assert.equal(entry.type, 'MONGOS');
    assert.match(entry.srvConnectionString, /^mongodb\+srv:\/\/shard0-pl-0\.[a-z0-9]{5}\.privlink\.test$/);
    assert.equal(entry.srvShardOptimizedConnectionString, entry.srvConnectionString.replace('shard0-pl-0.', 'shard0-pl-0-lb.'));
    assert.equal(entry.connectionString.split('/')[2]!.split(',').length, 2, 'one host:port per mongos');
  });

  test('the driver connects to the mongos through the endpoint, and in load-balanced mode through the -lb string', async () => {
    const entry = await strings('Shard0');
    const sharded = new MongoClient(`${entry.srvConnectionString}/?tls=false`, { lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 8000 });
    try {
      const hello = await sharded.db('admin').command({ hello: 1 });
      assert.equal(hello.msg, 'isdbgrid');
    } finally {
      await sharded.close();
    }
    const balanced = new MongoClient(`${entry.srvShardOptimizedConnectionString}/?tls=false`, { lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 8000 });
    try {
      assert.deepEqual(await balanced.db('admin').command({ ping: 1 }), { ok: 1 });
      assert.equal(balanced.options.loadBalanced, true, "loadBalanced=true came from the -lb name's TXT record");
    } finally {
      await balanced.close();
    }
  });
});

describe('real targets (privlinkTargets)', () => {
  test('the load balancer forwards the port to the named host:port; directConnection works through the endpoint', async () => {
    const entry = await strings('Own0');
    const host = entry.connectionString.replace('mongodb://', '').split('/')[0]!;
    const client = new MongoClient(`mongodb://${host}/?directConnection=true&tls=false`, { lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 8000 });
    try {
      const hello = await client.db('admin').command({ hello: 1 });
      assert.equal(hello.setName, 'selfhosted');
      assert.equal(selfHosted.connectionCount > 0, true, 'the connection reached the self-hosted target');
    } finally {
      await client.close();
    }
  });
});

describe('events', () => {
  test('every transition is recorded with its time, in the Atlas activity-feed shape', async () => {
    await stack.owner.delete(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`);
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
      (r) => r.status === 404,
    );
    const res = await stack.owner.get(`${stack.project}/events?itemsPerPage=500`);
    assert.equal(res.status, 200);
    const feed = res.json as { results: Array<{ eventTypeName: string; created: string; groupId: string; id: string; targetId: string }>; totalCount: number };
    const types = feed.results.map((e) => e.eventTypeName);
    for (const type of [
      'CLUSTER_CREATED',
      'CLUSTER_READY',
      'ENDPOINT_SERVICE_CREATED',
      'ENDPOINT_SERVICE_AVAILABLE',
      'INTERFACE_ENDPOINT_CREATED',
      'INTERFACE_ENDPOINT_STATUS_CHANGED',
      'PRIVATE_ENDPOINT_CONNECTION_STRINGS_PUBLISHED',
      'INTERFACE_ENDPOINT_DELETE_REQUESTED',
      'INTERFACE_ENDPOINT_DELETED',
      'PRIVATE_ENDPOINT_CONNECTION_STRINGS_WITHDRAWN',
    ]) {
      assert.ok(types.includes(type), `${type} in ${types.join(', ')}`);
    }
    assert.equal(feed.totalCount, feed.results.length);
    const times = feed.results.map((e) => Date.parse(e.created));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    );
    assert.ok(feed.results.every((e) => e.groupId === stack.projectId && /^[a-f0-9]{24}$/.test(e.id)));
    const filtered = (await stack.owner.get(`${stack.project}/events?eventType=INTERFACE_ENDPOINT_DELETED`)).json as { results: Array<{ targetId: string }> };
    assert.deepEqual(
      filtered.results.map((e) => e.targetId),
      [vpce],
    );
    const one = await stack.owner.get(`${stack.project}/events/${feed.results[0]!.id}`);
    assert.equal((one.json as { id: string }).id, feed.results[0]!.id);
    const page = (await stack.owner.get(`${stack.project}/events?itemsPerPage=2&pageNum=2`)).json as { results: unknown[]; links: Array<{ rel: string }> };
    assert.equal(page.results.length, 2);
    assert.ok(page.links.some((l) => l.rel === 'next'));
  });
});
