import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { promisify } from 'node:util';
import { MongoClient } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { connectionStringsErrors } from '../support/atlas-contract.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { startStack, until, type Stack } from '../support/full-stack.js';

// Seed 01's "Connect to Atlas using a Private Endpoint", end to end: the official driver resolves
// the private-endpoint-aware SRV string through privlink's DNS, connects to the customer's
// endpoint address, and the gateway forwards each port to its simulated node, which answers in
// the endpoint's horizon.
const run = promisify(execFile);
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let srv: string;
let standard: string;
let vpce: string;
let clientAddress: string;
let endpointAddress: string;
let providerAddress: string;

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
  const cluster = await stack.owner.post(`${stack.project}/clusters`, {
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  assert.equal(cluster.status, 201, cluster.text);
  const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
  const serviceId = (service.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
  );
  const serviceName = (ready.json as { endpointServiceName: string }).endpointServiceName;

  // Customer side: endpoint in us-east-1a, and a security-group rule for the VPC's own clients.
  vpce = await customerEndpoint(stack.customerEc2(), serviceName, { openToVpc: true });
  const endpoint = await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce });
  assert.equal(endpoint.status, 201);
  await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`),
    (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
  );
  const snapshot = await stack.running.localCloud!.snapshot();
  endpointAddress = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
  // A client inside the customer VPC: another address of the same subnet.
  const [a, b, c] = endpointAddress.split('.');
  clientAddress = `${a}.${b}.${c}.250`;
  const providerVpc = snapshot.networks.find((v) => v.accountId === stack.bootstrap.localCloud!.provider.accountId && v.region === 'us-east-1')!;
  providerAddress = `127.${providerVpc.loopbackOctet}.0.250`;
});

after(async () => {
  dns?.restore();
  await stack?.close();
});

describe('connection strings', () => {
  test('the cluster publishes private-endpoint-aware strings once its region has an AVAILABLE endpoint', async () => {
    const cluster = await until(
      () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
      (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
    );
    const strings = (cluster.json as { connectionStrings: { privateEndpoint: Array<Record<string, unknown>>; awsPrivateLinkSrv: Record<string, string> } }).connectionStrings;
    const entry = strings.privateEndpoint[0]!;
    const suffix = ((await stack.owner.get(stack.project)).json as { id: string }) && /cluster0-pl-0\.([a-z0-9]{5})\.privlink\.test/.exec(String(entry.srvConnectionString))![1];
    assert.equal(entry.srvConnectionString, `mongodb+srv://cluster0-pl-0.${suffix}.privlink.test`);
    const host = `pl-0-us-east-1.${suffix}.privlink.test`;
    assert.match(
      String(entry.connectionString),
      new RegExp(
        `^mongodb://${host.replace(/\./g, '\\.')}:1024,${host.replace(/\./g, '\\.')}:1025,${host.replace(/\./g, '\\.')}:1026/\\?ssl=true&authSource=admin&replicaSet=atlas-[a-z0-9]+-shard-0$`,
      ),
    );
    assert.equal(entry.type, 'MONGOD');
    assert.deepEqual(entry.endpoints, [{ endpointId: vpce, providerName: 'AWS', region: 'US_EAST_1' }]);
    assert.equal(strings.awsPrivateLinkSrv[vpce], entry.srvConnectionString);
    assert.deepEqual(connectionStringsErrors(strings), [], 'connectionStrings validates against the official ClusterConnectionStrings schema');
    srv = String(entry.srvConnectionString);
    standard = String(entry.connectionString);
  });

  test('the strings are stable: a second read is identical', async () => {
    const again = (await stack.owner.get(`${stack.project}/clusters/Cluster0`)).json as {
      connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string; connectionString: string }> };
    };
    assert.equal(again.connectionStrings.privateEndpoint[0]!.srvConnectionString, srv);
    assert.equal(again.connectionStrings.privateEndpoint[0]!.connectionString, standard);
  });
});

describe('private DNS', () => {
  test('SRV, TXT and A answers, checked with dig', async () => {
    const name = srv.replace('mongodb+srv://', '');
    const port = String(stack.running.dnsPort);
    const dig = async (...args: string[]) => (await run('dig', ['@127.0.0.1', '-p', port, '+short', ...args])).stdout.trim().split('\n').sort();
    const records = await dig('SRV', `_mongodb._tcp.${name}`);
    const host = name.replace(/^cluster0-pl-0\./, 'pl-0-us-east-1.');
    assert.deepEqual(records, [`0 0 1024 ${host}.`, `0 0 1025 ${host}.`, `0 0 1026 ${host}.`]);
    const txt = await dig('TXT', name);
    assert.equal(txt.length, 1);
    assert.match(txt[0]!, /^"authSource=admin&replicaSet=atlas-[a-z0-9]+-shard-0"$/);
    assert.deepEqual(await dig('A', host), [endpointAddress]);
    const full = (await run('dig', ['@127.0.0.1', '-p', port, 'A', host])).stdout;
    assert.match(full, new RegExp(`${host.replace(/\./g, '\\.')}\\.\\s+60\\s+IN\\s+A\\s+${endpointAddress.replace(/\./g, '\\.')}`));
    assert.match((await run('dig', ['@127.0.0.1', '-p', port, 'A', `nothing.${host}`])).stdout, /status: NXDOMAIN/);
  });
});

