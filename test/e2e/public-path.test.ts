import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { MongoClient, MongoServerError } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { startStack, until, type Stack } from '../support/full-stack.js';

// Seed 01: "you can still connect to your Atlas clusters using other methods, such as public IP
// whitelisting" with "the standard connection strings". A cluster's `standardSrv` resolves (in
// the private DNS) to the public gateway, which lets a client in only when its address is on the
// project's IP access list; the same client through a private endpoint ignores the list.
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let standard: string;
let standardSrv: string;
let privateSrv: string;
let clientAddress: string;
let endpointAddress: string;

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
  const created = await stack.owner.post(`${stack.project}/clusters`, {
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  assert.equal(created.status, 201, created.text);
  const user = await stack.owner.post(`${stack.project}/databaseUsers`, {
    databaseName: 'admin',
    username: 'app',
    password: 'app-password-1',
    roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }],
  });
  assert.equal(user.status, 201, user.text);
  const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
  const serviceId = (service.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
    90_000,
  );
  const vpce = await customerEndpoint(stack.customerEc2(), (ready.json as { endpointServiceName: string }).endpointServiceName, { openToVpc: true });
  assert.equal((await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
  type Strings = { standard?: string; standardSrv?: string; privateEndpoint: Array<{ srvConnectionString: string }> };
  const cluster = await until(
    () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
    (r) => (r.json as { connectionStrings: Strings }).connectionStrings.privateEndpoint.length > 0,
    90_000,
  );
  const strings = (cluster.json as { connectionStrings: Strings }).connectionStrings;
  standard = strings.standard!;
  standardSrv = strings.standardSrv!;
  privateSrv = strings.privateEndpoint[0]!.srvConnectionString;
  const snapshot = await stack.running.localCloud!.snapshot();
  endpointAddress = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
  const [a, b, c] = endpointAddress.split('.');
  clientAddress = `${a}.${b}.${c}.250`;
});

after(async () => {
  dns?.restore();
  await stack?.close();
});

function publicClient(srv: string): MongoClient {
  return new MongoClient(`${srv.replace('mongodb+srv://', 'mongodb+srv://app:app-password-1@')}/?tls=false`, {
    lookup: dns.lookup,
    serverSelectionTimeoutMS: 2500,
    connectTimeoutMS: 2000,
  });
}

/** True when a fresh client logs in over `srv` and pings; false when it cannot connect. */
async function connects(srv: string, options: { localAddress?: string } = {}): Promise<boolean> {
  const c = new MongoClient(`${srv.replace('mongodb+srv://', 'mongodb+srv://app:app-password-1@')}/?tls=false`, {
    lookup: dns.lookup,
    serverSelectionTimeoutMS: 2500,
    connectTimeoutMS: 2000,
    ...options,
  });
  try {
    return (await c.db('admin').command({ ping: 1 })).ok === 1;
  } catch (error) {
    if (error instanceof MongoServerError) throw error; // reached a node: not what "refused" means
    return false;
  } finally {
    await c.close();
  }
}

