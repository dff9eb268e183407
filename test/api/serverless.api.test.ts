import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AtlasResponse } from '../../src/client/atlas-client.js';
import { expectContract, expectServerlessContract, expectV1Contract, expectV1ServerlessContract } from '../support/atlas-contract.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

// Serverless instances and their private endpoints through the Admin API alone (no reconciler):
// Atlas's shapes on v2 and v1.0, validation, and the rules of the state machine's API side.
let api: ApiHarness;
let v2: string;
let v1: string;

before(async () => {
  api = await startApi();
  v2 = `/api/atlas/v2/groups/${api.bootstrap.projectId}`;
  v1 = `/api/atlas/v1.0/groups/${api.bootstrap.projectId}`;
});
after(async () => api?.close());

function code(res: AtlasResponse): string {
  return (res.json as { errorCode?: string }).errorCode ?? `(no error: ${res.status})`;
}

const create = (name: string, backingProviderName: string, regionName: string, extra: Record<string, unknown> = {}) =>
  api.owner.post(`${v2}/serverless`, { name, providerSettings: { backingProviderName, providerName: 'SERVERLESS', regionName }, ...extra });

describe('serverless instances', () => {
  test('POST answers 201 CREATING in the ServerlessInstanceDescription shape', async () => {
    const res = await create('Serverless0', 'AWS', 'us-east-1', { tags: [{ key: 'env', value: 'test' }] });
    expectServerlessContract(res, 'POST', '', 201);
    const body = res.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), [
      'connectionStrings',
      'createDate',
      'groupId',
      'id',
      'links',
      'mongoDBVersion',
      'name',
      'providerSettings',
      'serverlessBackupOptions',
      'stateName',
      'tags',
      'terminationProtectionEnabled',
    ]);
    assert.equal(body.stateName, 'CREATING');
    assert.deepEqual(body.providerSettings, { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' });
    assert.deepEqual(body.serverlessBackupOptions, { serverlessContinuousBackupEnabled: true });
    assert.equal(body.terminationProtectionEnabled, false);
    assert.match(String(body.mongoDBVersion), /^\d+\.\d+\.\d+$/);
    const strings = body.connectionStrings as { privateEndpoint: unknown[]; standardSrv: string };
    assert.deepEqual(strings.privateEndpoint, []);
    assert.match(strings.standardSrv, /^mongodb\+srv:\/\/serverless0\.[a-z0-9]{5}\.privlink\.test$/);
  });

  test('GET one and the paginated list, on v2 and on v1.0 (application/json)', async () => {
    expectServerlessContract(await api.owner.get(`${v2}/serverless/Serverless0`), 'GET', '/{name}', 200);
    const list = await api.owner.get(`${v2}/serverless`);
    expectServerlessContract(list, 'GET', '', 200);
    assert.equal((list.json as { totalCount: number }).totalCount, 1);
    const one = await api.owner.get(`${v1}/serverless/Serverless0`);
    expectV1ServerlessContract(one, 'GET', '/{name}', 200);
    assert.equal((one.json as { name: string }).name, 'Serverless0');
    const v1List = await api.owner.get(`${v1}/serverless`);
    expectV1ServerlessContract(v1List, 'GET', '', 200);
    assert.equal((v1List.json as { totalCount: number }).totalCount, 1);
    assert.deepEqual((v1List.json as { results: unknown[] }).results, [one.json]);
  });

  test('v1.0 has no create, update or delete: 405 with the methods it has', async () => {
    const post = await api.owner.post(`${v1}/serverless`, { name: 'x', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } });
    assert.equal(post.status, 405);
    assert.equal(code(post), 'METHOD_NOT_ALLOWED');
    assert.equal(post.headers.allow, 'GET');
    assert.equal((await api.owner.patch(`${v1}/serverless/Serverless0`, {})).status, 405);
    assert.equal((await api.owner.delete(`${v1}/serverless/Serverless0`)).status, 405);
  });

  test('validation: name rules, providerSettings, regions of the backing cloud, unknown attributes', async () => {
    assert.equal(code(await api.owner.post(`${v2}/serverless`, { providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } })), 'MISSING_ATTRIBUTE');
    assert.equal(code(await create('-bad', 'AWS', 'US_EAST_1')), 'INVALID_ATTRIBUTE');
    assert.equal(code(await create('x'.repeat(65), 'AWS', 'US_EAST_1')), 'INVALID_ATTRIBUTE');
    assert.equal(code(await api.owner.post(`${v2}/serverless`, { name: 'ok' })), 'MISSING_ATTRIBUTE');
    assert.equal(code(await create('ok', 'TENANT', 'US_EAST_1')), 'INVALID_ENUM_VALUE');
    assert.equal(code(await create('ok', 'AZURE', 'US_EAST_1')), 'INVALID_REGION');
    assert.equal(code(await create('ok', 'AWS', 'US_EAST_1', { instanceSize: 'M10' })), 'INVALID_ATTRIBUTE');
    assert.equal(
      code(await api.owner.post(`${v2}/serverless`, { name: 'ok', providerSettings: { backingProviderName: 'AWS', providerName: 'AWS', regionName: 'US_EAST_1' } })),
      'INVALID_ENUM_VALUE',
    );
  });

  test('shared-tier (M0, M2, M5) settings are refused with Atlas’s errors, and nothing is created', async () => {
    const before = ((await api.owner.get(`${v2}/serverless`)).json as { totalCount: number }).totalCount;
    const tenant = await api.owner.post(`${v2}/serverless`, {
      name: 'Shared0',
      providerSettings: { backingProviderName: 'AWS', providerName: 'TENANT', regionName: 'US_EAST_1' },
    });
    expectServerlessContract(tenant, 'POST', '', 400);
    assert.deepEqual(tenant.json, {
      detail: 'An invalid enumeration value TENANT was specified for providerSettings.providerName.',
      error: 400,
      errorCode: 'INVALID_ENUM_VALUE',
      parameters: ['TENANT', 'providerSettings.providerName'],
      reason: 'Bad Request',
    });
    for (const size of ['M0', 'M2', 'M5']) {
      const sized = await api.owner.post(`${v2}/serverless`, {
        name: 'Shared0',
        providerSettings: { backingProviderName: 'AWS', providerName: 'TENANT', regionName: 'US_EAST_1', instanceSizeName: size },
      });
      expectServerlessContract(sized, 'POST', '', 400);
      assert.equal(code(sized), 'INVALID_ATTRIBUTE', size);
      assert.equal((sized.json as { detail: string }).detail, 'Invalid attribute providerSettings.instanceSizeName specified.');
      const topLevel = await create('Shared0', 'AWS', 'US_EAST_1', { instanceSize: size });
      expectServerlessContract(topLevel, 'POST', '', 400);
      assert.equal((topLevel.json as { detail: string }).detail, 'Invalid attribute instanceSize specified.');
    }
    assert.equal(((await api.owner.get(`${v2}/serverless`)).json as { totalCount: number }).totalCount, before);
    assert.equal((await api.owner.get(`${v2}/serverless/Shared0`)).status, 404);
  });

  test('names are unique among the project’s clusters and serverless instances (409)', async () => {
    const again = await create('serverless0', 'AWS', 'US_EAST_1');
    assert.equal(again.status, 409);
    assert.equal(code(again), 'SERVERLESS_INSTANCE_ALREADY_EXISTS');
    const cluster = await api.owner.post(`${v2}/clusters`, {
      name: 'Serverless0',
      clusterType: 'REPLICASET',
      replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
    });
    assert.equal(cluster.status, 409, cluster.text);
    assert.equal(
      (
        await api.owner.post(`${v2}/clusters`, {
          name: 'Cluster9',
          clusterType: 'REPLICASET',
          replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
        })
      ).status,
      201,
    );
    assert.equal(code(await create('Cluster9', 'AWS', 'US_EAST_1')), 'SERVERLESS_INSTANCE_ALREADY_EXISTS');
  });

  test('PATCH changes tags, backup and termination protection; a protected instance cannot be deleted', async () => {
    const res = await api.owner.patch(`${v2}/serverless/Serverless0`, {
      terminationProtectionEnabled: true,
      serverlessBackupOptions: { serverlessContinuousBackupEnabled: false },
    });
    expectServerlessContract(res, 'PATCH', '/{name}', 200);
    assert.equal((res.json as { terminationProtectionEnabled: boolean }).terminationProtectionEnabled, true);
    assert.deepEqual((res.json as { tags: unknown[] }).tags, [{ key: 'env', value: 'test' }]);
    assert.equal(code(await api.owner.patch(`${v2}/serverless/Serverless0`, { providerSettings: {} })), 'INVALID_ATTRIBUTE');
    const refused = await api.owner.delete(`${v2}/serverless/Serverless0`);
    assert.equal(code(refused), 'CANNOT_TERMINATE_SERVERLESS_INSTANCE_WHEN_TERMINATION_PROTECTION_ENABLED');
    await api.owner.patch(`${v2}/serverless/Serverless0`, { terminationProtectionEnabled: false });
  });

  test('unknown instance: 404 SERVERLESS_INSTANCE_NOT_FOUND', async () => {
    const res = await api.owner.get(`${v2}/serverless/nope`);
    assert.equal(res.status, 404);
    assert.equal(code(res), 'SERVERLESS_INSTANCE_NOT_FOUND');
  });
});

