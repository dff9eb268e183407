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
import { CONSOLE_IDLE_TIMEOUT_MS } from '../../src/domain/console-session.js';
import { createLogger } from '../../src/logging/logger.js';
import { repositories } from '../../src/store/repositories.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// The console's session over real HTTP on a real store: sign-in errors in Atlas's envelope, the
// session acting with the key's roles as stored (same authorisation as Digest), CSRF on writes,
// idle expiry on the server's clock, and the end of the session when the key is deleted.
let test_: TestStore;
let app: FastifyInstance;
let url: string;
let bootstrap: BootstrapKey;
let now = Date.now();
const MEDIA = 'application/vnd.atlas.2023-01-01+json';

before(async () => {
  test_ = await openTestStore();
  const ctx = appContext(test_.store, { domain: 'privlink.test', providers: ['AWS'] });
  bootstrap = (await ensureBootstrap(ctx, null)).key!;
  const sessions = new ConsoleSessions(test_.store, () => new Date(now));
  const authenticator = new Authenticator(credentialsLookup(test_.store), new DigestAuthority(Buffer.from('test-secret'), { nonceTtlMs: 300_000 }), 0, sessions);
  app = await buildApiServer({ ctx, authenticator, log: createLogger('error'), publicUrl: null, consoleSessions: sessions });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await app?.close();
  await test_?.cleanup();
});

async function signIn(publicKey: string, privateKey: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ publicKey, privateKey }) });
  assert.equal(res.status, 201, await res.clone().text());
  const setCookie = res.headers.get('set-cookie')!;
  assert.match(setCookie, /^privlink_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  const body = (await res.json()) as { csrfToken: string; publicKey: string; roles: unknown[]; providers: string[] };
  assert.equal(body.publicKey, publicKey);
  assert.deepEqual(body.providers, ['AWS'], 'the session names the clouds this deployment serves');
  assert.ok(!JSON.stringify(body).includes(setCookie.split(';')[0]!.split('=')[1]!), 'the body never carries the session token');
  return { cookie: setCookie.split(';')[0]!, csrf: body.csrfToken };
}

const services = () => `${url}/api/atlas/v2/groups/${bootstrap.projectId}/privateEndpoint/AWS/endpointService`;
const createService = () => `${url}/api/atlas/v2/groups/${bootstrap.projectId}/privateEndpoint/endpointService`;

describe('console session', () => {
  test('sign-in refuses bad input and bad keys with Atlas errors, never a Digest challenge', async () => {
    const post = (body: string, type = 'application/json') => fetch(`${url}/console/api/session`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: Array<[Response, number, string]> = [
      [await post('{}'), 400, 'MISSING_ATTRIBUTE'],
      [await post(JSON.stringify({ publicKey: bootstrap.publicKey })), 400, 'MISSING_ATTRIBUTE'],
      [await post(JSON.stringify({ publicKey: 7, privateKey: 'x' })), 400, 'INVALID_ATTRIBUTE'],
      [await post('{"publicKey":'), 400, 'INVALID_JSON'],
      [await post('publicKey=a&privateKey=b', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [await post(JSON.stringify({ publicKey: bootstrap.publicKey, privateKey: 'wrong' })), 401, 'UNEXPECTED_ERROR'],
      [await post(JSON.stringify({ publicKey: 'nosuchky', privateKey: bootstrap.privateKey })), 401, 'UNEXPECTED_ERROR'],
    ];
    for (const [res, status, code] of cases) {
      assert.equal(res.status, status);
      assert.equal(((await res.json()) as { errorCode: string }).errorCode, code);
      assert.equal(res.headers.get('www-authenticate'), null);
    }
  });

  test('a session reads freely, writes only with its CSRF token, and acts with the key roles', async () => {
    const owner = await signIn(bootstrap.publicKey, bootstrap.privateKey);
    assert.equal((await fetch(services(), { headers: { cookie: owner.cookie, accept: MEDIA } })).status, 200);
    const write = (session: { cookie: string }, csrf?: string) =>
      fetch(createService(), {
        method: 'POST',
        headers: { cookie: session.cookie, accept: MEDIA, 'content-type': MEDIA, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
        body: JSON.stringify({ providerName: 'AWS', region: 'us-east-1' }),
      });
    const forged = await write(owner, 'not-the-token');
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { errorCode: string }).errorCode, 'CONSOLE_CSRF_TOKEN_INVALID');
    assert.equal((await write(owner, owner.csrf)).status, 201);

    const repos = repositories(test_.store.db);
    const made = await insertApiKey(repos, { orgId: bootstrap.orgId, description: 'read only', orgRoles: ['ORG_MEMBER'], now: new Date() });
    await repos.identity.setProjectRoles(made.apiKey.id, bootstrap.projectId, ['GROUP_READ_ONLY']);
    const reader = await signIn(made.apiKey.publicKey, made.privateKey);
    const refused = await write(reader, reader.csrf);
    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { errorCode: string }).errorCode, 'USER_UNAUTHORIZED');

    // Deleting the key ends its sessions at once.
    await test_.store.db.deleteFrom('api_keys').where('id', '=', made.apiKey.id).execute();
    assert.equal((await fetch(services(), { headers: { cookie: reader.cookie, accept: MEDIA } })).status, 401);
  });

  test('a session idle for 12 hours is over; sign-out ends it at once', async () => {
    const session = await signIn(bootstrap.publicKey, bootstrap.privateKey);
    now += CONSOLE_IDLE_TIMEOUT_MS - 60_000;
    const current = await fetch(`${url}/console/api/session`, { headers: { cookie: session.cookie } });
    assert.equal(current.status, 200, 'used within the limit');
    assert.deepEqual(((await current.json()) as { providers: string[] }).providers, ['AWS']);
    now += CONSOLE_IDLE_TIMEOUT_MS - 1000;
    assert.equal((await fetch(services(), { headers: { cookie: session.cookie, accept: MEDIA } })).status, 200, 'the last use restarted the idle clock');
    now += CONSOLE_IDLE_TIMEOUT_MS;
    const expired = await fetch(services(), { headers: { cookie: session.cookie, accept: MEDIA } });
    assert.equal(expired.status, 401);
    assert.equal(expired.headers.get('www-authenticate'), null);

    const next = await signIn(bootstrap.publicKey, bootstrap.privateKey);
    assert.equal((await fetch(`${url}/console/api/session`, { method: 'DELETE', headers: { cookie: next.cookie } })).status, 403, 'sign-out needs the CSRF token');
    const out = await fetch(`${url}/console/api/session`, { method: 'DELETE', headers: { cookie: next.cookie, 'x-csrf-token': next.csrf } });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal((await fetch(`${url}/console/api/session`, { headers: { cookie: next.cookie } })).status, 401);
  });
});
