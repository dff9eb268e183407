import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { MongoClient, MongoServerError } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { startStack, until, type Stack } from '../support/full-stack.js';

// A serverless instance's `standardSrv` is its public path, as a dedicated cluster's is: the
// private DNS resolves it (SRV to one load-balanced host on 27017, TXT
// `authSource=admin&loadBalanced=true`) to a public gateway address of the instance's own, which
// lets a client in only when its address is on the project's IP access list; the instance's
// private endpoint ignores the list. Deleting the instance withdraws the names.
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
let standardSrv: string;
let privateSrv: string;
let clientAddress: string;
let endpointAddress: string;
type Strings = { standardSrv: string; privateEndpoint: Array<{ srvConnectionString: string }> };

async function createInstance(name: string): Promise<Strings> {
  const created = await stack.owner.post(`${stack.project}/serverless`, {
    name,
    providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
  });
  assert.equal(created.status, 201, created.text);
  const idle = await until(
    () => stack.owner.get(`${stack.project}/serverless/${name}`),
    (r) => (r.json as { stateName: string }).stateName === 'IDLE',
  );
  return (idle.json as { connectionStrings: Strings }).connectionStrings;
}

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
  standardSrv = (await createInstance('Serverless0')).standardSrv;
  await createInstance('Serverless1');
  const user = await stack.owner.post(`${stack.project}/databaseUsers`, {
    databaseName: 'admin',
    username: 'app',
    password: 'app-password-1',
    roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }],
  });
  assert.equal(user.status, 201, user.text);
  const path = `${stack.project}/privateEndpoint/serverless/instance/Serverless0/endpoint`;
  const endpointId = String(((await stack.owner.post(path, {})).json as { _id: string })._id);
  const reserved = await until(
    () => stack.owner.get(`${path}/${endpointId}`),
    (r) => (r.json as { status: string }).status === 'RESERVED',
  );
  const vpce = await customerEndpoint(stack.customerEc2(), (reserved.json as { endpointServiceName: string }).endpointServiceName, { openToVpc: true });
  assert.equal((await stack.owner.patch(`${path}/${endpointId}`, { cloudProviderEndpointId: vpce, providerName: 'AWS' })).status, 200);
  const instance = await until(
    () => stack.owner.get(`${stack.project}/serverless/Serverless0`),
    (r) => (r.json as { connectionStrings: Strings }).connectionStrings.privateEndpoint.length > 0,
    60_000,
  );
  privateSrv = (instance.json as { connectionStrings: Strings }).connectionStrings.privateEndpoint[0]!.srvConnectionString;
  const snapshot = await stack.running.localCloud!.snapshot();
  endpointAddress = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
  const [a, b, c] = endpointAddress.split('.');
  clientAddress = `${a}.${b}.${c}.250`;
});

after(async () => {
  dns?.restore();
  await stack?.close();
});

function client(srv: string, password = 'app-password-1', options: { localAddress?: string } = {}): MongoClient {
  return new MongoClient(`${srv.replace('mongodb+srv://', `mongodb+srv://app:${password}@`)}/?tls=false`, {
    lookup: dns.lookup,
    serverSelectionTimeoutMS: 2500,
    connectTimeoutMS: 2000,
    ...options,
  });
}