describe('serverless private endpoints', () => {
  const endpoints = (base: string, name = 'Serverless0') => `${base}/privateEndpoint/serverless/instance/${name}/endpoint`;
  let id: string;

  test('POST {comment} → 201 RESERVATION_REQUESTED in the ServerlessTenantEndpoint shape, `_id` on v2 and v1.0', async () => {
    const res = await api.owner.post(endpoints(v2), { comment: 'example comment' });
    expectContract(res, 'POST', '/serverless/instance/{instanceName}/endpoint', 201);
    const body = res.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['_id', 'cloudProviderEndpointId', 'comment', 'endpointServiceName', 'errorMessage', 'providerName', 'status']);
    assert.equal(body.status, 'RESERVATION_REQUESTED');
    id = String(body._id);
    const v1One = await api.owner.get(`${endpoints(v1)}/${id}`);
    expectV1Contract(v1One, 'GET', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    assert.deepEqual(v1One.json, body);
    const empty = await api.owner.post(endpoints(v1), {});
    expectV1Contract(empty, 'POST', '/serverless/instance/{instanceName}/endpoint', 201);
    assert.equal((empty.json as { comment: unknown }).comment, null);
    assert.equal((empty.json as { status: string }).status, 'RESERVATION_REQUESTED');
    const list = await api.owner.get(endpoints(v2));
    expectContract(list, 'GET', '/serverless/instance/{instanceName}/endpoint', 200);
    assert.equal((list.json as unknown[]).length, 2);
    const v1List = await api.owner.get(endpoints(v1));
    expectV1Contract(v1List, 'GET', '/serverless/instance/{instanceName}/endpoint', 200);
    assert.deepEqual(v1List.json, list.json);
  });

  test('comment at most 80 characters; unknown attributes refused', async () => {
    assert.equal(code(await api.owner.post(endpoints(v2), { comment: 'x'.repeat(81) })), 'INVALID_ATTRIBUTE');
    assert.equal(code(await api.owner.post(endpoints(v2), { comment: 'ok', cloudProviderEndpointId: 'vpce-0123456789abcdef0' })), 'INVALID_ATTRIBUTE');
  });

  test('a GCP-backed instance refuses private endpoints: serverless instances don’t support Private Service Connect', async () => {
    assert.equal((await create('GcpServerless', 'GCP', 'CENTRAL_US')).status, 201);
    const res = await api.owner.post(endpoints(v2, 'GcpServerless'), {});
    assert.equal(res.status, 400);
    assert.equal(code(res), 'TENANT_PRIVATE_ENDPOINT_UNSUPPORTED_PROVIDER');
    assert.match((res.json as { detail: string }).detail, /don't support Private Service Connect/);
  });

  test('PATCH without providerName: 400 MISSING_ATTRIBUTE; before RESERVED: 400 TENANT_PRIVATE_ENDPOINT_PROVIDER_UPDATE_INVALID', async () => {
    const missing = await api.owner.patch(`${endpoints(v2)}/${id}`, { cloudProviderEndpointId: 'vpce-0123456789abcdef0' });
    assert.equal(missing.status, 400);
    assert.equal(code(missing), 'MISSING_ATTRIBUTE');
    const early = await api.owner.patch(`${endpoints(v2)}/${id}`, { cloudProviderEndpointId: 'vpce-0123456789abcdef0', providerName: 'AWS' });
    assert.equal(code(early), 'TENANT_PRIVATE_ENDPOINT_PROVIDER_UPDATE_INVALID');
    assert.match((early.json as { detail: string }).detail, /can not be updated in its current state RESERVATION_REQUESTED/);
    assert.equal(code(await api.owner.patch(`${endpoints(v2)}/${id}`, { cloudProviderEndpointId: 'nope', providerName: 'AWS' })), 'INVALID_ATTRIBUTE');
    assert.equal(code(await api.owner.patch(`${endpoints(v2)}/${id}`, { providerName: 'AZURE' })), 'TENANT_PRIVATE_ENDPOINT_PROVIDER_MISMATCH');
    const comment = await api.owner.patch(`${endpoints(v2)}/${id}`, { providerName: 'AWS', comment: 'renamed' });
    expectContract(comment, 'PATCH', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    assert.equal((comment.json as { comment: string }).comment, 'renamed');
    const v1Comment = await api.owner.patch(`${endpoints(v1)}/${id}`, { providerName: 'AWS', comment: 'renamed on v1.0' });
    expectV1Contract(v1Comment, 'PATCH', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    assert.equal((v1Comment.json as { comment: string }).comment, 'renamed on v1.0');
    const v1Early = await api.owner.patch(`${endpoints(v1)}/${id}`, { cloudProviderEndpointId: 'vpce-0123456789abcdef0', providerName: 'AWS' });
    expectV1Contract(v1Early, 'PATCH', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 400);
  });

  test('unknown or malformed endpoint id: 404 / 400 PATH_PARAM_PARSE_ERROR', async () => {
    assert.equal((await api.owner.get(`${endpoints(v2)}/0123456789abcdef01234567`)).status, 404);
    assert.equal(code(await api.owner.get(`${endpoints(v2)}/not-an-id`)), 'PATH_PARAM_PARSE_ERROR');
  });

  test('DELETE answers 204; the endpoint shows DELETING until the reconciler removes it', async () => {
    assert.equal((await api.owner.delete(`${endpoints(v2)}/${id}`)).status, 204);
    const res = await api.owner.get(`${endpoints(v2)}/${id}`);
    expectContract(res, 'GET', '/serverless/instance/{instanceName}/endpoint/{endpointId}', 200);
    assert.equal((res.json as { status: string }).status, 'DELETING');
    assert.equal(
      code(await api.owner.patch(`${endpoints(v2)}/${id}`, { providerName: 'AWS', cloudProviderEndpointId: 'vpce-0123456789abcdef0' })),
      'TENANT_PRIVATE_ENDPOINT_PROVIDER_UPDATE_INVALID',
    );
  });

  test('an Azure-backed instance answers the Azure variant', async () => {
    assert.equal((await create('AzureServerless', 'AZURE', 'US_EAST_2')).status, 201);
    const res = await api.owner.post(endpoints(v2, 'AzureServerless'), { comment: 'azure' });
    expectContract(res, 'POST', '/serverless/instance/{instanceName}/endpoint', 201);
    assert.deepEqual(Object.keys(res.json as object), [
      '_id',
      'cloudProviderEndpointId',
      'comment',
      'endpointServiceName',
      'errorMessage',
      'privateEndpointIpAddress',
      'privateLinkServiceResourceId',
      'providerName',
      'status',
    ]);
  });
});