describe('the official driver through the endpoint', () => {
  const options = () => ({ lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 8000, connectTimeoutMS: 3000 });

  test("SRV string, tls=false: ping and hello on every node, all reported under the endpoint's names", async () => {
    const client = new MongoClient(`${srv}/?tls=false`, options());
    try {
      await client.connect();
      assert.deepEqual(await client.db('admin').command({ ping: 1 }), { ok: 1 });
      const hello = await client.db('admin').command({ hello: 1 });
      const hosts = standard.replace('mongodb://', '').split('/')[0]!.split(',');
      assert.deepEqual([...hello.hosts].sort(), hosts.sort());
      assert.equal(hello.setName, /replicaSet=([^&]+)/.exec(standard)![1]);
    } finally {
      await client.close();
    }
    for (const host of standard.replace('mongodb://', '').split('/')[0]!.split(',')) {
      const direct = new MongoClient(`mongodb://${host}/?directConnection=true&tls=false`, options());
      try {
        const hello = await direct.db('admin').command({ hello: 1 });
        assert.equal(hello.me, host);
        assert.deepEqual(await direct.db('admin').command({ ping: 1 }), { ok: 1 });
      } finally {
        await direct.close();
      }
    }
  });

  test('SRV string with TLS through the local CA (tlsCAFile)', async () => {
    assert.ok(stack.running.caPath);
    const client = new MongoClient(`${srv}/?tlsCAFile=${encodeURIComponent(stack.running.caPath!)}`, options());
    try {
      const hello = await client.db('admin').command({ hello: 1 });
      assert.equal(hello.isWritablePrimary, true);
      assert.match(hello.me, /^pl-0-us-east-1\./);
    } finally {
      await client.close();
    }
  });

  test('one way: the provider side cannot reach the endpoint address; a source without a security-group rule is refused', async () => {
    const attempt = (localAddress: string) =>
      new Promise<'refused' | 'connected'>((resolve) => {
        const socket = tcpConnect({ host: endpointAddress, port: 1024, localAddress });
        socket.once('connect', () => {
          // Accepted by the kernel; the gateway resets a refused connection at once, before reading.
          socket.once('close', () => resolve('refused'));
          setTimeout(() => {
            resolve(socket.destroyed ? 'refused' : 'connected');
            socket.destroy();
          }, 300);
        });
        socket.once('error', () => resolve('refused'));
      });
    assert.equal(await attempt(providerAddress), 'refused');
    assert.equal(await attempt('127.0.0.1'), 'refused');
    assert.equal(await attempt(clientAddress), 'connected');
  });
});

describe('after the endpoint is deleted', () => {
  test('open connections drop within a second and the same string fails fast', async () => {
    const client = new MongoClient(`${srv}/?tls=false`, { ...{ lookup: dns.lookup, localAddress: clientAddress }, serverSelectionTimeoutMS: 2000 });
    await client.db('admin').command({ ping: 1 });
    const services = (await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService`)).json as Array<{ id: string }>;
    const started = Date.now();
    assert.equal((await stack.owner.delete(`${stack.project}/privateEndpoint/AWS/endpointService/${services[0]!.id}/endpoint/${vpce}`)).status, 204);
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${services[0]!.id}/endpoint/${vpce}`),
      (r) => r.status === 404,
    );
    const rejectedAt = Date.now();
    await assert.rejects(client.db('admin').command({ ping: 1 }));
    await client.close();
    assert.ok(Date.now() - rejectedAt < 3000, `the ping failed ${Date.now() - rejectedAt} ms after the endpoint was gone`);
    const fresh = new MongoClient(`${srv}/?tls=false`, { lookup: dns.lookup, localAddress: clientAddress, serverSelectionTimeoutMS: 5000 });
    const attemptAt = Date.now();
    await assert.rejects(fresh.connect());
    assert.ok(Date.now() - attemptAt < 2000, 'fails fast (no SRV records any more)');
    await fresh.close();
    assert.ok(Date.now() - started < 30_000);
  });
});
