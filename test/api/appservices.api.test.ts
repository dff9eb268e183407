import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { appContext } from '../../src/app/app-context.js';
import { Authenticator } from '../../src/api/atlas/authenticate.js';
import { DigestAuthority } from '../../src/api/atlas/digest-auth.js';
import { buildApiServer } from '../../src/api/server.js';
import { credentialsLookup } from '../../src/app/authentication.service.js';
import { insertApiKey } from '../../src/app/api-keys.service.js';
import { createLogger } from '../../src/logging/logger.js';
import { repositories } from '../../src/store/repositories.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { AppServicesClient, type V3Response } from '../support/appservices-client.js';

// The App Services Admin API (v3) through the API alone (no reconciler): Bearer tokens from the
// Atlas API key pair, App Services' shapes and error shape, project roles, and the rules of private
// endpoints (limitations, general/sync pairing, wire protocol, deployment migration).
let api: ApiHarness;
let owner: AppServicesClient;
let group: string;

before(async () => {
  api = await startApi();
  owner = new AppServicesClient(api.url);
  assert.equal((await owner.login(api.bootstrap.publicKey, api.bootstrap.privateKey)).status, 200);
  group = `/groups/${api.bootstrap.projectId}`;
});
after(async () => api?.close());

function errorOf(res: V3Response): { error: string; error_code: string } {
  const body = res.json as { error: string; error_code: string };
  assert.deepEqual(Object.keys(body ?? {}).sort(), ['error', 'error_code'], res.text);
  return body;
}

async function newKey(orgId: string, projectRole?: 'GROUP_OWNER' | 'GROUP_READ_ONLY'): Promise<{ publicKey: string; privateKey: string }> {
  const repos = repositories(api.store.db);
  const created = await insertApiKey(repos, { orgId, description: 'v3 test key', orgRoles: ['ORG_MEMBER'], now: new Date() });
  if (projectRole) await repos.identity.setProjectRoles(created.apiKey.id, api.bootstrap.projectId, [projectRole]);
  return { publicKey: created.apiKey.publicKey, privateKey: created.privateKey };
}

