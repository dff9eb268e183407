import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Authenticator } from '../../src/api/atlas/authenticate.js';
import { DigestAuthority } from '../../src/api/atlas/digest-auth.js';
import { buildApiServer } from '../../src/api/server.js';
import { CACHED_READ_TABLES, reader } from '../../src/app/app-context.js';
import { CREDENTIAL_TABLES, credentialsLookup } from '../../src/app/authentication.service.js';
import { ReadCache } from '../../src/app/read-cache.js';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { createLogger } from '../../src/logging/logger.js';
import { repositories } from '../../src/store/repositories.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

// The endpoint-service GET's read cache (src/app/read-cache.ts). Two more servers on the harness's
// store: "cached" shares this process's write generation but keeps entries for a minute, so a fresh
// answer there can only come from invalidation, never from expiry; "replica" stands for another
// process on the same database: it sees none of this process's writes and relies on its 300 ms bound.

const V2 = '/api/atlas/v2';
const REPLICA_CACHE_MS = 300;

let api: ApiHarness;
const servers: FastifyInstance[] = [];
const clients: AtlasClient[] = [];
let cached: AtlasClient;
let replica: AtlasClient;

async function serverWith(cache: ReadCache, projects: ReadCache): Promise<AtlasClient> {
  const authenticator = new Authenticator(
    credentialsLookup(api.store),
    new DigestAuthority(Buffer.from('test-secret'), { nonceTtlMs: 300_000 }),
    0,
    undefined,
    api.store.writes.scope(CREDENTIAL_TABLES),
  );
  const app = await buildApiServer({ ctx: { ...api.ctx, cache, projects }, authenticator, log: createLogger('error'), publicUrl: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  servers.push(app);
  const client = new AtlasClient({
    baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    publicKey: api.bootstrap.publicKey,
    privateKey: api.bootstrap.privateKey,
  });
  clients.push(client);
  return client;
}

before(async () => {
  api = await startApi();
  cached = await serverWith(new ReadCache(api.store.writes.scope(CACHED_READ_TABLES), 60_000), new ReadCache(api.store.writes.scope(['projects']), 60_000));
  replica = await serverWith(new ReadCache({ value: 0 }, REPLICA_CACHE_MS), new ReadCache({ value: 0 }, REPLICA_CACHE_MS));
});
after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.close();
  await api?.close();
});

const servicesPath = () => `${V2}/groups/${api.bootstrap.projectId}/privateEndpoint`;

async function newService(region: string): Promise<string> {
  const created = await api.owner.post(`${servicesPath()}/endpointService`, { providerName: 'AWS', region });
  assert.equal(created.status, 201, created.text);
  return (created.json as { id: string }).id;
}

async function read(client: AtlasClient, id: string): Promise<{ status: string; endpointServiceName: string | null; interfaceEndpoints: string[] }> {
  const res = await client.get(`${servicesPath()}/AWS/endpointService/${id}`);
  assert.equal(res.status, 200, res.text);
  return res.json as { status: string; endpointServiceName: string | null; interfaceEndpoints: string[] };
}

describe('the endpoint-service GET cache, in the process that writes', () => {
  test('a change written to the store (as the reconciler does) shows on the next GET', async () => {
    const id = await newService('us-east-1');
    assert.equal((await read(cached, id)).status, 'INITIATING');
    assert.equal((await read(cached, id)).status, 'INITIATING', 'served from the cache');
    await repositories(api.store.db).privateEndpoints.updateService(id, { status: 'AVAILABLE', endpointServiceName: 'com.amazonaws.vpce.us-east-1.vpce-svc-0cache' }, new Date());
    const after = await read(cached, id);
    assert.equal(after.status, 'AVAILABLE');
    assert.equal(after.endpointServiceName, 'com.amazonaws.vpce.us-east-1.vpce-svc-0cache');
  });

  test('a deletion asked for through the API shows on the next GET, and a deleted service is 404', async () => {
    const id = await newService('us-west-2');
    assert.equal((await read(cached, id)).status, 'INITIATING');
    assert.equal((await api.owner.delete(`${servicesPath()}/AWS/endpointService/${id}`)).status, 202);
    assert.equal((await read(cached, id)).status, 'DELETING');
    await repositories(api.store.db).privateEndpoints.deleteService(id);
    assert.equal((await cached.get(`${servicesPath()}/AWS/endpointService/${id}`)).status, 404);
  });
});

describe('the endpoint-service GET cache, in another replica', () => {
  test(`a change written elsewhere shows within ${REPLICA_CACHE_MS} ms`, async () => {
    const id = await newService('eu-west-1');
    assert.equal((await read(replica, id)).status, 'INITIATING');
    await repositories(api.store.db).privateEndpoints.updateService(id, { status: 'AVAILABLE' }, new Date());
    await sleep(REPLICA_CACHE_MS + 50);
    assert.equal((await read(replica, id)).status, 'AVAILABLE');
  });
});

