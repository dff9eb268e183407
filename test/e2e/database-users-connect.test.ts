import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { MongoClient, MongoServerError } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { createAwsCluster, startStack, until, type Stack } from '../support/full-stack.js';

// Seed 01's "Create a MongoDB User", then connecting with it: database users made through the
// Admin API log in through a private endpoint with the official driver (SCRAM-SHA-256 and
// SCRAM-SHA-1), wrong passwords and users outside their scopes are refused with
// AuthenticationFailed, changes apply to the next connection, and without a login only the
// handshake and ping are answered.
let stack: Stack;
let dns: ReturnType<typeof privateDns>;
const srv: Record<string, string> = {};
let clientAddress: string;
let endpointAddress: string;

before(async () => {
  stack = await startStack();
  dns = privateDns(stack.running.dnsPort);
  await createAwsCluster(stack, 'Cluster0');
  await createAwsCluster(stack, 'Cluster1');
  const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
  const serviceId = (service.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
    (r) => (r.json as { status: string }).status === 'AVAILABLE',
  );
  const vpce = await customerEndpoint(stack.customerEc2(), (ready.json as { endpointServiceName: string }).endpointServiceName, { openToVpc: true });
  assert.equal((await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
  for (const name of ['Cluster0', 'Cluster1']) {
    const cluster = await until(
      () => stack.owner.get(`${stack.project}/clusters/${name}`),
      (r) => (r.json as { connectionStrings: { privateEndpoint: unknown[] } }).connectionStrings.privateEndpoint.length > 0,
    );
    srv[name] = (cluster.json as { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string }> } }).connectionStrings.privateEndpoint[0]!.srvConnectionString;
  }
  const snapshot = await stack.running.localCloud!.snapshot();
  endpointAddress = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
  const [a, b, c] = endpointAddress.split('.');
  clientAddress = `${a}.${b}.${c}.250`;
  const users = [
    { username: 'app', password: 'app-password-1', roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }] },
    { username: 'reporting', password: 'reporting-pass', roles: [{ roleName: 'read', databaseName: 'sales' }], scopes: [{ name: 'Cluster0', type: 'CLUSTER' }] },
  ];
  for (const user of users) {
    const res = await stack.owner.post(`${stack.project}/databaseUsers`, { databaseName: 'admin', ...user });
    assert.equal(res.status, 201, res.text);
  }
});

after(async () => {
  dns?.restore();
  await stack?.close();
});

function client(cluster: string, credentials: string, options: Record<string, string> = {}): MongoClient {
  const query = new URLSearchParams({ tls: 'false', ...options }).toString();
  return new MongoClient(`${srv[cluster]!.replace('mongodb+srv://', `mongodb+srv://${credentials}`)}/?${query}`, {
    lookup: dns.lookup,
    localAddress: clientAddress,
    serverSelectionTimeoutMS: 8000,
    connectTimeoutMS: 3000,
  });
}

/** Runs `work` with a connected client and closes it. */
async function withClient<T>(c: MongoClient, work: (c: MongoClient) => Promise<T>): Promise<T> {
  try {
    return await work(c);
  } finally {
    await c.close();
  }
}