/** True when a fresh client logs in over `srv` and pings; false when it cannot connect. */
async function connects(srv: string, options: { localAddress?: string } = {}): Promise<boolean> {
  const c = client(srv, 'app-password-1', options);
  try {
    return (await c.db('admin').command({ ping: 1 })).ok === 1;
  } catch (error) {
    if (error instanceof MongoServerError) throw error; // reached the front end: not what "refused" means
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
    execFile('dig', ['@127.0.0.1', '-p', String(stack.running.dnsPort), '+time=2', '+tries=1', ...args], (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
}

const srvName = (srv: string) => srv.slice('mongodb+srv://'.length);

/** The SRV target, TXT and public address `standardSrv` of an instance resolves to (dig against the private DNS). */
async function publicRecords(srv: string): Promise<{ port: string; target: string; txt: string; address: string }> {
  const lines = (await dig('+short', 'SRV', `_mongodb._tcp.${srvName(srv)}`)).trim().split('\n');
  assert.equal(lines.length, 1, lines.join('\n'));
  const [priority, weight, port, target] = lines[0]!.split(' ');
  assert.equal(`${priority} ${weight}`, '0 0');
  const txt = (await dig('+short', 'TXT', srvName(srv))).trim();
  const address = (await dig('+short', 'A', target!)).trim();
  return { port: port!, target: target!, txt, address };
}

describe("a serverless instance's public path with the IP access list", () => {
  test('standardSrv: SRV to <instance>-lb:27017, TXT loadBalanced, A a public gateway address of its own', async () => {
    const match = /^mongodb\+srv:\/\/serverless0\.([a-z0-9]+)\.privlink\.test$/.exec(standardSrv);
    assert.ok(match, standardSrv);
    const records = await publicRecords(standardSrv);
    assert.equal(records.port, '27017');
    assert.equal(records.target, `serverless0-lb.${match[1]}.privlink.test.`);
    assert.equal(records.txt, '"authSource=admin&loadBalanced=true"');
    assert.match(records.address, /^127\.\d+\.\d+\.\d+$/);
    assert.notEqual(records.address, '127.0.0.1');
    assert.notEqual(records.address, endpointAddress);
    // Each instance listens on 27017, so each has an address of its own.
    const other = await publicRecords(standardSrv.replace('serverless0.', 'serverless1.'));
    assert.equal(other.port, '27017');
    assert.notEqual(other.address, records.address);
  });

  test('an empty access list refuses the public path; the private endpoint still connects', async () => {
    assert.equal(await connects(standardSrv), false);
    assert.equal(await connects(privateSrv, { localAddress: clientAddress }), true);
  });

  test('with 127.0.0.1 on the list the driver logs in over standardSrv, load-balanced', async () => {
    const added = await stack.owner.post(`${stack.project}/accessList`, [{ ipAddress: '127.0.0.1', comment: 'this host' }]);
    assert.equal(added.status, 200, added.text);
    await eventuallyConnects(true);
    const c = client(standardSrv);
    try {
      const status = await c.db('admin').command({ connectionStatus: 1 });
      assert.deepEqual(status.authInfo.authenticatedUsers, [{ user: 'app', db: 'admin' }]);
      const hello = await c.db('admin').command({ hello: 1 });
      assert.equal(hello.msg, 'isdbgrid');
      // The TXT record made it load-balanced, and the front end answered the handshake with a serviceId.
      const topology = (c as unknown as { topology?: { description: { type: string } } }).topology;
      assert.equal(topology?.description.type, 'LoadBalanced');
    } finally {
      await c.close();
    }
    const wrong = client(standardSrv, 'not-the-password');
    try {
      await assert.rejects(wrong.db('admin').command({ ping: 1 }), (error: Error) => error instanceof MongoServerError && /Authentication failed/i.test(error.message));
    } finally {
      await wrong.close();
    }
  });

  test('a deleted entry refuses the next connection; the private endpoint ignores the list', async () => {
    assert.equal((await stack.owner.delete(`${stack.project}/accessList/127.0.0.1%2F32`)).status, 204);
    await eventuallyConnects(false);
    assert.equal(await connects(privateSrv, { localAddress: clientAddress }), true);
  });

  test("deleting the instance withdraws its public names at once; the other instance's stay", async () => {
    const name = srvName(standardSrv);
    assert.match(await dig('SRV', `_mongodb._tcp.${name}`), /status: NOERROR/);
    // The provider holds the endpoint service's deletion for a while, so the instance is surely
    // still DELETING when its names are checked (otherwise it can be gone within 200 ms).
    await stack.running.localCloud!.setFault('DeleteVpcEndpointServiceConfigurations', { kind: 'timeout', ms: 4_000, times: 1 });
    assert.equal((await stack.owner.delete(`${stack.project}/serverless/Serverless0`)).status, 202);
    // Cached answers are dropped when the store is written (within about a second).
    const deadline = Date.now() + 5_000;
    while (!/status: NXDOMAIN/.test(await dig('SRV', `_mongodb._tcp.${name}`))) {
      assert.ok(Date.now() < deadline, 'the SRV name is withdrawn while the instance is DELETING');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(((await stack.owner.get(`${stack.project}/serverless/Serverless0`)).json as { stateName: string }).stateName, 'DELETING');
    const resolver = new Resolver();
    resolver.setServers([`127.0.0.1:${stack.running.dnsPort}`]);
    await assert.rejects(resolver.resolveSrv(`_mongodb._tcp.${name}`), { code: 'ENOTFOUND' });
    await assert.rejects(resolver.resolveTxt(name), { code: 'ENOTFOUND' });
    await assert.rejects(resolver.resolve4(name.replace(/^serverless0\./, 'serverless0-lb.')), { code: 'ENOTFOUND' });
    assert.equal((await publicRecords(standardSrv.replace('serverless0.', 'serverless1.'))).port, '27017');
    await until(
      () => stack.owner.get(`${stack.project}/serverless/Serverless0`),
      (r) => r.status === 404,
      60_000,
    );
    assert.match(await dig('SRV', `_mongodb._tcp.${name}`), /status: NXDOMAIN/);
  });
});
