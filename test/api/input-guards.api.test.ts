import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { envelopeOf } from '../support/raw-http.js';

// Input no store can hold is Atlas's 400 naming the attribute, never a 500 from the database.
let api: ApiHarness;
let group: string;
before(async () => {
  api = await startApi();
  group = `/api/atlas/v2/groups/${api.bootstrap.projectId}`;
});
after(async () => api?.close());

async function expect400(method: string, path: string, errorCode: string, parameter: string, rawBody?: string): Promise<void> {
  const res = await api.owner.request(method, path, rawBody === undefined ? {} : { rawBody });
  assert.equal(res.status, 400, `${method} ${path.slice(0, 120)}: ${res.text.slice(0, 300)}`);
  const body = envelopeOf(res.text);
  assert.equal(body.errorCode, errorCode, res.text.slice(0, 300));
  assert.deepEqual(body.parameters, [parameter]);
}

test('NUL in a path parameter: 400 INVALID_ATTRIBUTE naming it', async () => {
  await expect400('GET', `${group}/clusters/%00`, 'INVALID_ATTRIBUTE', 'clusterName');
  await expect400('DELETE', `${group}/clusters/a%00b`, 'INVALID_ATTRIBUTE', 'clusterName');
  await expect400('GET', '/api/atlas/v2/groups/byName/%00', 'INVALID_ATTRIBUTE', 'groupName');
  await expect400('GET', `${group}/privateEndpoint/AWS%00/endpointService`, 'INVALID_ATTRIBUTE', 'cloudProvider');
});

test('NUL in a query parameter: 400 INVALID_QUERY_PARAMETER naming it', async () => {
  await expect400('GET', `${group}/events?eventType=%00`, 'INVALID_QUERY_PARAMETER', 'eventType');
  await expect400('GET', `${group}/events?eventType=A&eventType=B%00`, 'INVALID_QUERY_PARAMETER', 'eventType');
});

test('NUL in a body string: 400 INVALID_ATTRIBUTE naming the attribute', async () => {
  await expect400('POST', '/api/atlas/v2/groups', 'INVALID_ATTRIBUTE', 'name', '{"name":"a\\u0000b"}');
  await expect400('POST', `/api/atlas/v2/orgs/${api.bootstrap.orgId}/apiKeys`, 'INVALID_ATTRIBUTE', 'desc', '{"desc":"x\\u0000","roles":["ORG_MEMBER"]}');
  await expect400(
    'POST',
    `${group}/clusters`,
    'INVALID_ATTRIBUTE',
    'replicationSpecs.regionConfigs.regionName',
    '{"name":"c","replicationSpecs":[{"regionConfigs":[{"regionName":"US_EAST_1\\u0000"}]}]}',
  );
});

test('dates outside what the store holds: 400 INVALID_QUERY_PARAMETER naming the parameter', async () => {
  await expect400('GET', `${group}/events?minDate=-004713-01-01`, 'INVALID_QUERY_PARAMETER', 'minDate');
  await expect400('GET', `${group}/events?minDate=0000-12-31T00:00:00Z`, 'INVALID_QUERY_PARAMETER', 'minDate');
  await expect400('GET', `${group}/events?maxDate=%2B275760-01-01`, 'INVALID_QUERY_PARAMETER', 'maxDate');
  await expect400('GET', `${group}/events?maxDate=10000-01-01`, 'INVALID_QUERY_PARAMETER', 'maxDate');
  const fine = await api.owner.get(`${group}/events?minDate=0001-01-01&maxDate=9999-12-31`);
  assert.equal(fine.status, 200, fine.text);
});

test('roles nested 100,000 deep: 400 INVALID_ATTRIBUTE roles', async () => {
  const deep = `{"desc":"d","roles":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  await expect400('POST', `/api/atlas/v2/orgs/${api.bootstrap.orgId}/apiKeys`, 'INVALID_ATTRIBUTE', 'roles', deep);
  await expect400('POST', `${group}/apiKeys`, 'INVALID_ATTRIBUTE', 'roles', deep);
});

test('a number JSON cannot carry (1e999): 400 INVALID_ATTRIBUTE naming it', async () => {
  await expect400('PATCH', `${group}/limits/atlas.project.deployment.nodesPerPrivateLinkRegion`, 'INVALID_ATTRIBUTE', 'value', '{"value":1e999}');
});

test('error parameters are bounded whatever the caller sent', async () => {
  const res = await api.owner.post(`/api/atlas/v2/orgs/${api.bootstrap.orgId}/apiKeys`, { desc: 'd', roles: ['R'.repeat(50_000)] });
  assert.equal(res.status, 400);
  const body = envelopeOf(res.text);
  assert.equal(body.errorCode, 'INVALID_ROLE');
  assert.ok(String(body.parameters[0]).length <= 201, `parameter of ${String(body.parameters[0]).length} characters`);
  assert.ok(res.text.length < 1000, `body of ${res.text.length} characters`);
  const nested = await api.owner.post(`/api/atlas/v2/orgs/${api.bootstrap.orgId}/apiKeys`, { desc: 'd', roles: [[[[[['deep']]]]], { a: { b: { c: { d: 1 } } } }] });
  assert.equal(nested.status, 400);
  assert.equal(envelopeOf(nested.text).errorCode, 'INVALID_ROLE');
});