async function createApp(name: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const res = await owner.post(`${group}/apps`, { name, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.json as Record<string, unknown>;
}

describe('authentication', () => {
  test('login with the API key pair answers access and refresh tokens, user_id and device_id', async () => {
    const client = new AppServicesClient(api.url);
    const res = await client.login(api.bootstrap.publicKey, api.bootstrap.privateKey);
    assert.equal(res.status, 200);
    const body = res.json as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'device_id', 'refresh_token', 'user_id']);
    assert.notEqual(body.access_token, body.refresh_token);
    assert.match(body.user_id!, /^[a-f0-9]{24}$/);
    assert.equal((await client.get(`${group}/apps`)).status, 200);
  });

  test('a wrong private key, an unknown public key or a missing field → 401 / 400 in the v3 error shape', async () => {
    const client = new AppServicesClient(api.url);
    const wrong = await client.login(api.bootstrap.publicKey, 'not-the-key');
    assert.equal(wrong.status, 401);
    assert.equal(errorOf(wrong).error_code, 'InvalidPassword');
    assert.equal((await client.login('nobody', 'nothing')).status, 401);
    const missing = await client.send('POST', '/auth/providers/mongodb-cloud/login', { username: api.bootstrap.publicKey }, null);
    assert.equal(missing.status, 400);
    assert.equal(errorOf(missing).error_code, 'InvalidParameter');
  });

  test('no token, a forged token or a refresh token on a resource → 401 InvalidSession', async () => {
    const none = await owner.send('GET', `${group}/apps`, undefined, null);
    assert.equal(none.status, 401);
    assert.equal(errorOf(none).error_code, 'InvalidSession');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const [payload, signature] = owner.accessToken!.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 999_999 })).toString('base64url')}.${signature}`;
    assert.equal((await owner.send('GET', `${group}/apps`, undefined, forged)).status, 401);
    assert.equal((await owner.send('GET', `${group}/apps`, undefined, 'garbage')).status, 401);
    const refresh = await owner.send('GET', `${group}/apps`, undefined, owner.refreshToken);
    assert.equal(refresh.status, 401);
    assert.equal(errorOf(refresh).error_code, 'InvalidSession');
  });

  test('POST /auth/session refreshes with the refresh token (201); an access token there → 401 incorrect token type', async () => {
    const refreshed = await owner.send('POST', '/auth/session', undefined, owner.refreshToken);
    assert.equal(refreshed.status, 201);
    const token = (refreshed.json as { access_token: string }).access_token;
    assert.equal((await owner.send('GET', `${group}/apps`, undefined, token)).status, 200);
    const wrongType = await owner.send('POST', '/auth/session', undefined, owner.accessToken);
    assert.equal(wrongType.status, 401);
    assert.deepEqual(wrongType.json, { error: 'invalid refresh token: incorrect token type', error_code: 'InvalidSession' });
  });

  test('DELETE /auth/session ends the session: its refresh and access tokens stop working', async () => {
    const client = new AppServicesClient(api.url);
    await client.login(api.bootstrap.publicKey, api.bootstrap.privateKey);
    assert.equal((await client.send('DELETE', '/auth/session', undefined, client.refreshToken)).status, 204);
    const again = await client.send('POST', '/auth/session', undefined, client.refreshToken);
    assert.equal(again.status, 401);
    assert.deepEqual(again.json, { error: 'invalid session: failed to find refresh token', error_code: 'InvalidSession' });
    assert.equal((await client.get(`${group}/apps`)).status, 401);
  });

  test('expired access and refresh tokens → 401 (a server whose clock moves on)', async () => {
    let clock = Date.now();
    const ctx = appContext(api.store, { domain: 'privlink.test', providers: ['AWS'] }, () => new Date(clock));
    const authenticator = new Authenticator(credentialsLookup(api.store), new DigestAuthority(Buffer.from('x'), { nonceTtlMs: 300_000 }), 0);
    const server = await buildApiServer({ ctx, authenticator, log: createLogger('error'), publicUrl: null, appServicesTokens: { accessMs: 60_000, refreshMs: 600_000 } });
    await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const client = new AppServicesClient(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}`);
      await client.login(api.bootstrap.publicKey, api.bootstrap.privateKey);
      assert.equal((await client.get(`${group}/apps`)).status, 200);
      clock += 61_000;
      const expired = await client.get(`${group}/apps`);
      assert.equal(expired.status, 401);
      assert.match(errorOf(expired).error, /access token expired/);
      const refreshed = await client.send('POST', '/auth/session', undefined, client.refreshToken);
      assert.equal(refreshed.status, 201);
      clock += 600_000;
      assert.equal((await client.send('POST', '/auth/session', undefined, client.refreshToken)).status, 401);
    } finally {
      await server.close();
    }
  });
});

