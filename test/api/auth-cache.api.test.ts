import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Authenticator } from '../../src/api/atlas/authenticate.js';
import { DigestAuthority } from '../../src/api/atlas/digest-auth.js';
import { buildApiServer } from '../../src/api/server.js';
import { credentialsLookup } from '../../src/app/authentication.service.js';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { createLogger } from '../../src/logging/logger.js';
import { digestAnswer } from '../support/digest-answer.js';
import { repositories } from '../../src/store/repositories.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

// The authentication cache: keys and roles are cached for a long time here (60 s), so every
// refusal below comes from invalidation, not from expiry. A second server on the same store
// stands for another replica: it does not see this process's writes and relies on its 300 ms bound.

const V2 = '/api/atlas/v2';
const REPLICA_CACHE_MS = 300;

let api: ApiHarness;
let replica: FastifyInstance;
let replicaUrl: string;
const replicaClients: AtlasClient[] = [];
before(async () => {
  api = await startApi({ authCacheMs: 60_000 });
  // The same Digest secret (every replica shares it), its own cache, and no view of this process's writes.
  const authenticator = new Authenticator(credentialsLookup(api.store), new DigestAuthority(Buffer.from('test-secret'), { nonceTtlMs: 300_000 }), REPLICA_CACHE_MS, undefined, {
    value: 0,
  });
  replica = await buildApiServer({ ctx: api.ctx, authenticator, log: createLogger('error'), publicUrl: null });
  await replica.listen({ host: '127.0.0.1', port: 0 });
  replicaUrl = `http://127.0.0.1:${(replica.server.address() as AddressInfo).port}`;
});
after(async () => {
  for (const c of replicaClients) c.close();
  await replica?.close();
  await api?.close();
});

const projectId = () => api.bootstrap.projectId;
const orgId = () => api.bootstrap.orgId;
const servicesPath = () => `${V2}/groups/${projectId()}/privateEndpoint/AWS/endpointService`;

describe('the authentication cache, in the process that makes the change', () => {
  test('a deleted API key is refused on its very next request', async () => {
    const key = await api.makeKey(orgId(), ['ORG_MEMBER'], [[projectId(), 'GROUP_READ_ONLY']]);
    assert.equal((await key.get(servicesPath())).status, 200);
    assert.equal((await key.get(servicesPath())).status, 200, 'served from the cache');
    assert.equal((await api.owner.delete(`${V2}/orgs/${orgId()}/apiKeys/${key.apiKeyId}`)).status, 204);
    assert.equal((await key.get(servicesPath())).status, 401);
  });

  test('a project role removed through the API is enforced on the next request', async () => {
    const key = await api.makeKey(orgId(), ['ORG_MEMBER'], [[projectId(), 'GROUP_READ_ONLY']]);
    assert.equal((await key.get(servicesPath())).status, 200);
    assert.equal((await api.owner.delete(`${V2}/groups/${projectId()}/apiKeys/${key.apiKeyId}`)).status, 204);
    const after = await key.get(servicesPath());
    assert.equal(after.status, 403, after.text);
    assert.equal((after.json as { errorCode: string }).errorCode, 'USER_UNAUTHORIZED');
  });

  test('an organization role lowered through the API is enforced on the next request', async () => {
    const key = await api.makeKey(orgId(), ['ORG_OWNER']);
    assert.equal((await key.get(`${V2}/orgs/${orgId()}/apiKeys`)).status, 200);
    const patched = await api.owner.patch(`${V2}/orgs/${orgId()}/apiKeys/${key.apiKeyId}`, { roles: ['ORG_MEMBER'] });
    assert.equal(patched.status, 200, patched.text);
    // Creating a key needs Organization Owner: refused now, before the body is looked at.
    const create = await key.post(`${V2}/orgs/${orgId()}/apiKeys`, { desc: 'x', roles: ['ORG_MEMBER'] });
    assert.equal(create.status, 403, create.text);
  });

  test('a role removed by a write to the store outside the API (an admin command in this process) applies on the next request', async () => {
    const key = await api.makeKey(orgId(), ['ORG_MEMBER'], [[projectId(), 'GROUP_READ_ONLY']]);
    assert.equal((await key.get(servicesPath())).status, 200);
    await repositories(api.store.db).identity.setProjectRoles(key.apiKeyId, projectId(), []);
    assert.equal((await key.get(servicesPath())).status, 403);
  });

  test('writes to other tables keep a cached key; a write to a table keys are read from drops it', async () => {
    const key = await api.makeKey(orgId(), ['ORG_MEMBER'], [[projectId(), 'GROUP_READ_ONLY']]);
    assert.equal((await key.get(servicesPath())).status, 200);
    // The key's row goes without this process seeing it (as another replica's write would).
    await api.store.db.withoutPlugins().deleteFrom('api_keys').where('id', '=', key.apiKeyId).execute();
    // This process writes the work queue, the events, the settings: the cache keeps the key.
    await api.store.transaction(async (trx) => {
      await trx
        .insertInto('settings')
        .values({ key: `auth-cache-${key.apiKeyId}`, value: 'x' })
        .execute();
    });
    assert.equal((await key.get(servicesPath())).status, 200, 'still served from the cache');
    // A write to a table keys are read from (an organization renamed) drops it: the key is gone.
    await api.store.db.updateTable('organizations').set({ name: 'renamed for the cache test' }).where('id', '=', orgId()).execute();
    assert.equal((await key.get(servicesPath())).status, 401);
  });

  test('a replayed request counter is refused although the key is cached', async () => {
    await api.owner.get(servicesPath());
    const { original, replay } = await digestGet(api.url, servicesPath(), api.bootstrap.publicKey, api.bootstrap.privateKey, 1);
    assert.equal(original.status, 200);
    assert.equal(replay.status, 401);
  });
});