describe("a reader's project reads, from a cache of their own", () => {
  const projectPath = (id: string) => `${V2}/groups/${id}`;

  async function newProject(name: string): Promise<string> {
    const created = await api.owner.post(`${V2}/groups`, { name, orgId: api.bootstrap.orgId });
    assert.equal(created.status, 201, created.text);
    return (created.json as { id: string }).id;
  }

  test('in the process that writes, a renamed project and a deleted one show on the next GET', async () => {
    const id = await newProject('cache-project-a');
    assert.equal(((await cached.get(projectPath(id))).json as { name: string }).name, 'cache-project-a');
    await repositories(api.store.db).identity.updateProject(id, { name: 'cache-project-b' });
    assert.equal(((await cached.get(projectPath(id))).json as { name: string }).name, 'cache-project-b', 'the write dropped the entry (the entry lives a minute)');
    assert.equal((await api.owner.delete(projectPath(id))).status, 204);
    const gone = await cached.get(`${servicesPath().replace(api.bootstrap.projectId, id)}/AWS/endpointService`);
    assert.equal(gone.status, 404, gone.text);
    assert.equal((gone.json as { errorCode: string }).errorCode, 'GROUP_NOT_FOUND');
  });

  test("an endpoint write keeps a reader's cached project; a project write drops it", async () => {
    const id = await newProject('cache-project-e');
    const projects = reader(api.ctx).identity;
    const first = await projects.findProject(id);
    assert.equal(await projects.findProject(id), first, 'the second read is the cached one');
    await repositories(api.store.db).privateEndpoints.updateService(await newService('sa-east-1'), { status: 'AVAILABLE' }, new Date());
    assert.equal(await projects.findProject(id), first, 'endpoint writes leave the project entry in place');
    await repositories(api.store.db).identity.updateProject(id, { name: 'cache-project-f' });
    const renamed = await projects.findProject(id);
    assert.notEqual(renamed, first);
    assert.equal(renamed?.name, 'cache-project-f');
  });

  test(`in another replica, a project renamed elsewhere shows within ${REPLICA_CACHE_MS} ms`, async () => {
    const id = await newProject('cache-project-c');
    assert.equal(((await replica.get(projectPath(id))).json as { name: string }).name, 'cache-project-c');
    await repositories(api.store.db).identity.updateProject(id, { name: 'cache-project-d' });
    await sleep(REPLICA_CACHE_MS + 50);
    assert.equal(((await replica.get(projectPath(id))).json as { name: string }).name, 'cache-project-d');
  });
});

describe('the interface-endpoint GET, from the same cache', () => {
  async function newEndpoint(region: string, vpce: string): Promise<string> {
    const id = await newService(region);
    const created = await api.owner.post(`${servicesPath()}/AWS/endpointService/${id}/endpoint`, { id: vpce });
    assert.equal(created.status, 201, created.text);
    return `${servicesPath()}/AWS/endpointService/${id}/endpoint/${vpce}`;
  }
  const status = async (client: AtlasClient, path: string) => {
    const res = await client.get(path);
    assert.equal(res.status, 200, res.text);
    return (res.json as { connectionStatus: string }).connectionStatus;
  };

  test('in the process that writes, a status written by the reconciler and a deletion show on the next GET', async () => {
    const path = await newEndpoint('ap-northeast-1', 'vpce-0cace000000000001');
    const [serviceId, endpointId] = [path.split('/').at(-3)!, path.split('/').at(-1)!];
    assert.equal(await status(cached, path), 'PENDING_ACCEPTANCE');
    assert.equal(await status(cached, path), 'PENDING_ACCEPTANCE', 'served from the cache');
    await repositories(api.store.db).privateEndpoints.updateEndpoint(serviceId, endpointId, { status: 'AVAILABLE' }, new Date());
    assert.equal(await status(cached, path), 'AVAILABLE', 'the write dropped the entry (the entry lives a minute)');
    assert.equal((await api.owner.delete(path)).status, 204);
    assert.equal(await status(cached, path), 'DELETING');
    await repositories(api.store.db).privateEndpoints.deleteEndpoint(serviceId, endpointId);
    const gone = await cached.get(path);
    assert.equal(gone.status, 404, gone.text);
    assert.equal((gone.json as { errorCode: string }).errorCode, 'RESOURCE_NOT_FOUND');
    assert.equal((await cached.get(path.replace('/AWS/', '/AZURE/'))).status, 404, "another provider's path does not find it");
  });

  test(`in another replica, a status written elsewhere shows within ${REPLICA_CACHE_MS} ms`, async () => {
    const path = await newEndpoint('ap-southeast-2', 'vpce-0cace000000000002');
    const [serviceId, endpointId] = [path.split('/').at(-3)!, path.split('/').at(-1)!];
    assert.equal(await status(replica, path), 'PENDING_ACCEPTANCE');
    await repositories(api.store.db).privateEndpoints.updateEndpoint(serviceId, endpointId, { status: 'AVAILABLE' }, new Date());
    await sleep(REPLICA_CACHE_MS + 50);
    assert.equal(await status(replica, path), 'AVAILABLE');
  });
});
