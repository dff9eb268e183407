import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { Authenticator } from '../../src/api/atlas/authenticate.js';
import { DigestAuthority } from '../../src/api/atlas/digest-auth.js';
import { buildApiServer } from '../../src/api/server.js';
import { insertApiKey } from '../../src/app/api-keys.service.js';
import { appContext } from '../../src/app/app-context.js';
import { credentialsLookup } from '../../src/app/authentication.service.js';
import { ensureBootstrap, type BootstrapKey } from '../../src/app/bootstrap.service.js';
import { ConsoleSessions } from '../../src/app/console-sessions.service.js';
import { insertProject } from '../../src/app/projects.service.js';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { newObjectId } from '../../src/domain/object-id.js';
import { createLogger } from '../../src/logging/logger.js';
import { repositories } from '../../src/store/repositories.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// Console users over real HTTP on a real store: an Organization Owner creates them through the
// Admin API (never granting a role it lacks), they sign in to the console with email and password
// (one answer for an unknown email and a wrong password), and their sessions act with their roles
// through the same checks as an API key's.
let test_: TestStore;
let app: FastifyInstance;
let url: string;
let bootstrap: BootstrapKey;
let owner: AtlasClient;
const MEDIA = 'application/vnd.atlas.2023-01-01+json';
const PASSWORD = 'correct horse battery';

before(async () => {
  test_ = await openTestStore();
  const ctx = appContext(test_.store, { domain: 'privlink.test', providers: ['AWS'] });
  bootstrap = (await ensureBootstrap(ctx, null)).key!;
  const sessions = new ConsoleSessions(test_.store);
  const authenticator = new Authenticator(credentialsLookup(test_.store), new DigestAuthority(Buffer.from('test-secret'), { nonceTtlMs: 300_000 }), 0, sessions);
  app = await buildApiServer({ ctx, authenticator, log: createLogger('error'), publicUrl: null, consoleSessions: sessions });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  owner = new AtlasClient({ baseUrl: url, publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey });
});
after(async () => {
  owner?.close();
  await app?.close();
  await test_?.cleanup();
});

const usersPath = () => `/api/atlas/v2/orgs/${bootstrap.orgId}/privlink/consoleUsers`;
const services = () => `${url}/api/atlas/v2/groups/${bootstrap.projectId}/privateEndpoint/AWS/endpointService`;
const createService = () => `${url}/api/atlas/v2/groups/${bootstrap.projectId}/privateEndpoint/endpointService`;

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