describe('the authentication cache, under concurrent requests', () => {
  test('requests that miss the cache at once share one read of the key', async () => {
    let reads = 0;
    const lookup = credentialsLookup(api.store);
    const cacheMs = 200;
    const authenticator = new Authenticator(
      async (publicKey) => {
        reads++;
        return lookup(publicKey);
      },
      new DigestAuthority(Buffer.from('test-secret'), { nonceTtlMs: 300_000 }),
      cacheMs,
      undefined,
      { value: 0 },
    );
    const server = await buildApiServer({ ctx: api.ctx, authenticator, log: createLogger('error'), publicUrl: null });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    const key = await api.makeKey(orgId(), ['ORG_MEMBER'], [[projectId(), 'GROUP_READ_ONLY']]);
    const clients = Array.from({ length: 16 }, () => new AtlasClient({ baseUrl: base, publicKey: key.publicKey, privateKey: key.privateKey }));
    try {
      // Each client's first request answers its Digest challenge; the key is read and cached.
      for (const client of clients) assert.equal((await client.get(servicesPath())).status, 200);
      await new Promise((resolve) => setTimeout(resolve, cacheMs + 50));
      reads = 0;
      const answers = await Promise.all(clients.map((client) => client.get(servicesPath())));
      assert.deepEqual(
        answers.map((a) => a.status),
        clients.map(() => 200),
      );
      assert.equal(reads, 1, `${reads} reads of the key for ${clients.length} requests after it expired`);
    } finally {
      for (const client of clients) client.close();
      await server.close();
    }
  });
});

describe('the authentication cache, in another replica', () => {
  test(`a key deleted elsewhere is refused within ${REPLICA_CACHE_MS} ms`, async () => {
    const key = await api.makeKey(orgId(), ['ORG_MEMBER'], [[projectId(), 'GROUP_READ_ONLY']]);
    const onReplica = new AtlasClient({ baseUrl: replicaUrl, publicKey: key.publicKey, privateKey: key.privateKey });
    replicaClients.push(onReplica);
    assert.equal((await onReplica.get(servicesPath())).status, 200);
    assert.equal((await api.owner.delete(`${V2}/orgs/${orgId()}/apiKeys/${key.apiKeyId}`)).status, 204);
    await new Promise((resolve) => setTimeout(resolve, REPLICA_CACHE_MS + 50));
    assert.equal((await onReplica.get(servicesPath())).status, 401);
  });

  test(`a role removed elsewhere is enforced within ${REPLICA_CACHE_MS} ms`, async () => {
    const key = await api.makeKey(orgId(), ['ORG_MEMBER'], [[projectId(), 'GROUP_READ_ONLY']]);
    const onReplica = new AtlasClient({ baseUrl: replicaUrl, publicKey: key.publicKey, privateKey: key.privateKey });
    replicaClients.push(onReplica);
    assert.equal((await onReplica.get(servicesPath())).status, 200);
    assert.equal((await api.owner.delete(`${V2}/groups/${projectId()}/apiKeys/${key.apiKeyId}`)).status, 204);
    await new Promise((resolve) => setTimeout(resolve, REPLICA_CACHE_MS + 50));
    assert.equal((await onReplica.get(servicesPath())).status, 403);
  });
});

/**
 * One Digest GET (MD5, qop=auth) with request counter `nc` on a fresh nonce, then the very same
 * request again (same nonce, same nc).
 */
async function digestGet(base: string, path: string, publicKey: string, privateKey: string, nc: number): Promise<{ original: { status: number }; replay: { status: number } }> {
  const challenge = await get(base, path);
  const header = String(([] as string[]).concat(challenge.headers['www-authenticate'] ?? [])[0]);
  const nonce = /nonce="([^"]+)"/.exec(header)?.[1];
  assert.ok(nonce, `a Digest challenge, got ${header}`);
  const authorization = digestAnswer({ publicKey, privateKey }, header, { method: 'GET', path, nc, cnonce: 'c0ffee' });
  const original = await get(base, path, authorization);
  const replay = await get(base, path, authorization);
  return { original, replay };
}

function get(base: string, path: string, authorization?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/vnd.atlas.2023-01-01+json' };
    if (authorization) headers.authorization = authorization;
    const req = request(`${base}${path}`, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
