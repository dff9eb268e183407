import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startApi, type ApiHarness } from '../support/api-harness.js';

let api: ApiHarness;
before(async () => {
  api = await startApi();
});
after(async () => api?.close());

const V2 = '/api/atlas/v2';

/** A raw request with no Authorization header (what every client sends first). */
function unauthenticated(path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; raw: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method, headers: { accept: 'application/vnd.atlas.2023-01-01+json' } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, raw: res.rawHeaders, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('authentication', () => {
  test("the first unauthenticated request gets Atlas's 401: Digest challenge and JSON body", async () => {
    const res = await unauthenticated(`${V2}/groups`);
    assert.equal(res.status, 401);
    const challenge = res.raw.filter((_, i) => i % 2 === 1 && res.raw[i - 1]!.toLowerCase() === 'www-authenticate');
    assert.equal(challenge.length, 2, 'MD5 and SHA-256 challenges, as separate headers');
    assert.match(challenge[1]!, /algorithm=SHA-256/);
    assert.match(challenge[0]!, /^Digest realm="MMS Public API", domain="", nonce="[^"]+", algorithm=MD5, qop="auth", stale=false$/);
    assert.match(res.headers['content-type'] as string, /^application\/json/);
    assert.deepEqual(JSON.parse(res.body), {
      detail: 'You are not authorized for this resource.',
      error: 401,
      errorCode: 'UNEXPECTED_ERROR',
      parameters: [],
      reason: 'Unauthorized',
    });
  });

  test('a wrong private key and an unknown public key are both 401', async () => {
    const wrong = api.client(api.bootstrap.publicKey, '00000000-0000-4000-8000-000000000000');
    assert.equal((await wrong.get(`${V2}/groups`)).status, 401);
    const unknown = api.client('zzzzzzzz', api.bootstrap.privateKey);
    assert.equal((await unknown.get(`${V2}/groups`)).status, 401);
  });

  test('the bootstrap key works on v1.0 and v2', async () => {
    const v1 = await api.owner.get('/api/atlas/v1.0/groups');
    assert.equal(v1.status, 200);
    assert.match(v1.headers['content-type'] as string, /^application\/json/);
    const v2 = await api.owner.get(`${V2}/groups`);
    assert.equal(v2.status, 200);
    assert.equal(v2.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
  });
});

describe('versioning and request shape', () => {
  test('a later version date resolves to the newest version on or before it', async () => {
    const res = await api.owner.get(`${V2}/groups/${api.bootstrap.projectId}`, { mediaType: 'application/vnd.atlas.2025-03-12+json' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/vnd.atlas.2023-01-01+json;charset=utf-8');
    const clusters = await api.owner.get(`${V2}/groups/${api.bootstrap.projectId}/clusters`, { mediaType: 'application/vnd.atlas.2024-09-01+json' });
    assert.equal(clusters.headers['content-type'], 'application/vnd.atlas.2024-08-05+json;charset=utf-8');
  });

  test('a version before 2023-01-01 or a malformed one is 406', async () => {
    for (const mediaType of ['application/vnd.atlas.2022-12-31+json', 'application/vnd.atlas.yesterday+json']) {
      const res = await api.owner.get(`${V2}/groups`, { mediaType });
      assert.equal(res.status, 406, mediaType);
      assert.equal((res.json as { errorCode: string }).errorCode, 'INVALID_VERSION_DATE');
    }
  });

  test('malformed path ids are 400 PATH_PARAM_PARSE_ERROR naming the request path', async () => {
    const path = `${V2}/groups/xxx/privateEndpoint/AWS/endpointService/foo-privatelink`;
    const res = await api.owner.get(path);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, {
      detail: `One or more path parameter in the request URI ${path} is malformed.`,
      error: 400,
      errorCode: 'PATH_PARAM_PARSE_ERROR',
      parameters: [path],
      reason: 'Bad Request',
    });
  });

  test('malformed JSON is 400 INVALID_JSON; an unknown content type is 415; an unknown path is 404', async () => {
    const bad = await api.owner.request('POST', `${V2}/groups`, { headers: { 'content-type': 'application/json' }, body: undefined });
    assert.equal(bad.status, 400); // no body: name missing
    const raw = await api.owner.request('POST', `${V2}/groups`, { mediaType: 'application/vnd.atlas.2023-01-01+json', body: '{' as unknown });
    assert.equal(raw.status, 400); // a JSON string is not an object
    const xml = await api.owner.request('POST', `${V2}/groups`, { headers: { 'content-type': 'application/xml' }, body: { name: 'x' } });
    assert.equal(xml.status, 415);
    assert.equal((xml.json as { errorCode: string }).errorCode, 'UNSUPPORTED_MEDIA_TYPE');
    const missing = await api.owner.get(`${V2}/nothing/here`);
    assert.equal(missing.status, 404);
    assert.equal((missing.json as { errorCode: string }).errorCode, 'RESOURCE_NOT_FOUND');
  });

  test('?envelope=true wraps the body with its status; ?pretty=true indents', async () => {
    const res = await api.owner.get(`${V2}/groups/${api.bootstrap.projectId}?envelope=true`);
    const body = res.json as { status: number; content: { id: string } };
    assert.equal(body.status, 200);
    assert.equal(body.content.id, api.bootstrap.projectId);
    const pretty = await api.owner.get(`${V2}/groups/${api.bootstrap.projectId}?pretty=true`);
    assert.match(pretty.text, /^\{\n {2}"clusterCount"/);
  });
});

describe('projects', () => {
  test('first start made "Default Organization" and "Project 0" with an owner key', async () => {
    const orgs = (await api.owner.get(`${V2}/orgs`)).json as { results: Array<{ id: string; name: string }>; totalCount: number };
    assert.equal(orgs.totalCount, 1);
    assert.equal(orgs.results[0]!.name, 'Default Organization');
    const groups = (await api.owner.get(`${V2}/groups`)).json as { results: Array<{ id: string; name: string; orgId: string }> };
    assert.ok(groups.results.some((g) => g.name === 'Project 0' && g.id === api.bootstrap.projectId && g.orgId === api.bootstrap.orgId));
  });

  test('create, get, get by name, duplicate name, delete', async () => {
    const created = await api.owner.post(`${V2}/groups`, { name: 'project-02', orgId: api.bootstrap.orgId });
    assert.equal(created.status, 201);
    const project = created.json as Record<string, unknown>;
    assert.match(project.id as string, /^[a-f0-9]{24}$/);
    assert.deepEqual(Object.keys(project), ['clusterCount', 'created', 'id', 'links', 'name', 'orgId', 'withDefaultAlertsSettings']);
    assert.equal((await api.owner.get(`${V2}/groups/byName/project-02`)).status, 200);
    const dup = await api.owner.post(`${V2}/groups`, { name: 'project-02', orgId: api.bootstrap.orgId });
    assert.equal(dup.status, 409);
    assert.equal((dup.json as { errorCode: string }).errorCode, 'GROUP_ALREADY_EXISTS');
    assert.equal((await api.owner.delete(`${V2}/groups/${project.id}`)).status, 204);
    const gone = await api.owner.get(`${V2}/groups/${project.id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual((gone.json as { parameters: string[] }).parameters, [project.id]);
  });

  test("missing name is MISSING_ATTRIBUTE; an unknown group is GROUP_NOT_FOUND with Atlas's detail", async () => {
    const missing = await api.owner.post(`${V2}/groups`, { orgId: api.bootstrap.orgId });
    assert.equal((missing.json as { errorCode: string }).errorCode, 'MISSING_ATTRIBUTE');
    const res = await api.owner.get(`${V2}/groups/111111111111111111111111`);
    assert.deepEqual(res.json, {
      detail: 'No group with ID 111111111111111111111111 exists.',
      error: 404,
      errorCode: 'GROUP_NOT_FOUND',
      parameters: ['111111111111111111111111'],
      reason: 'Not Found',
    });
  });
});

describe('API keys and roles', () => {
  test('an org key: public key of 8 lower-case letters, private key a UUID shown once', async () => {
    const res = await api.owner.post(`${V2}/orgs/${api.bootstrap.orgId}/apiKeys`, { desc: 'ci key', roles: ['ORG_MEMBER'] });
    assert.equal(res.status, 200);
    const key = res.json as { id: string; publicKey: string; privateKey: string; roles: Array<{ orgId: string; roleName: string }> };
    assert.match(key.publicKey, /^[a-z]{8}$/);
    assert.match(key.privateKey, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(key.roles, [{ orgId: api.bootstrap.orgId, roleName: 'ORG_MEMBER' }]);
    const again = (await api.owner.get(`${V2}/orgs/${api.bootstrap.orgId}/apiKeys/${key.id}`)).json as { privateKey: string };
    assert.notEqual(again.privateKey, key.privateKey);
    assert.ok(!again.privateKey.includes(key.privateKey.slice(0, 8)));
    // The new key works, but sees no project until assigned one.
    const member = api.client(key.publicKey, key.privateKey);
    const denied = await member.get(`${V2}/groups/${api.bootstrap.projectId}/clusters`);
    assert.equal(denied.status, 403);
    assert.equal((await api.owner.post(`${V2}/groups/${api.bootstrap.projectId}/apiKeys/${key.id}`, [{ roles: ['GROUP_READ_ONLY'] }])).status, 204);
    assert.equal((await member.get(`${V2}/groups/${api.bootstrap.projectId}/clusters`)).status, 200);
    const write = await member.post(`${V2}/groups/${api.bootstrap.projectId}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    assert.equal(write.status, 403);
    assert.equal((write.json as { errorCode: string }).errorCode, 'USER_UNAUTHORIZED');
    assert.equal((await api.owner.delete(`${V2}/orgs/${api.bootstrap.orgId}/apiKeys/${key.id}`)).status, 204);
    assert.equal((await member.get(`${V2}/groups/${api.bootstrap.projectId}/clusters`)).status, 401);
  });

  test('bad roles and descriptions are refused', async () => {
    const badRole = await api.owner.post(`${V2}/orgs/${api.bootstrap.orgId}/apiKeys`, { desc: 'x', roles: ['GROUP_OWNER'] });
    assert.equal((badRole.json as { errorCode: string }).errorCode, 'INVALID_ROLE');
    const noDesc = await api.owner.post(`${V2}/orgs/${api.bootstrap.orgId}/apiKeys`, { roles: ['ORG_MEMBER'] });
    assert.equal((noDesc.json as { errorCode: string }).errorCode, 'MISSING_ATTRIBUTE');
  });

  test('an Organization Owner without a project role gets 403 telling it to add itself, and can do so', async () => {
    const orgOwner = await api.makeKey(api.bootstrap.orgId, ['ORG_OWNER']);
    const denied = await orgOwner.get(`${V2}/groups/${api.bootstrap.projectId}/privateEndpoint/AWS/endpointService`);
    assert.equal(denied.status, 403);
    const body = denied.json as { errorCode: string; detail: string };
    assert.equal(body.errorCode, 'NOT_IN_GROUP');
    assert.match(body.detail, /Add it to the project as Project Owner/);
    const assign = await orgOwner.post(`${V2}/groups/${api.bootstrap.projectId}/apiKeys/${orgOwner.apiKeyId}`, [{ roles: ['GROUP_OWNER'] }]);
    assert.equal(assign.status, 204);
    assert.equal((await orgOwner.get(`${V2}/groups/${api.bootstrap.projectId}/privateEndpoint/AWS/endpointService`)).status, 200);
  });

  test('a key of another organization sees neither the project nor its organization', async () => {
    const other = await api.makeOrganization('Other Org', true);
    for (const path of [
      `${V2}/groups/${api.bootstrap.projectId}`,
      `${V2}/groups/${api.bootstrap.projectId}/clusters`,
      `${V2}/groups/${api.bootstrap.projectId}/privateEndpoint/AWS/endpointService`,
    ]) {
      const res = await other.owner.get(path);
      assert.equal(res.status, 404, path);
      assert.equal((res.json as { errorCode: string }).errorCode, 'GROUP_NOT_FOUND');
    }
    const org = await other.owner.get(`${V2}/orgs/${api.bootstrap.orgId}`);
    assert.equal(org.status, 404);
    const list = (await other.owner.get(`${V2}/groups`)).json as { results: Array<{ id: string }> };
    assert.ok(!list.results.some((g) => g.id === api.bootstrap.projectId));
    // …and cannot assign itself to the project.
    const assign = await other.owner.post(`${V2}/groups/${api.bootstrap.projectId}/apiKeys/${other.owner.apiKeyId}`, [{ roles: ['GROUP_OWNER'] }]);
    assert.equal(assign.status, 404);
  });

  test('the last Organization Owner cannot be deleted or demoted', async () => {
    const other = await api.makeOrganization('Lonely Org', true);
    const res = await other.owner.delete(`${V2}/orgs/${other.orgId}/apiKeys/${other.owner.apiKeyId}`);
    assert.equal(res.status, 409);
    assert.equal((res.json as { errorCode: string }).errorCode, 'LAST_ORG_OWNER');
  });
});

describe('project limits', () => {
  test('nodesPerPrivateLinkRegion is 30, raisable once to at most 50 by an Organization Owner', async () => {
    const name = 'atlas.project.deployment.nodesPerPrivateLinkRegion';
    const path = `${V2}/groups/${api.bootstrap.projectId}/limits/${name}`;
    const limit = (await api.owner.get(path)).json as { value: number; defaultLimit: number; maximumLimit: number };
    assert.deepEqual([limit.value, limit.defaultLimit, limit.maximumLimit], [30, 30, 50]);
    const reader = await api.makeKey(api.bootstrap.orgId, ['ORG_MEMBER'], [[api.bootstrap.projectId, 'GROUP_OWNER']]);
    assert.equal((await reader.patch(path, { value: 40 })).status, 403);
    const tooHigh = await api.owner.patch(path, { value: 51 });
    assert.equal((tooHigh.json as { errorCode: string }).errorCode, 'PROJECT_LIMIT_ABOVE_MAXIMUM');
    const raised = await api.owner.patch(path, { value: 50 });
    assert.equal(raised.status, 200);
    assert.equal((raised.json as { value: number }).value, 50);
    const again = await api.owner.patch(path, { value: 45 });
    assert.equal(again.status, 409);
    assert.equal((again.json as { errorCode: string }).errorCode, 'PROJECT_LIMIT_ALREADY_RAISED');
    assert.equal((await api.owner.get(`${V2}/groups/${api.bootstrap.projectId}/limits/no.such.limit`)).status, 400);
  });
});
