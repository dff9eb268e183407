import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { CreateVpcEndpointCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { BSON, MongoClient, MongoNetworkError, ObjectId, type Document } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { runCliProcess, tempHome } from '../cli/support/cli-runner.js';
import { privateDns } from '../support/driver-dns.js';
import { clusterWithAvailableService, startStack, until, type Stack } from '../support/full-stack.js';
import { defaultVpc, openDefaultGroupToVpc } from '../support/customer-vpc.js';

// Node failover behind the load balancer: the local cloud's node fault switch takes the primary's
// simulated node down. Its port through the private endpoint closes every connection at once, the
// replica set elects another primary in a new term (a higher electionId), and the official driver,
// connected through the private endpoint, finds the new primary within its server-selection
// timeout. Started again, the node rejoins as a secondary.
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let cliHome: { home: string; cleanup(): void };
let srv = '';
let clientAddress = '';

before(async () => {
  stack = await startStack({ PRIVLINK_RECONCILER_RESYNC_MS: '600000' });
  dns = privateDns(stack.running.dnsPort);
  cliHome = tempHome();
  const { serviceId, serviceName } = await clusterWithAvailableService(stack, 60_000);
  const ec2 = stack.customerEc2();
  const vpc = await defaultVpc(ec2);
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  const groupId = await openDefaultGroupToVpc(ec2, vpc);
  const subnet = subnets.find((s) => s.AvailabilityZone === 'us-east-1a')!;
  const vpce = (
    await ec2.send(
      new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnet.SubnetId!], SecurityGroupIds: [groupId] }),
    )
  ).VpcEndpoint!.VpcEndpointId!;
  assert.equal((await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
  await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
    (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
    60_000,
  );
  type Strings = { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string }> } };
  const clusterNow = await until(
    () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
    (r) => (r.json as Strings).connectionStrings.privateEndpoint.length === 1,
    60_000,
  );
  srv = (clusterNow.json as Strings).connectionStrings.privateEndpoint[0]!.srvConnectionString;
  const eni = (await stack.running.localCloud!.snapshot()).endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!;
  // A client in the endpoint's subnet.
  const [a, b, c] = eni.loopbackAddress.split('.');
  clientAddress = `${a}.${b}.${c}.250`;
});

after(async () => {
  dns?.restore();
  cliHome?.cleanup();
  await stack?.close();
});

/** The switch as a user flips it: the CLI against the Admin API. */
async function nodes(verb: 'stop' | 'start', node: string): Promise<string> {
  const env = { PRIVLINK_BASE_URL: stack.running.apiUrl, PRIVLINK_PUBLIC_API_KEY: stack.bootstrap.publicKey, PRIVLINK_PRIVATE_API_KEY: stack.bootstrap.privateKey };
  const result = await runCliProcess(['localcloud', 'nodes', verb, '--cluster', 'Cluster0', '--node', node, '--projectId', stack.projectId], { home: cliHome.home, env });
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const driverOptions = (timeoutMs: number) => ({ lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: 2000 });

/** Connects to `host:port` (a node's name through the endpoint), sends a hello, and reports how the connection ended. */
function probe(hostPort: string): Promise<string> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve, reject) => {
    dns.lookup(host!, {}, (error, address) => {
      if (error) return reject(error);
      const socket = tcpConnect({ host: address as string, port: Number(port), localAddress: clientAddress });
      let answered = false;
      socket.on('data', () => (answered = true));
      socket.once('connect', () => socket.write(helloBytes()));
      socket.once('error', (e: NodeJS.ErrnoException) => resolve(answered ? 'answered' : (e.code ?? e.message)));
      socket.once('close', () => resolve(answered ? 'answered' : 'closed'));
      socket.once('data', () => {
        socket.destroy();
        resolve('answered');
      });
    });
  });
}

/** An OP_MSG `{hello: 1, $db: 'admin'}`. */
function helloBytes(): Buffer {
  const body = Buffer.from(BSON.serialize({ hello: 1, $db: 'admin' }));
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + body.length, 0);
  header.writeInt32LE(1, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, body]);
}

const compareIds = (x: ObjectId, y: ObjectId) => Buffer.compare(Buffer.from(x.toHexString(), 'hex'), Buffer.from(y.toHexString(), 'hex'));