function signInRequest(email: string, password: string): Promise<Response> {
  return fetch(`${url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
}

async function signIn(email: string, password: string): Promise<Session & { body: Record<string, unknown> }> {
  const res = await signInRequest(email, password);
  assert.equal(res.status, 201, await res.clone().text());
  const setCookie = res.headers.get('set-cookie')!;
  assert.match(setCookie, /^privlink_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  const body = (await res.json()) as Record<string, unknown>;
  return { cookie: setCookie.split(';')[0]!, csrf: body.csrfToken as string, body };
}

function consoleCall(session: Session, method: string, target: string, body?: unknown): Promise<Response> {
  return fetch(target, {
    method,
    headers: { cookie: session.cookie, accept: MEDIA, 'x-csrf-token': session.csrf, ...(body === undefined ? {} : { 'content-type': MEDIA }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { errorCode: string }).errorCode;
}

describe('console users', () => {
  test('an Organization Owner creates a user; the email is unique without regard to case; short passwords are refused', async () => {
    const created = await owner.post(usersPath(), {
      username: 'Reader@Example.com',
      password: PASSWORD,
      roles: [
        { orgId: bootstrap.orgId, roleName: 'ORG_MEMBER' },
        { groupId: bootstrap.projectId, roleName: 'GROUP_READ_ONLY' },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const user = created.json as { id: string; username: string; roles: unknown[] };
    assert.equal(user.username, 'reader@example.com');
    assert.deepEqual(user.roles, [
      { orgId: bootstrap.orgId, roleName: 'ORG_MEMBER' },
      { groupId: bootstrap.projectId, roleName: 'GROUP_READ_ONLY' },
    ]);
    assert.ok(!JSON.stringify(created.json).includes('$2'), 'no password hash in the body');

    const again = await owner.post(usersPath(), { username: 'READER@example.com', password: PASSWORD, roles: [{ roleName: 'ORG_MEMBER' }] });
    assert.equal(again.status, 409);
    assert.equal((again.json as { errorCode: string }).errorCode, 'CONSOLE_USER_ALREADY_EXISTS');
    const short = await owner.post(usersPath(), { username: 'short@example.com', password: 'elevenchars', roles: [{ roleName: 'ORG_MEMBER' }] });
    assert.equal(short.status, 400);
    assert.equal((short.json as { errorCode: string }).errorCode, 'CONSOLE_USER_INVALID_PASSWORD');

    const list = await owner.get(usersPath());
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.json as { results: Array<{ username: string }> }).results.map((u) => u.username),
      ['reader@example.com'],
    );
  });

  test('no caller grants a role it does not hold, nor a role in another organization', async () => {
    const repos = repositories(test_.store.db);
    const member = await insertApiKey(repos, { orgId: bootstrap.orgId, description: 'member', orgRoles: ['ORG_MEMBER'], now: new Date() });
    const memberClient = new AtlasClient({ baseUrl: url, publicKey: member.apiKey.publicKey, privateKey: member.privateKey });
    try {
      const refused = await memberClient.post(usersPath(), { username: 'boss@example.com', password: PASSWORD, roles: [{ roleName: 'ORG_OWNER' }] });
      assert.equal(refused.status, 403);
      assert.equal((refused.json as { errorCode: string }).errorCode, 'USER_UNAUTHORIZED');
    } finally {
      memberClient.close();
    }

    // A console user who is only an Organization Member cannot make an owner either.
    const made = await owner.post(usersPath(), { username: 'member@example.com', password: PASSWORD, roles: [{ roleName: 'ORG_MEMBER' }] });
    assert.equal(made.status, 201);
    const session = await signIn('member@example.com', PASSWORD);
    const escalate = await consoleCall(session, 'POST', `${url}${usersPath()}`, { username: 'boss@example.com', password: PASSWORD, roles: [{ roleName: 'ORG_OWNER' }] });
    assert.equal(escalate.status, 403);
    assert.equal(await errorCode(escalate), 'USER_UNAUTHORIZED');

    const otherOrg = newObjectId();
    await repos.identity.insertOrganization({ id: otherOrg, name: 'Other', paymentOnFile: true, createdAt: new Date() });
    const foreign = await insertProject(repos, otherOrg, 'Foreign', new Date());
    const cross = await owner.post(usersPath(), {
      username: 'cross@example.com',
      password: PASSWORD,
      roles: [{ roleName: 'ORG_MEMBER' }, { groupId: foreign.id, roleName: 'GROUP_OWNER' }],
    });
    assert.equal(cross.status, 404);
    assert.equal((cross.json as { errorCode: string }).errorCode, 'GROUP_NOT_FOUND');
    const list = (await owner.get(usersPath())).json as { results: Array<{ username: string }> };
    assert.ok(!list.results.some((u) => u.username === 'boss@example.com' || u.username === 'cross@example.com'));
  });

  test('sign-in: the right password opens a session; a wrong one and an unknown email get the same answer in comparable time', async () => {
    const session = await signIn('  READER@example.com ', PASSWORD);
    assert.equal(session.body.kind, 'consoleUser');
    assert.equal(session.body.email, 'reader@example.com');
    assert.equal(session.body.publicKey, undefined);
    assert.equal((await fetch(`${url}/console/api/session`, { headers: { cookie: session.cookie } })).status, 200);

    const timed = async (email: string, password: string) => {
      const started = performance.now();
      const res = await signInRequest(email, password);
      const body = (await res.json()) as { errorCode: string; detail: string };
      return { ms: performance.now() - started, status: res.status, body, cookie: res.headers.get('set-cookie') };
    };
    const wrong = await timed('reader@example.com', 'not the password at all');
    const unknown = await timed('nobody@example.com', PASSWORD);
    for (const answer of [wrong, unknown]) {
      assert.equal(answer.status, 401);
      assert.equal(answer.body.errorCode, 'CONSOLE_SIGN_IN_FAILED');
      assert.equal(answer.body.detail, 'Wrong email or password.');
      assert.equal(answer.cookie, null);
    }
    // Without the dummy bcrypt check an unknown email would answer in about a millisecond.
    assert.ok(unknown.ms > wrong.ms / 4, `unknown email ${unknown.ms.toFixed(0)} ms vs wrong password ${wrong.ms.toFixed(0)} ms`);
    const missing = await fetch(`${url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@b.io' }) });
    assert.equal(missing.status, 400);
  });

  test("a user's session acts with its roles: a read-only user reads but cannot write; deleting the user ends its sessions", async () => {
    const reader = await signIn('reader@example.com', PASSWORD);
    assert.equal((await consoleCall(reader, 'GET', services())).status, 200);
    const write = await consoleCall(reader, 'POST', createService(), { providerName: 'AWS', region: 'us-east-1' });
    assert.equal(write.status, 403);
    assert.equal(await errorCode(write), 'USER_UNAUTHORIZED');

    const users = (await owner.get(usersPath())).json as { results: Array<{ id: string; username: string }> };
    const readerId = users.results.find((u) => u.username === 'reader@example.com')!.id;
    assert.equal((await owner.delete(`${usersPath()}/${readerId}`)).status, 204);
    assert.equal((await consoleCall(reader, 'GET', services())).status, 401);
    assert.equal((await signInRequest('reader@example.com', PASSWORD)).status, 401);
  });

  test('an Organization Owner user creates users from the console and writes in projects where it is Project Owner', async () => {
    const made = await owner.post(usersPath(), {
      username: 'owner@example.com',
      password: PASSWORD,
      roles: [{ roleName: 'ORG_OWNER' }, { groupId: bootstrap.projectId, roleName: 'GROUP_OWNER' }],
    });
    assert.equal(made.status, 201);
    const session = await signIn('owner@example.com', PASSWORD);
    assert.equal((await consoleCall(session, 'POST', createService(), { providerName: 'AWS', region: 'us-east-1' })).status, 201);
    const created = await consoleCall(session, 'POST', `${url}${usersPath()}`, { username: 'ops@example.com', password: PASSWORD, roles: [{ roleName: 'ORG_READ_ONLY' }] });
    assert.equal(created.status, 201, await created.clone().text());
    const noCsrf = await fetch(`${url}${usersPath()}`, {
      method: 'POST',
      headers: { cookie: session.cookie, accept: MEDIA, 'content-type': MEDIA },
      body: JSON.stringify({ username: 'x@example.com', password: PASSWORD, roles: [{ roleName: 'ORG_MEMBER' }] }),
    });
    assert.equal(noCsrf.status, 403);
    assert.equal(await errorCode(noCsrf), 'CONSOLE_CSRF_TOKEN_INVALID');

    // Without a project role, an Organization Owner user is told it is not in the project.
    const outsider = await owner.post(usersPath(), { username: 'org-owner@example.com', password: PASSWORD, roles: [{ roleName: 'ORG_OWNER' }] });
    assert.equal(outsider.status, 201);
    const outside = await signIn('org-owner@example.com', PASSWORD);
    const read = await consoleCall(outside, 'GET', services());
    assert.equal(read.status, 403);
    const body = (await read.json()) as { errorCode: string; detail: string };
    assert.equal(body.errorCode, 'NOT_IN_GROUP');
    assert.match(body.detail, /console user/);
  });
});
