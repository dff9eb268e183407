import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AtlasResponse } from '../../src/client/atlas-client.js';
import { repositories } from '../../src/store/repositories.js';
import { expectDatabaseUserContract } from '../support/atlas-contract.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

// Database users through the Admin API alone: Atlas's CloudDatabaseUser shape on v2 and v1.0, every
// route, validation errors, passwords never returned and stored only as SCRAM credentials.
let api: ApiHarness;
let v2: string;
let v1: string;

before(async () => {
  api = await startApi();
  v2 = `/api/atlas/v2/groups/${api.bootstrap.projectId}`;
  v1 = `/api/atlas/v1.0/groups/${api.bootstrap.projectId}`;
  // A cluster for scopes to name.
  const cluster = await api.owner.post(`${v2}/clusters`, {
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  });
  assert.equal(cluster.status, 201, cluster.text);
});
after(async () => api?.close());

function code(res: AtlasResponse): string {
  return (res.json as { errorCode?: string }).errorCode ?? `(no error: ${res.status})`;
}

const PASSWORD = 'correct horse battery';
const alice = {
  databaseName: 'admin',
  username: 'alice',
  password: PASSWORD,
  roles: [
    { roleName: 'readWrite', databaseName: 'sales' },
    { roleName: 'read', databaseName: 'marketing', collectionName: 'leads' },
  ],
  scopes: [{ name: 'Cluster0', type: 'CLUSTER' }],
  labels: [{ key: 'team', value: 'web' }],
  description: 'web app',
};