describe('node failover behind the load balancer', () => {
  let client: MongoClient;
  let before: Document;

  test('before: the primary is node-0 and its port answers', async () => {
    client = new MongoClient(`${srv}/?tls=false&readPreference=primary`, driverOptions(15_000));
    assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
    before = await client.db('admin').command({ hello: 1 });
    assert.equal(before.isWritablePrimary, true);
    assert.equal(before.me, before.primary);
    assert.equal(before.hosts.length, 3);
    assert.equal(before.primary, before.hosts[0]);
    assert.equal(await probe(before.primary as string), 'answered');
  });

  test('node-0 down: its port closes connections at once, another member is primary in a new term, and the driver carries on', async () => {
    const table = await nodes('stop', 'node-0');
    assert.match(table, /^NODE\s+STATE\s+ROLE\nnode-0\s+DOWN\s+SECONDARY\nnode-1\s+UP\s+PRIMARY\nnode-2\s+UP\s+SECONDARY\n$/);
    assert.notEqual(await probe(before.primary as string), 'answered');
    // Within its server-selection timeout, the driver finds the new primary (readPreference primary).
    // A command sent before the driver has seen the old primary's connection close meets that close:
    // a network error the driver labels retryable, as on any failover. Applications retry it; on a
    // loaded machine the driver's monitor can still name the old primary for a second attempt, so
    // this retries as such an application does: on network errors only, within the 15 s the
    // driver is given to select a server. Any other error, or none of them working, fails.
    const ping = () => client.db('admin').command({ ping: 1 });
    const deadline = Date.now() + 15_000;
    const pingThroughFailover = async (): Promise<Document> => {
      try {
        return await ping();
      } catch (error) {
        if (!(error instanceof MongoNetworkError) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
        return pingThroughFailover();
      }
    };
    assert.deepEqual(await pingThroughFailover(), { ok: 1 });
    const after = await client.db('admin').command({ hello: 1 });
    assert.equal(after.isWritablePrimary, true);
    assert.equal(after.primary, before.hosts[1]);
    assert.equal(after.me, after.primary);
    assert.deepEqual(after.hosts, before.hosts, 'the set keeps its members: a failover is no reconfiguration');
    assert.equal(after.setVersion, before.setVersion);
    assert.ok(compareIds(after.electionId as ObjectId, before.electionId as ObjectId) > 0, `electionId ${String(after.electionId)} after ${String(before.electionId)}`);
    assert.equal(await probe(before.primary as string).then((r) => r !== 'answered'), true);
    // A fresh client finds the new primary too.
    const fresh = new MongoClient(`${srv}/?tls=false&readPreference=primary`, driverOptions(15_000));
    try {
      assert.equal((await fresh.db('admin').command({ hello: 1 })).primary, before.hosts[1]);
    } finally {
      await fresh.close();
    }
  });

  test('node-0 up again: it answers on the same port as a secondary of the new primary', async () => {
    const table = await nodes('start', 'node-0');
    assert.match(table, /^NODE\s+STATE\s+ROLE\nnode-0\s+UP\s+SECONDARY\nnode-1\s+UP\s+PRIMARY\nnode-2\s+UP\s+SECONDARY\n$/);
    assert.equal(await probe(before.primary as string), 'answered');
    const direct = new MongoClient(`mongodb://${before.primary as string}/?tls=false&directConnection=true`, driverOptions(15_000));
    try {
      const hello = await direct.db('admin').command({ hello: 1 });
      assert.equal(hello.isWritablePrimary, false);
      assert.equal(hello.secondary, true);
      assert.equal(hello.me, before.primary);
      assert.equal(hello.primary, before.hosts[1]);
    } finally {
      await direct.close();
    }
    assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
    await client.close();
  });

  test('the switch names what it acts on: an unknown node or cluster is 404', async () => {
    const unknown = await stack.owner.post(`${stack.project}/clusters/Cluster0/privlink/nodes/node-9/stop`, {});
    assert.equal(unknown.status, 404, unknown.text);
    assert.equal((unknown.json as { errorCode: string }).errorCode, 'SIMULATED_NODE_NOT_FOUND');
    const missing = await stack.owner.post(`${stack.project}/clusters/Nope/privlink/nodes/node-0/stop`, {});
    assert.equal(missing.status, 404, missing.text);
    assert.equal((missing.json as { errorCode: string }).errorCode, 'CLUSTER_NOT_FOUND');
  });
});