describe('apps', () => {
  let appId: string;

  test('POST /apps → 201 AppInstance; GET one and the list', async () => {
    const app = await createApp('MyApp', { provider_region: 'aws-us-east-1', deployment_model: 'LOCAL', location: 'US-VA' });
    assert.deepEqual(Object.keys(app).sort(), [
      '_id',
      'client_app_id',
      'deployment_model',
      'domain_id',
      'environment',
      'group_id',
      'last_modified',
      'last_used',
      'location',
      'name',
      'product',
      'provider_region',
    ]);
    assert.match(String(app._id), /^[a-f0-9]{24}$/);
    assert.match(String(app.client_app_id), /^myapp-[a-z]{5}$/);
    assert.equal(app.deployment_model, 'LOCAL');
    assert.equal(app.provider_region, 'aws-us-east-1');
    assert.equal(app.location, 'US-VA');
    assert.equal(app.group_id, api.bootstrap.projectId);
    appId = String(app._id);
    assert.deepEqual((await owner.get(`${group}/apps/${appId}`)).json, app);
    const list = await owner.get(`${group}/apps`);
    assert.deepEqual(list.json, [app]);
    assert.deepEqual((await owner.get(`${group}/apps?product=atlas`)).json, []);
  });

  test('bad names, regions, locations and duplicates are refused in the v3 shape', async () => {
    for (const [body, status, code] of [
      [{ name: '1app' }, 400, 'InvalidParameter'],
      [{ name: 'ok', provider_region: 'aws-mars-1' }, 400, 'InvalidParameter'],
      [{ name: 'ok', provider_region: 'aws-us-east-2', deployment_model: 'GLOBAL' }, 400, 'InvalidParameter'],
      [{ name: 'ok', provider_region: 'aws-us-east-1', location: 'IE' }, 400, 'InvalidParameter'],
      [{ name: 'myapp' }, 409, 'AppExists'],
    ] as const) {
      const res = await owner.post(`${group}/apps`, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(errorOf(res).error_code, code);
    }
    const notJson = await owner.send('POST', `${group}/apps`, undefined);
    assert.equal(notJson.status, 400);
    errorOf(notJson);
  });

  test('an unknown or malformed app id → 404 AppNotFound; unknown paths → 404, wrong methods → 405, in the v3 shape', async () => {
    const missing = await owner.get(`${group}/apps/${'0'.repeat(24)}`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { error: 'app not found', error_code: 'AppNotFound' });
    assert.equal((await owner.get(`${group}/apps/nope`)).status, 404);
    const unknown = await owner.get('/no/such/path');
    assert.equal(unknown.status, 404);
    assert.equal(errorOf(unknown).error_code, 'NotFound');
    const wrongMethod = await owner.send('PATCH', `${group}/apps/${appId}`, {});
    assert.equal(wrongMethod.status, 405);
    assert.equal(errorOf(wrongMethod).error_code, 'MethodNotAllowed');
  });

  test('roles: Read Only reads and gets 403 on writes; another organization sees 404', async () => {
    const readOnly = new AppServicesClient(api.url);
    const key = await newKey(api.bootstrap.orgId, 'GROUP_READ_ONLY');
    assert.equal((await readOnly.login(key.publicKey, key.privateKey)).status, 200);
    assert.equal((await readOnly.get(`${group}/apps/${appId}`)).status, 200);
    assert.equal((await readOnly.get(`${group}/apps/${appId}/security/private_endpoints`)).status, 200);
    for (const res of [
      await readOnly.post(`${group}/apps`, { name: 'denied' }),
      await readOnly.delete(`${group}/apps/${appId}`),
      await readOnly.post(`${group}/apps/${appId}/security/allow_non_vpc_client_requests`, { allow_non_vpc_client_requests: true }),
      await readOnly.post(`${group}/apps/${appId}/security/private_endpoints`, { endpoint_type: 'legacy' }),
    ]) {
      assert.equal(res.status, 403, res.text);
      assert.equal(errorOf(res).error_code, 'Forbidden');
    }
    const other = await api.makeOrganization('Other', true);
    const stranger = new AppServicesClient(api.url);
    const otherKey = await newKey(other.orgId);
    await stranger.login(otherKey.publicKey, otherKey.privateKey);
    assert.equal((await stranger.get(`${group}/apps`)).status, 404);
  });

  test('roles: Read Only gets 403 on every v3 write of an app and its endpoints, and nothing changes; it reads the toggle', async () => {
    const readOnly = new AppServicesClient(api.url);
    const key = await newKey(api.bootstrap.orgId, 'GROUP_READ_ONLY');
    assert.equal((await readOnly.login(key.publicKey, key.privateKey)).status, 200);
    const guarded = await createApp('Guarded', { provider_region: 'aws-us-east-1', deployment_model: 'LOCAL' });
    const base = `${group}/apps/${String(guarded._id)}`;
    const endpointBody = { cloud_provider_region: 'aws-us-east-1', cloud_provider_endpoint_id: 'vpce-0123456789abcdef7', endpoint_type: 'general', comment: 'kept' };
    const created = await owner.post(`${base}/security/private_endpoints`, endpointBody);
    assert.equal(created.status, 201, created.text);
    const endpoint = `${base}/security/private_endpoints/${String((created.json as { _id: string })._id)}`;
    const serviceId = ((await owner.get(`${base}/services`)).json as Array<{ _id: string }>)[0]!._id;
    const config = `${base}/services/${serviceId}/config`;
    const before = [(await owner.get(base)).json, (await owner.get(endpoint)).json, (await owner.get(config)).json];

    for (const [what, res] of [
      ['PUT private endpoint', await readOnly.put(endpoint, { ...endpointBody, comment: 'changed' })],
      ['DELETE private endpoint', await readOnly.delete(endpoint)],
      ['PUT deployment_migration', await readOnly.put(`${base}/deployment_migration`, { deployment_model: 'LOCAL', provider_region: 'aws-us-west-2' })],
      ['PATCH service config', await readOnly.patch(config, { wireProtocolEnabled: true })],
      ['POST allow_non_vpc_client_requests', await readOnly.post(`${base}/security/allow_non_vpc_client_requests`, { allow_non_vpc_client_requests: true })],
    ] as const) {
      assert.equal(res.status, 403, `${what}: ${res.text}`);
      assert.equal(errorOf(res).error_code, 'Forbidden', what);
    }
    assert.deepEqual([(await owner.get(base)).json, (await owner.get(endpoint)).json, (await owner.get(config)).json], before, 'nothing changed');
    const toggle = await readOnly.get(`${base}/security/allow_non_vpc_client_requests`);
    assert.deepEqual([toggle.status, toggle.json], [200, { allow_non_vpc_client_requests: false }]);
    assert.equal((await owner.delete(endpoint)).status, 204);
    assert.equal((await owner.delete(base)).status, 204);
  });

  test('deployment_migration → 204 and the app moves; a no-op or an unknown region → 400', async () => {
    const other = await createApp('Mover');
    const path = `${group}/apps/${String(other._id)}/deployment_migration`;
    assert.equal((await owner.put(path, { deployment_model: 'LOCAL', provider_region: 'aws-us-west-2' })).status, 204);
    const moved = (await owner.get(`${group}/apps/${String(other._id)}`)).json as Record<string, unknown>;
    assert.deepEqual([moved.deployment_model, moved.provider_region, moved.location], ['LOCAL', 'aws-us-west-2', 'US-OR']);
    assert.equal((await owner.put(path, { deployment_model: 'LOCAL', provider_region: 'aws-us-west-2' })).status, 400);
    assert.equal((await owner.put(path, { deployment_model: 'LOCAL', provider_region: 'aws-nowhere' })).status, 400);
    assert.equal((await owner.put(path, { deployment_model: 'LOCAL' })).status, 400);
    assert.equal((await owner.delete(`${group}/apps/${String(other._id)}`)).status, 204);
    assert.equal((await owner.get(`${group}/apps/${String(other._id)}`)).status, 404);
  });
});

describe('private endpoints', () => {
  let app: Record<string, unknown>;
  let sec: string;
  let general: Record<string, unknown>;
  let sync: Record<string, unknown>;

  before(async () => {
    app = await createApp('Private', { provider_region: 'aws-us-east-1', deployment_model: 'LOCAL' });
    sec = `${group}/apps/${String(app._id)}/security`;
  });

  test('service infos: one per endpoint type for the app region (names once privlink made them)', async () => {
    const res = await owner.get(`${sec}/private_endpoint_service_infos`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, [
      { cloud_provider_region: 'aws-us-east-1', endpoint_type: 'general' },
      { cloud_provider_region: 'aws-us-east-1', endpoint_type: 'sync' },
    ]);
  });

  test('GLOBAL apps and apps in Azure or GCP cannot have private endpoints', async () => {
    for (const [name, body, pattern] of [
      ['Global', { deployment_model: 'GLOBAL', provider_region: 'aws-us-east-1' }, /globally deployed/],
      ['OnAzure', { deployment_model: 'LOCAL', provider_region: 'azure-eastus2' }, /azure-eastus2/],
      ['OnGcp', { deployment_model: 'LOCAL', provider_region: 'gcp-us-central1' }, /gcp-us-central1/],
    ] as const) {
      const created = await createApp(name, body);
      const base = `${group}/apps/${String(created._id)}/security`;
      const infos = await owner.get(`${base}/private_endpoint_service_infos`);
      assert.equal(infos.status, 400);
      assert.equal(errorOf(infos).error_code, 'PrivateEndpointsNotSupported');
      assert.match(errorOf(infos).error, pattern);
      const post = await owner.post(`${base}/private_endpoints`, {
        cloud_provider_region: body.provider_region,
        cloud_provider_endpoint_id: 'vpce-0123456789abcdef0',
        endpoint_type: 'general',
      });
      assert.equal(post.status, 400);
      assert.equal(errorOf(post).error_code, 'PrivateEndpointsNotSupported');
    }
  });

  test('legacy type, a malformed vpce id, another region, and sync without general → 400', async () => {
    const base = { cloud_provider_region: 'aws-us-east-1', cloud_provider_endpoint_id: 'vpce-0123456789abcdef0' };
    for (const [body, pattern] of [
      [{ ...base, endpoint_type: 'legacy' }, /legacy/],
      [{ ...base, endpoint_type: 'general', cloud_provider_endpoint_id: 'vpc-123' }, /cloud_provider_endpoint_id/],
      [{ ...base, endpoint_type: 'general', cloud_provider_region: 'aws-us-west-2' }, /not the app's region/],
      [{ ...base, endpoint_type: 'other' }, /endpoint_type/],
      [{ ...base, endpoint_type: 'sync' }, /paired with a general/],
      // A value that cannot be turned into text (an object naming its own toString) is refused, not a 500.
      [{ ...base, endpoint_type: { toString: 1, valueOf: 1 } }, /endpoint_type/],
      [{ ...base, endpoint_type: 'general', cloud_provider_endpoint_id: { toString: 1, valueOf: 1 } }, /cloud_provider_endpoint_id|toString/],
    ] as const) {
      const res = await owner.post(`${sec}/private_endpoints`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(errorOf(res).error, pattern);
    }
  });

  test('general then sync → 201 PENDING; a vpce registered twice → 409; GET one and the list', async () => {
    const created = await owner.post(`${sec}/private_endpoints`, {
      cloud_provider_region: 'aws-us-east-1',
      cloud_provider_endpoint_id: 'vpce-0123456789abcdef0',
      endpoint_type: 'general',
      comment: 'general endpoint',
    });
    assert.equal(created.status, 201, created.text);
    general = created.json as Record<string, unknown>;
    assert.deepEqual(general, {
      _id: general._id,
      cloud_provider_region: 'aws-us-east-1',
      cloud_provider_endpoint_id: 'vpce-0123456789abcdef0',
      comment: 'general endpoint',
      endpoint_type: 'general',
      status: 'PENDING',
    });
    const twice = await owner.post(`${sec}/private_endpoints`, {
      cloud_provider_region: 'aws-us-east-1',
      cloud_provider_endpoint_id: 'vpce-0123456789abcdef0',
      endpoint_type: 'sync',
    });
    assert.equal(twice.status, 409);
    const syncRes = await owner.post(`${sec}/private_endpoints`, {
      cloud_provider_region: 'aws-us-east-1',
      cloud_provider_endpoint_id: 'vpce-0123456789abcdef1',
      endpoint_type: 'sync',
    });
    assert.equal(syncRes.status, 201, syncRes.text);
    sync = syncRes.json as Record<string, unknown>;
    assert.deepEqual((await owner.get(`${sec}/private_endpoints/${String(general._id)}`)).json, general);
    assert.deepEqual((await owner.get(`${sec}/private_endpoints`)).json, [general, sync]);
    assert.equal((await owner.get(`${sec}/private_endpoints/${'0'.repeat(24)}`)).status, 404);
  });

  test('PUT changes the comment (200) but not the type (400)', async () => {
    const path = `${sec}/private_endpoints/${String(general._id)}`;
    const base = { cloud_provider_region: 'aws-us-east-1', cloud_provider_endpoint_id: 'vpce-0123456789abcdef0' };
    const changed = await owner.put(path, { ...base, endpoint_type: 'general', comment: 'renamed' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal((changed.json as { comment: string }).comment, 'renamed');
    const typeChange = await owner.put(path, { ...base, endpoint_type: 'sync' });
    assert.equal(typeChange.status, 400);
    assert.match(errorOf(typeChange).error, /cannot be changed/);
  });

  test('wire protocol and private endpoints exclude each other', async () => {
    const services = await owner.get(`${group}/apps/${String(app._id)}/services`);
    assert.equal(services.status, 200);
    const serviceId = (services.json as Array<{ _id: string }>)[0]!._id;
    const config = `${group}/apps/${String(app._id)}/services/${serviceId}/config`;
    assert.equal(((await owner.get(config)).json as { wireProtocolEnabled: boolean }).wireProtocolEnabled, false);
    const refused = await owner.patch(config, { wireProtocolEnabled: true });
    assert.equal(refused.status, 400);
    assert.match(errorOf(refused).error, /wire protocol cannot be enabled while the app has private endpoints/);

    const wired = await createApp('Wired', { data_source: { name: 'mongodb-atlas', type: 'mongodb-atlas', config: { clusterName: 'Cluster0', wireProtocolEnabled: true } } });
    const wiredBase = `${group}/apps/${String(wired._id)}`;
    const post = await owner.post(`${wiredBase}/security/private_endpoints`, {
      cloud_provider_region: 'aws-us-east-1',
      cloud_provider_endpoint_id: 'vpce-0123456789abcdef9',
      endpoint_type: 'general',
    });
    assert.equal(post.status, 400);
    assert.match(errorOf(post).error, /wire protocol is enabled/);
    const wiredService = ((await owner.get(`${wiredBase}/services`)).json as Array<{ _id: string }>)[0]!._id;
    assert.equal((await owner.patch(`${wiredBase}/services/${wiredService}/config`, { wireProtocolEnabled: false })).status, 204);
    const now = await owner.post(`${wiredBase}/security/private_endpoints`, {
      cloud_provider_region: 'aws-us-east-1',
      cloud_provider_endpoint_id: 'vpce-0123456789abcdef9',
      endpoint_type: 'general',
    });
    assert.equal(now.status, 201, now.text);
    assert.equal((await owner.patch(`${wiredBase}/services/${'0'.repeat(24)}/config`, { wireProtocolEnabled: false })).status, 404);
  });

  test('allow_non_vpc_client_requests: default restricted, POST toggles (204), the value reads back', async () => {
    const path = `${sec}/allow_non_vpc_client_requests`;
    assert.deepEqual((await owner.get(path)).json, { allow_non_vpc_client_requests: false });
    assert.equal((await owner.post(path, { allow_non_vpc_client_requests: true })).status, 204);
    assert.deepEqual((await owner.get(path)).json, { allow_non_vpc_client_requests: true });
    assert.equal((await owner.post(path, { allow_non_vpc_client_requests: 'yes' })).status, 400);
    assert.equal((await owner.post(path, { allow_non_vpc_client_requests: false })).status, 204);
  });

  test('the last general endpoint cannot go before the sync endpoints; DELETE → 204 then 404', async () => {
    const generalPath = `${sec}/private_endpoints/${String(general._id)}`;
    const refused = await owner.delete(generalPath);
    assert.equal(refused.status, 400);
    assert.match(errorOf(refused).error, /sync endpoints/);
    assert.equal((await owner.delete(`${sec}/private_endpoints/${String(sync._id)}`)).status, 204);
    assert.equal((await owner.delete(generalPath)).status, 204);
    assert.equal((await owner.get(generalPath)).status, 404);
    assert.deepEqual((await owner.get(`${sec}/private_endpoints`)).json, []);
  });

  test('changing the deployment invalidates the app endpoints, which say why', async () => {
    const created = await owner.post(`${sec}/private_endpoints`, {
      cloud_provider_region: 'aws-us-east-1',
      cloud_provider_endpoint_id: 'vpce-0123456789abcdef2',
      endpoint_type: 'general',
    });
    assert.equal(created.status, 201);
    assert.equal((await owner.put(`${group}/apps/${String(app._id)}/deployment_migration`, { deployment_model: 'LOCAL', provider_region: 'aws-eu-west-1' })).status, 204);
    const [endpoint] = (await owner.get(`${sec}/private_endpoints`)).json as Array<Record<string, string>>;
    assert.equal(endpoint!.status, 'INVALIDATED');
    assert.match(endpoint!.status_message!, /LOCAL in aws-us-east-1 to LOCAL in aws-eu-west-1.*Create new private endpoints/);
    const infos = (await owner.get(`${sec}/private_endpoint_service_infos`)).json as Array<{ cloud_provider_region: string }>;
    assert.deepEqual(
      infos.map((i) => i.cloud_provider_region),
      ['aws-eu-west-1', 'aws-eu-west-1'],
    );
    const put = await owner.put(`${sec}/private_endpoints/${endpoint!._id}`, {
      cloud_provider_region: 'aws-eu-west-1',
      cloud_provider_endpoint_id: 'vpce-0123456789abcdef2',
      endpoint_type: 'general',
    });
    assert.equal(put.status, 400);
    assert.equal((await owner.delete(`${sec}/private_endpoints/${endpoint!._id}`)).status, 204);
  });
});