/** Polls `check` until it answers true (a change reaches the data plane within its cache time). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function serverError(work: Promise<unknown>): Promise<MongoServerError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  assert.fail('expected a server error');
}

describe('database users through the private endpoint', () => {
  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1']) {
    test(`the driver logs in with ${mechanism} (authSource=admin from the TXT record) on every node`, async () => {
      await withClient(client('Cluster0', 'app:app-password-1@', { authMechanism: mechanism }), async (c) => {
        assert.equal((await c.db('admin').command({ ping: 1 })).ok, 1);
        const status = await c.db('admin').command({ connectionStatus: 1 });
        assert.deepEqual(status.authInfo.authenticatedUsers, [{ user: 'app', db: 'admin' }]);
        // Secondaries authenticate too (the driver logs in to every member it reads from).
        const fromSecondary = await c.db('admin').command({ connectionStatus: 1 }, { readPreference: 'secondary' });
        assert.deepEqual(fromSecondary.authInfo.authenticatedUsers, [{ user: 'app', db: 'admin' }]);
        const error = await serverError(c.db('sales').collection('orders').findOne({}));
        assert.equal(error.codeName, 'CommandNotSupported');
        assert.match(error.message, /privlink/);
      });
    });
  }

  test('the default mechanism negotiation works with the connection string alone', async () => {
    await withClient(client('Cluster0', 'app:app-password-1@'), async (c) => {
      assert.equal((await c.db('admin').command({ ping: 1 })).ok, 1);
    });
  });

  test('a wrong password is refused with AuthenticationFailed (18)', async () => {
    await withClient(client('Cluster0', 'app:not-the-password@'), async (c) => {
      const error = await serverError(c.connect());
      assert.equal(error.code, 18);
      assert.equal(error.codeName, 'AuthenticationFailed');
    });
  });

  test("a user's scopes decide which clusters accept it", async () => {
    await withClient(client('Cluster0', 'reporting:reporting-pass@'), async (c) => {
      assert.equal((await c.db('admin').command({ ping: 1 })).ok, 1);
      // read@sales: reading is let through (then not supported), writing is not authorized.
      assert.equal((await serverError(c.db('sales').collection('orders').findOne({}))).codeName, 'CommandNotSupported');
      assert.equal((await serverError(c.db('sales').collection('orders').insertOne({ a: 1 }))).code, 13);
    });
    await withClient(client('Cluster1', 'reporting:reporting-pass@'), async (c) => {
      assert.equal((await serverError(c.connect())).code, 18);
    });
  });

  test('without a login: ping and hello only; a data command is refused, never hangs', async () => {
    await withClient(client('Cluster1', ''), async (c) => {
      assert.equal((await c.db('admin').command({ ping: 1 })).ok, 1);
      const error = await serverError(c.db('sales').collection('orders').findOne({}));
      assert.equal(error.code, 13);
      assert.match(error.message, /requires authentication/);
    });
  });

  test('a changed password and a deleted user apply to the next connection', async () => {
    const patched = await stack.owner.patch(`${stack.project}/databaseUsers/admin/app`, { password: 'app-password-2' });
    assert.equal(patched.status, 200, patched.text);
    await eventually(() =>
      withClient(client('Cluster0', 'app:app-password-2@'), (c) =>
        c
          .db('admin')
          .command({ ping: 1 })
          .then(
            () => true,
            () => false,
          ),
      ),
    );
    await withClient(client('Cluster0', 'app:app-password-1@'), async (c) => assert.equal((await serverError(c.connect())).code, 18));
    assert.equal((await stack.owner.delete(`${stack.project}/databaseUsers/admin/app`)).status, 204);
    await eventually(() =>
      withClient(client('Cluster0', 'app:app-password-2@'), (c) =>
        c.connect().then(
          () => false,
          (error: unknown) => error instanceof MongoServerError && error.code === 18,
        ),
      ),
    );
  });
});

// mongosh, the MongoDB Shell, installed from npm (a pinned devDependency), run as a user runs it
// from a host whose address the endpoint's security group admits. It cannot be pointed at a DNS
// port, so it dials the endpoint's address and the primary's load-balancer port directly.
const MONGOSH = new URL('../../../node_modules/mongosh/bin/mongosh.js', import.meta.url).pathname;

describe('mongosh through the private endpoint', () => {
  let home: string;
  before(async () => {
    // The shell's own home (history, logs, config) in a folder of this test; no telemetry, no update check.
    home = mkdtempSync(join(tmpdir(), 'privlink-mongosh-'));
    const ec2 = stack.customerEc2();
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0]!;
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: group.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 1024, ToPort: 65535, IpRanges: [{ CidrIp: '127.0.0.1/32' }] }],
      }),
    );
    const res = await stack.owner.post(`${stack.project}/databaseUsers`, {
      databaseName: 'admin',
      username: 'shell-user',
      password: 'shell-password',
      roles: [{ roleName: 'atlasAdmin', databaseName: 'admin' }],
    });
    assert.equal(res.status, 201, res.text);
  });
  after(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  function mongosh(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const url = `mongodb://${endpointAddress}:1024/?directConnection=true&tls=false&authSource=admin&serverSelectionTimeoutMS=8000`;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [MONGOSH, url, '--quiet', '--norc', ...args],
        { env: { ...process.env, HOME: home, MONGOSH_TELEMETRY_ENDPOINT: '', DO_NOT_TRACK: '1' }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  test('mongosh logs in with --username/--password (SCRAM-SHA-256) and runs commands', async () => {
    const result = await mongosh(
      '--username',
      'shell-user',
      '--password',
      'shell-password',
      '--eval',
      'const s = db.getSiblingDB("admin").runCommand({ connectionStatus: 1 }); print(JSON.stringify(s.authInfo.authenticatedUsers)); print(db.getSiblingDB("admin").runCommand({ ping: 1 }).ok)',
    );
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^\[\{"user":"shell-user","db":"admin"\}\]$/m);
    assert.match(result.stdout, /^1$/m);
  });

  test('mongosh with SCRAM-SHA-1 works too; a data command answers what privlink is', async () => {
    const result = await mongosh(
      '--username',
      'shell-user',
      '--password',
      'shell-password',
      '--authenticationMechanism',
      'SCRAM-SHA-1',
      '--eval',
      'try { db.getSiblingDB("sales").orders.findOne() } catch (e) { print(e.codeName + ": " + e.message) }',
    );
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^CommandNotSupported: privlink simulated node stores nothing/m);
  });

  test('mongosh with a wrong password fails with Authentication failed', async () => {
    const result = await mongosh('--username', 'shell-user', '--password', 'not-the-password', '--eval', 'print("connected")');
    assert.notEqual(result.code, 0);
    assert.doesNotMatch(result.stdout, /connected/);
    assert.match(result.stderr + result.stdout, /Authentication failed/);
  });
});