describe('database users', () => {
  test('POST answers 201 in the CloudDatabaseUser shape, without the password', async () => {
    const res = await api.owner.post(`${v2}/databaseUsers`, alice);
    expectDatabaseUserContract(res, 'POST', '', 201);
    const body = res.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), [
      'awsIAMType',
      'databaseName',
      'description',
      'groupId',
      'labels',
      'ldapAuthType',
      'links',
      'oidcAuthType',
      'roles',
      'scopes',
      'username',
      'x509Type',
    ]);
    assert.equal(body.username, 'alice');
    assert.equal(body.groupId, api.bootstrap.projectId);
    assert.deepEqual(body.roles, alice.roles);
    assert.deepEqual(body.scopes, alice.scopes);
    assert.ok(!res.text.includes(PASSWORD) && !res.text.includes('password'), res.text);
  });

  test('the store keeps SCRAM-SHA-1 and SCRAM-SHA-256 credentials, never the password', async () => {
    const user = await repositories(api.store.db).databaseUsers.find(api.bootstrap.projectId, 'admin', 'alice', new Date());
    assert.ok(user);
    assert.deepEqual(Object.keys(user.credentials).sort(), ['SCRAM-SHA-1', 'SCRAM-SHA-256']);
    assert.equal(user.credentials['SCRAM-SHA-1'].iterationCount, 10_000);
    assert.equal(user.credentials['SCRAM-SHA-256'].iterationCount, 15_000);
    assert.equal(Buffer.from(user.credentials['SCRAM-SHA-256'].storedKey, 'base64').length, 32);
    const rows = await api.store.db.selectFrom('database_users').selectAll().execute();
    assert.ok(!JSON.stringify(rows).includes(PASSWORD));
  });

  test('GET one and the paginated list, on v2 and on v1.0', async () => {
    const one = await api.owner.get(`${v2}/databaseUsers/admin/alice`);
    expectDatabaseUserContract(one, 'GET', '/{databaseName}/{username}', 200);
    const list = await api.owner.get(`${v2}/databaseUsers`);
    expectDatabaseUserContract(list, 'GET', '', 200);
    assert.equal((list.json as { totalCount: number }).totalCount, 1);
    const legacy = await api.owner.get(`${v1}/databaseUsers/admin/alice`);
    assert.equal(legacy.status, 200, legacy.text);
    assert.equal((legacy.json as { username: string }).username, 'alice');
    assert.ok(String(legacy.headers['content-type']).startsWith('application/json'));
  });

  test('a username the project has answers 409 USER_ALREADY_EXISTS', async () => {
    const res = await api.owner.post(`${v2}/databaseUsers`, alice);
    assert.equal(res.status, 409, res.text);
    assert.equal(code(res), 'USER_ALREADY_EXISTS');
  });

  test('PATCH changes roles and the password (new credentials), keeps the rest', async () => {
    const before = await repositories(api.store.db).databaseUsers.find(api.bootstrap.projectId, 'admin', 'alice', new Date());
    const res = await api.owner.patch(`${v2}/databaseUsers/admin/alice`, { roles: [{ roleName: 'readWriteAnyDatabase', databaseName: 'admin' }], password: 'another password' });
    expectDatabaseUserContract(res, 'PATCH', '/{databaseName}/{username}', 200);
    const body = res.json as { roles: unknown; scopes: unknown; description: string };
    assert.deepEqual(body.roles, [{ databaseName: 'admin', roleName: 'readWriteAnyDatabase' }]);
    assert.deepEqual(body.scopes, alice.scopes);
    assert.equal(body.description, 'web app');
    const after = await repositories(api.store.db).databaseUsers.find(api.bootstrap.projectId, 'admin', 'alice', new Date());
    assert.notEqual(after!.credentials['SCRAM-SHA-256'].storedKey, before!.credentials['SCRAM-SHA-256'].storedKey);
  });

  test('unknown users answer 404 USERNAME_NOT_FOUND on GET, PATCH and DELETE', async () => {
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await api.owner.request(method, `${v2}/databaseUsers/admin/nobody`, method === 'PATCH' ? { body: {} } : {});
      assert.equal(res.status, 404, `${method}: ${res.text}`);
      assert.equal(code(res), 'USERNAME_NOT_FOUND');
    }
    const external = await api.owner.get(`${v2}/databaseUsers/$external/alice`);
    assert.equal(code(external), 'USERNAME_NOT_FOUND');
  });

  test('validation errors name the attribute, as Atlas does', async () => {
    const cases: Array<[Record<string, unknown>, string, string?]> = [
      [{ ...alice, username: undefined, password: PASSWORD }, 'MISSING_ATTRIBUTE', 'username'],
      [{ ...alice, username: 'bob', password: undefined }, 'MISSING_ATTRIBUTE', 'password'],
      [{ ...alice, username: 'bob', roles: undefined }, 'MISSING_ATTRIBUTE', 'roles'],
      [{ ...alice, username: 'bob', roles: [] }, 'INVALID_ATTRIBUTE', 'roles'],
      [{ ...alice, username: 'bob', password: 'short' }, 'DATABASE_USER_PASSWORD_TOO_SHORT'],
      [{ ...alice, username: 'bob', roles: [{ roleName: 'root', databaseName: 'admin' }] }, 'INVALID_ENUM_VALUE', 'root'],
      [{ ...alice, username: 'bob', roles: [{ roleName: 'atlasAdmin', databaseName: 'sales' }] }, 'DATABASE_USER_INVALID_ROLE', 'atlasAdmin'],
      [{ ...alice, username: 'bob', roles: [{ roleName: 'dbAdmin', databaseName: 'sales', collectionName: 'x' }] }, 'DATABASE_USER_INVALID_ROLE'],
      [{ ...alice, username: 'bob', roles: [{ roleName: 'read' }] }, 'MISSING_ATTRIBUTE', 'roles[0].databaseName'],
      [{ ...alice, username: 'bob', databaseName: '$external' }, 'INVALID_ENUM_VALUE', '$external'],
      [{ ...alice, username: 'bob', x509Type: 'CUSTOMER' }, 'DATABASE_USER_AUTH_TYPE_UNSUPPORTED', 'x509Type'],
      [{ ...alice, username: 'bob', scopes: [{ name: 'NoSuchCluster', type: 'CLUSTER' }] }, 'DATABASE_USER_SCOPE_NOT_FOUND', 'NoSuchCluster'],
      [{ ...alice, username: 'bob', scopes: [{ name: 'Cluster0', type: 'WAREHOUSE' }] }, 'INVALID_ENUM_VALUE', 'WAREHOUSE'],
      [{ ...alice, username: 'bob', deleteAfterDate: '2001-01-01T00:00:00Z' }, 'DATABASE_USER_INVALID_DELETE_AFTER_DATE'],
      [{ ...alice, username: 'bob', description: 'x'.repeat(101) }, 'INVALID_ATTRIBUTE', 'description'],
      [{ ...alice, username: 'bob', groupId: '000000000000000000000000' }, 'INVALID_ATTRIBUTE', 'groupId'],
    ];
    for (const [body, errorCode, mentioned] of cases) {
      const res = await api.owner.post(`${v2}/databaseUsers`, body);
      assert.equal(res.status, 400, `${errorCode}: ${res.text}`);
      assert.equal(code(res), errorCode, res.text);
      if (mentioned) assert.ok(res.text.includes(mentioned), `${errorCode} should mention ${mentioned}: ${res.text}`);
    }
    const list = await api.owner.get(`${v2}/databaseUsers`);
    assert.equal((list.json as { totalCount: number }).totalCount, 1, 'nothing was created');
  });

  test('PATCH may not rename the user', async () => {
    const res = await api.owner.patch(`${v2}/databaseUsers/admin/alice`, { username: 'mallory' });
    assert.equal(code(res), 'INVALID_ATTRIBUTE');
  });

  test('a user past its deleteAfterDate is gone', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const res = await api.owner.post(`${v2}/databaseUsers`, {
      username: 'temp',
      password: PASSWORD,
      databaseName: 'admin',
      roles: [{ roleName: 'read', databaseName: 'x' }],
      deleteAfterDate: soon,
    });
    assert.equal(res.status, 201, res.text);
    assert.equal((await api.owner.get(`${v2}/databaseUsers/admin/temp`)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    assert.equal(code(await api.owner.get(`${v2}/databaseUsers/admin/temp`)), 'USERNAME_NOT_FOUND');
    assert.ok(!(await api.owner.get(`${v2}/databaseUsers`)).text.includes('"temp"'));
  });

  test('usernames with URL-special characters round-trip through the path', async () => {
    const username = 'ops/team@example.com';
    const res = await api.owner.post(`${v2}/databaseUsers`, {
      username,
      password: PASSWORD,
      databaseName: 'admin',
      roles: [{ roleName: 'readAnyDatabase', databaseName: 'admin' }],
    });
    assert.equal(res.status, 201, res.text);
    const path = `${v2}/databaseUsers/admin/${encodeURIComponent(username)}`;
    assert.equal((await api.owner.get(path)).status, 200);
    assert.equal((await api.owner.delete(path)).status, 204);
  });

  test('Read Only reads but cannot write; its refused write changes nothing', async () => {
    const readOnly = await api.makeKey(api.bootstrap.orgId, ['ORG_MEMBER'], [[api.bootstrap.projectId, 'GROUP_READ_ONLY']]);
    assert.equal((await readOnly.get(`${v2}/databaseUsers/admin/alice`)).status, 200);
    const create = await readOnly.post(`${v2}/databaseUsers`, { ...alice, username: 'eve' });
    assert.equal(create.status, 403);
    assert.equal(code(create), 'USER_UNAUTHORIZED');
    assert.equal((await readOnly.delete(`${v2}/databaseUsers/admin/alice`)).status, 403);
    assert.equal((await api.owner.get(`${v2}/databaseUsers/admin/eve`)).status, 404);
  });

  test('DELETE answers 204, then the user is gone', async () => {
    const res = await api.owner.delete(`${v2}/databaseUsers/admin/alice`);
    assert.equal(res.status, 204, res.text);
    assert.equal(code(await api.owner.get(`${v2}/databaseUsers/admin/alice`)), 'USERNAME_NOT_FOUND');
    const events = (await api.owner.get(`${v2}/events`)).json as { results: Array<{ eventTypeName: string }> };
    const types = events.results.map((e) => e.eventTypeName);
    for (const type of ['MONGODB_USER_ADDED', 'MONGODB_USER_UPDATED', 'MONGODB_USER_DELETED']) assert.ok(types.includes(type), `${type} in ${types.join(',')}`);
  });
});
