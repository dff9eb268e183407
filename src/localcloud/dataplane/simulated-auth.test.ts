// SCRAM authentication on a simulated node, driven by the official mongodb driver: both
// mechanisms, negotiation, speculative authentication, wrong passwords, unknown users, what an
// unauthenticated connection may do, and roles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MongoClient, MongoServerError } from 'mongodb';
import { scramCredentials } from '../../domain/scram.js';
import { startSimulatedMongod, type SimulatedUser } from './simulated-mongod.js';
import { Cleanup } from './dataplane.test-support.js';

const USERS: Record<string, SimulatedUser> = {
  alice: { username: 'alice', credentials: scramCredentials('alice', 'p@ssw0rd-alice'), roles: [{ roleName: 'readWrite', databaseName: 'sales' }] },
  // SASLprep maps the non-ASCII space (U+00A0) to a space and NFKC folds the ligature (ﬀ → ff).
  ünïcode: { username: 'ünïcode', credentials: scramCredentials('ünïcode', 'pa\u00a0sso\ufb00'), roles: [{ roleName: 'atlasAdmin', databaseName: 'admin' }] },
};

async function usersNode(cleanup: Cleanup, lookups: string[] = []) {
  const node = await startSimulatedMongod({
    kind: 'primary',
    setName: 'rs-auth',
    users: async (username) => {
      lookups.push(username);
      return USERS[username];
    },
  });
  cleanup.add(() => node.stop());
  return node;
}

async function client(cleanup: Cleanup, port: number, auth: string, options: Record<string, string> = {}) {
  const query = new URLSearchParams({ directConnection: 'true', serverSelectionTimeoutMS: '3000', ...options });
  const c = new MongoClient(`mongodb://${auth}127.0.0.1:${port}/?${query.toString()}`);
  cleanup.add(() => c.close());
  return c;
}

async function rejection(work: Promise<unknown>): Promise<MongoServerError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  assert.fail('expected a server error');
}

for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1', undefined]) {
  test(`the driver authenticates with ${mechanism ?? 'the negotiated mechanism (speculative, SCRAM-SHA-256)'} and its roles apply`, async (t) => {
    const cleanup = new Cleanup();
    t.after(() => cleanup.run());
    const node = await usersNode(cleanup);
    const c = await client(cleanup, node.port, 'alice:p%40ssw0rd-alice@', { authSource: 'admin', ...(mechanism ? { authMechanism: mechanism } : {}) });
    await c.connect();
    assert.equal((await c.db('admin').command({ ping: 1 })).ok, 1);
    const status = await c.db('admin').command({ connectionStatus: 1 });
    assert.deepEqual(status.authInfo.authenticatedUsers, [{ user: 'alice', db: 'admin' }]);
    // Allowed by readWrite@sales: refused only because the node stores nothing.
    const unsupported = await rejection(c.db('sales').collection('orders').findOne({}));
    assert.equal(unsupported.codeName, 'CommandNotSupported');
    assert.match(unsupported.message, /privlink/);
    // Not allowed on another database: Unauthorized, as mongod.
    const refused = await rejection(c.db('hr').collection('salaries').findOne({}));
    assert.equal(refused.code, 13);
    assert.match(refused.message, /not authorized on hr to execute command \{ find: "salaries" \}/);
  });
}

test('SCRAM-SHA-256 prepares the password with SASLprep; non-ASCII usernames work', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const node = await usersNode(cleanup);
  const c = await client(cleanup, node.port, `${encodeURIComponent('ünïcode')}:${encodeURIComponent('pa sso\u0066\u0066')}@`, { authMechanism: 'SCRAM-SHA-256' });
  await c.connect();
  assert.equal((await c.db('admin').command({ ping: 1 })).ok, 1);
});

test('a wrong password and an unknown user fail with AuthenticationFailed (18), on both mechanisms', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const node = await usersNode(cleanup);
  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1']) {
    for (const auth of ['alice:wrong-password@', 'mallory:p%40ssw0rd-alice@']) {
      const c = await client(cleanup, node.port, auth, { authMechanism: mechanism });
      const error = await rejection(c.connect());
      assert.equal(error.code, 18, `${mechanism} ${auth}`);
      assert.equal(error.codeName, 'AuthenticationFailed');
    }
  }
});

test('negotiation: hello lists both mechanisms for a known user only, and speculative authentication saves a round trip', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const node = await usersNode(cleanup);
  const c = await client(cleanup, node.port, '');
  await c.connect();
  const known = await c.db('admin').command({ hello: 1, saslSupportedMechs: 'admin.alice' });
  assert.deepEqual(known.saslSupportedMechs, ['SCRAM-SHA-1', 'SCRAM-SHA-256']);
  const unknown = await c.db('admin').command({ hello: 1, saslSupportedMechs: 'admin.nobody' });
  assert.equal(unknown.saslSupportedMechs, undefined);
  // The driver's default: speculative SCRAM-SHA-256 in the handshake, so only one saslContinue follows.
  const started: string[] = [];
  const watched = await client(cleanup, node.port, 'alice:p%40ssw0rd-alice@', { monitorCommands: 'true' });
  watched.on('commandStarted', (event) => started.push(event.commandName));
  await watched.connect();
  await watched.db('admin').command({ ping: 1 });
  assert.ok(!started.includes('saslStart'), started.join(','));
});

test('without a login only the handshake, ping and authentication are answered; data commands get Unauthorized', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const node = await usersNode(cleanup);
  const c = await client(cleanup, node.port, '');
  await c.connect();
  assert.equal((await c.db('admin').command({ ping: 1 })).ok, 1);
  const status = await c.db('admin').command({ connectionStatus: 1 });
  assert.deepEqual(status.authInfo.authenticatedUsers, []);
  for (const work of [c.db('sales').collection('orders').findOne({}), c.db('admin').command({ listDatabases: 1 }), c.db('admin').command({ getCmdLineOpts: 1 })]) {
    const error = await rejection(work);
    assert.equal(error.code, 13);
    assert.equal(error.codeName, 'Unauthorized');
    assert.match(error.message, /requires authentication/);
  }
});

test('an oversized username is refused without a lookup', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const lookups: string[] = [];
  const node = await usersNode(cleanup, lookups);
  const c = await client(cleanup, node.port, `${'x'.repeat(5000)}:password-1@`, { authMechanism: 'SCRAM-SHA-256' });
  assert.equal((await rejection(c.connect())).code, 18);
  assert.deepEqual(lookups, []);
});

test('a user lookup that fails or is slow answers in order, never hangs the connection', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  let failing = true;
  const node = await startSimulatedMongod({
    kind: 'primary',
    setName: 'rs-auth',
    users: async (username) => {
      if (failing) throw new Error('store unavailable');
      await new Promise((resolve) => setTimeout(resolve, 200));
      return USERS[username];
    },
  });
  cleanup.add(() => node.stop());
  const first = await client(cleanup, node.port, 'alice:p%40ssw0rd-alice@', { authMechanism: 'SCRAM-SHA-256' });
  assert.equal((await rejection(first.connect())).code, 18);
  failing = false;
  const second = await client(cleanup, node.port, 'alice:p%40ssw0rd-alice@', { authMechanism: 'SCRAM-SHA-256' });
  await second.connect();
  assert.equal((await second.db('admin').command({ ping: 1 })).ok, 1);
});