/** Polls until `connects(standardSrv)` answers `wanted` (access-list changes reach the gateway within its cache time). */
async function eventuallyConnects(wanted: boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await connects(standardSrv)) !== wanted) {
    if (Date.now() > deadline) assert.fail(`the public path did not become ${wanted ? 'open' : 'closed'} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function dig(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('dig', ['@127.0.0.1', '-p', String(stack.running.dnsPort), '+short', '+time=2', '+tries=1', ...args], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}

describe('the public path with the IP access list', () => {
  test('standard and standardSrv use the public names of the project zone', () => {
    const srvHost = /^mongodb\+srv:\/\/(cluster0\.([a-z0-9]+)\.privlink\.test)$/.exec(standardSrv);
    assert.ok(srvHost, standardSrv);
    const zone = `${srvHost[2]}.privlink.test`;
    assert.match(
      standard,
      new RegExp(
        `^mongodb://cluster0-shard-00-00\\.${zone}:\\d+,cluster0-shard-00-01\\.${zone}:\\d+,cluster0-shard-00-02\\.${zone}:\\d+/\\?ssl=true&authSource=admin&replicaSet=atlas-[a-z0-9]+-shard-0$`,
      ),
    );
    assert.notEqual(standardSrv, privateSrv);
  });

  test('dig against the private DNS shows the public names, on an address of their own', async () => {
    const srvName = standardSrv.slice('mongodb+srv://'.length);
    const srv = (await dig('SRV', `_mongodb._tcp.${srvName}`)).trim().split('\n').sort();
    assert.equal(srv.length, 3, srv.join('\n'));
    const hosts = srv.map((line) => {
      const [priority, weight, port, target] = line.split(' ');
      assert.equal(`${priority} ${weight}`, '0 0');
      assert.ok(Number(port) >= 1024);
      return target!;
    });
    assert.deepEqual(
      hosts.map((h) => h.split('.')[0]),
      ['cluster0-shard-00-00', 'cluster0-shard-00-01', 'cluster0-shard-00-02'],
    );
    assert.match(await dig('TXT', srvName), /^"authSource=admin&replicaSet=atlas-[a-z0-9]+-shard-0"$/m);
    const addresses = new Set<string>();
    for (const host of hosts) addresses.add((await dig('A', host)).trim());
    assert.equal(addresses.size, 1, 'the hosts of one region share the public gateway address');
    const [publicAddress] = [...addresses];
    assert.match(publicAddress!, /^127\.\d+\.\d+\.\d+$/);
    assert.notEqual(publicAddress, endpointAddress);
    assert.notEqual(publicAddress, '127.0.0.1');
  });

  test('an empty access list refuses the public path; the private endpoint still connects', async () => {
    assert.equal(await connects(standardSrv), false);
    assert.equal(await connects(privateSrv, { localAddress: clientAddress }), true);
  });

  test('with 127.0.0.1 on the list the driver logs in over standardSrv; hello reports the public names', async () => {
    const added = await stack.owner.post(`${stack.project}/accessList`, [{ ipAddress: '127.0.0.1', comment: 'this host' }]);
    assert.equal(added.status, 200, added.text);
    await eventuallyConnects(true);
    const c = publicClient(standardSrv);
    try {
      const status = await c.db('admin').command({ connectionStatus: 1 });
      assert.deepEqual(status.authInfo.authenticatedUsers, [{ user: 'app', db: 'admin' }]);
      const hello = await c.db('admin').command({ hello: 1 });
      assert.equal((hello.hosts as string[]).length, 3);
      for (const host of hello.hosts as string[]) assert.match(host, /^cluster0-shard-00-0[0-2]\.[a-z0-9]+\.privlink\.test:\d+$/);
      // The secondaries are reached over the public path too.
      const fromSecondary = await c.db('admin').command({ connectionStatus: 1 }, { readPreference: 'secondary' });
      assert.deepEqual(fromSecondary.authInfo.authenticatedUsers, [{ user: 'app', db: 'admin' }]);
    } finally {
      await c.close();
    }
  });

  test('a deleted entry refuses the next connection', async () => {
    assert.equal((await stack.owner.delete(`${stack.project}/accessList/127.0.0.1%2F32`)).status, 204);
    await eventuallyConnects(false);
    assert.equal(await connects(privateSrv, { localAddress: clientAddress }), true);
  });

  test('a temporary entry admits until its deleteAfterDate, then refuses', async () => {
    const deleteAfterDate = new Date(Date.now() + 20_000).toISOString();
    const added = await stack.owner.post(`${stack.project}/accessList`, [{ cidrBlock: '127.0.0.0/8', deleteAfterDate }]);
    assert.equal(added.status, 200, added.text);
    await eventuallyConnects(true);
    await eventuallyConnects(false, 60_000);
  });

  test('an awsSecurityGroup entry admits no public client', async () => {
    const added = await stack.owner.post(`${stack.project}/accessList`, [{ awsSecurityGroup: 'sg-0123456789abcdef0' }]);
    assert.equal(added.status, 200, added.text);
    assert.equal(await connects(standardSrv), false);
  });
});
