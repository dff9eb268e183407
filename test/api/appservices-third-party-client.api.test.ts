import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AdminApi, AppsApi, Configuration, SecurityApi, type ProviderType } from 'atlas-app-services-admin-api';
import { startApi, type ApiHarness } from '../support/api-harness.js';

// A published OpenAPI client of the App Services Admin API (npm `atlas-app-services-admin-api`,
// axios-based, generated from MongoDB's specification), used unchanged against privlink: only its
// `basePath` points here instead of the App Services cloud. It logs in with the Atlas API key pair,
// creates an app, lists the apps, registers a private endpoint and lists the endpoints and the
// endpoint service infos.
let api: ApiHarness;

before(async () => {
  api = await startApi();
});
after(async () => api?.close());

test('the atlas-app-services-admin-api client logs in and lists apps, private endpoints and service infos', async () => {
  const basePath = `${api.url}/api/admin/v3.0`;
  const login = await new AdminApi(new Configuration({ basePath })).adminLogin('mongodb-cloud' as unknown as ProviderType, {
    username: api.bootstrap.publicKey,
    apiKey: api.bootstrap.privateKey,
  });
  assert.equal(login.status, 200);
  const accessToken = String(login.data.access_token);
  const configuration = new Configuration({ basePath, accessToken });
  const groupId = api.bootstrap.projectId;

  const apps = new AppsApi(configuration);
  const created = await apps.adminCreateApplication(groupId, { name: 'ThirdParty', deployment_model: 'LOCAL', provider_region: 'aws-us-east-1' } as never);
  assert.equal(created.status, 201);
  const appId = String((created.data as { _id: string })._id);
  const listed = await apps.adminListApplications(groupId);
  assert.deepEqual(
    (listed.data as Array<{ _id: string; name: string }>).map((a) => [a._id, a.name]),
    [[appId, 'ThirdParty']],
  );

  const security = new SecurityApi(configuration);
  const endpoint = await security.adminCreatePrivateEndpoint(groupId, appId, {
    cloud_provider_region: 'aws-us-east-1',
    cloud_provider_endpoint_id: 'vpce-0123456789abcdef0',
    endpoint_type: 'general',
    comment: 'from a third-party client',
  } as never);
  assert.equal(endpoint.status, 201);
  const endpoints = await security.adminGetPrivateEndpoints(groupId, appId);
  assert.deepEqual(
    (endpoints.data as Array<{ cloud_provider_endpoint_id: string; endpoint_type: string; comment: string }>).map((e) => [
      e.cloud_provider_endpoint_id,
      e.endpoint_type,
      e.comment,
    ]),
    [['vpce-0123456789abcdef0', 'general', 'from a third-party client']],
  );
  const infos = await security.adminListPrivateEndpointServices(groupId, appId);
  assert.deepEqual(
    (infos.data as Array<{ endpoint_type: string }>).map((i) => i.endpoint_type),
    ['general', 'sync'],
  );

  // Its errors are App Services' shape, surfaced through axios.
  await assert.rejects(apps.adminGetApplication(groupId, '0'.repeat(24)), (error: { response?: { status: number; data: unknown } }) => {
    assert.equal(error.response?.status, 404);
    assert.deepEqual(error.response?.data, { error: 'app not found', error_code: 'AppNotFound' });
    return true;
  });
});
