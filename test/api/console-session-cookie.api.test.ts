import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { Authenticator } from '../../src/api/atlas/authenticate.js';
import { DigestAuthority } from '../../src/api/atlas/digest-auth.js';
import { buildApiServer } from '../../src/api/server.js';
import { appContext } from '../../src/app/app-context.js';
import { credentialsLookup } from '../../src/app/authentication.service.js';
import { ensureBootstrap, type BootstrapKey } from '../../src/app/bootstrap.service.js';
import { ConsoleSessions } from '../../src/app/console-sessions.service.js';
import { buildConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// The console's session cookie over real HTTP on a real store, from two servers on one store: one
// reached directly over plain HTTP (no public URL), one behind a TLS-terminating proxy, told so by
// its public URL (`--public-url https://…`). Only the second marks the cookie Secure; both keep it
// HttpOnly and SameSite=Strict, on sign-in and on sign-out. A request's own X-Forwarded-Proto
// decides nothing: privlink trusts no proxy header.
let test_: TestStore;
let bootstrap: BootstrapKey;
const servers: FastifyInstance[] = [];
let plainUrl: string;
let behindTlsUrl: string;

async function serve(test: TestStore, publicUrl: string | null): Promise<string> {
  const ctx = appContext(test.store, { domain: 'privlink.test', providers: ['AWS'] });
  const sessions = new ConsoleSessions(test.store, () => new Date());
  const authenticator = new Authenticator(credentialsLookup(test.store), new DigestAuthority(Buffer.from('test-secret'), { nonceTtlMs: 300_000 }), 0, sessions);
  const app = await buildApiServer({ ctx, authenticator, log: createLogger('error'), publicUrl, consoleSessions: sessions });
  servers.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

before(async () => {
  test_ = await openTestStore();
  bootstrap = (await ensureBootstrap(appContext(test_.store, { domain: 'privlink.test', providers: ['AWS'] }), null)).key!;
  plainUrl = await serve(test_, null);
  // As `privlink serve --public-url https://privlink.example.com/` builds it.
  behindTlsUrl = await serve(test_, buildConfig({ publicUrl: 'https://privlink.example.com/' }, {}).publicUrl);
});
after(async () => {
  for (const app of servers) await app.close();
  await test_?.cleanup();
});

/** Signs in (optionally claiming `X-Forwarded-Proto`), then signs out; returns both Set-Cookie headers. */
async function signInAndOut(url: string, forwardedProto?: string): Promise<{ signIn: string; signOut: string }> {
  const forwarded: Record<string, string> = forwardedProto ? { 'x-forwarded-proto': forwardedProto } : {};
  const res = await fetch(`${url}/console/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...forwarded },
    body: JSON.stringify({ publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const signIn = res.headers.get('set-cookie')!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const out = await fetch(`${url}/console/api/session`, { method: 'DELETE', headers: { cookie: signIn.split(';')[0]!, 'x-csrf-token': csrfToken, ...forwarded } });
  assert.equal(out.status, 204);
  return { signIn, signOut: out.headers.get('set-cookie')! };
}

/** The cookie's attributes after its `name=value`, in order. */
const attributes = (setCookie: string) => setCookie.split('; ').slice(1);

describe('console session cookie: Secure behind TLS only', () => {
  test('over plain HTTP the cookie is HttpOnly and SameSite=Strict, without Secure', async () => {
    const { signIn, signOut } = await signInAndOut(plainUrl);
    assert.match(signIn, /^privlink_session=[A-Za-z0-9_-]{43};/);
    assert.deepEqual(attributes(signIn), ['Path=/', 'HttpOnly', 'SameSite=Strict']);
    assert.deepEqual(attributes(signOut), ['Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0']);
  });

  test('behind TLS (public URL https://…) the cookie is also Secure, on sign-in and on sign-out', async () => {
    const { signIn, signOut } = await signInAndOut(behindTlsUrl);
    assert.match(signIn, /^privlink_session=[A-Za-z0-9_-]{43};/);
    assert.deepEqual(attributes(signIn), ['Path=/', 'HttpOnly', 'SameSite=Strict', 'Secure']);
    assert.deepEqual(attributes(signOut), ['Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0', 'Secure']);
  });

  test('X-Forwarded-Proto from the request changes nothing: no proxy header is trusted', async () => {
    assert.deepEqual(attributes((await signInAndOut(plainUrl, 'https')).signIn), ['Path=/', 'HttpOnly', 'SameSite=Strict']);
    assert.deepEqual(attributes((await signInAndOut(behindTlsUrl, 'http')).signIn), ['Path=/', 'HttpOnly', 'SameSite=Strict', 'Secure']);
  });
});
