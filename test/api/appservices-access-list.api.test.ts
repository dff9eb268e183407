import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertApiKey } from '../../src/app/api-keys.service.js';
import { repositories } from '../../src/store/repositories.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { AppServicesClient, type V3Response } from '../support/appservices-client.js';

// The app's IP access list through the App Services Admin API (v3): the specification's
// allowedIPAccessList* operations, their shapes and errors, and project roles.
let api: ApiHarness;
let owner: AppServicesClient;
let group: string;
let appId: string;
let list: string;

before(async () => {
  api = await startApi();
  owner = new AppServicesClient(api.url);
  assert.equal((await owner.login(api.bootstrap.publicKey, api.bootstrap.privateKey)).status, 200);
  group = `/groups/${api.bootstrap.projectId}`;
  const created = await owner.post(`${group}/apps`, { name: 'Listed' });
  assert.equal(created.status, 201, created.text);
  appId = (created.json as { _id: string })._id;
  list = `${group}/apps/${appId}/security/access_list`;
});
after(async () => api?.close());

function errorOf(res: V3Response): { error: string; error_code: string } {
  const body = res.json as { error: string; error_code: string };
  assert.deepEqual(Object.keys(body ?? {}).sort(), ['error', 'error_code'], res.text);
  return body;
}

type Entry = { _id: string; address: string; comment: string; includes_current: boolean; ip?: string; network?: string };
type AccessList = { current_ip: string; allowed_ips: Entry[] };

async function entries(): Promise<Entry[]> {
  const res = await owner.get(list);
  assert.equal(res.status, 200, res.text);
  return (res.json as AccessList).allowed_ips;
}

describe('the IP access list of an app', { concurrency: false }, () => {
  test('a new app has one entry, 0.0.0.0/0; the list shows the caller as current_ip', async () => {
    const res = await owner.get(list);
    assert.equal(res.status, 200, res.text);
    const body = res.json as AccessList;
    assert.deepEqual(Object.keys(body).sort(), ['allowed_ips', 'current_ip']);
    assert.equal(body.current_ip, '127.0.0.1');
    assert.equal(body.allowed_ips.length, 1);
    const [all] = body.allowed_ips;
    assert.match(all!._id, /^[a-f0-9]{24}$/);
    assert.deepEqual({ ...all, _id: undefined }, { _id: undefined, address: '0.0.0.0/0', network: '0.0.0.0/0', comment: '', includes_current: true });
  });

  test('POST an address or a CIDR block → 201 with the entry; the list keeps them in order', async () => {
    const one = await owner.post(list, { address: '192.0.2.7', comment: 'office' });
    assert.equal(one.status, 201, one.text);
    const entry = one.json as Entry;
    assert.deepEqual(Object.keys(entry).sort(), ['_id', 'address', 'comment', 'includes_current', 'ip']);
    assert.deepEqual({ ...entry, _id: undefined }, { _id: undefined, address: '192.0.2.7', ip: '192.0.2.7', comment: 'office', includes_current: false });
    const block = await owner.post(list, { address: '127.0.0.0/8' });
    assert.equal(block.status, 201, block.text);
    assert.deepEqual({ ...(block.json as Entry), _id: undefined }, { _id: undefined, address: '127.0.0.0/8', network: '127.0.0.0/8', comment: '', includes_current: true });
    assert.deepEqual(
      (await entries()).map((e) => e.address),
      ['0.0.0.0/0', '192.0.2.7', '127.0.0.0/8'],
    );
  });

  test("use_current adds the caller's own address", async () => {
    const res = await owner.post(list, { use_current: true, comment: 'me' });
    assert.equal(res.status, 201, res.text);
    assert.equal((res.json as Entry).address, '127.0.0.1');
    assert.equal((res.json as Entry).includes_current, true);
    assert.equal((await owner.delete(`${list}/${(res.json as Entry)._id}`)).status, 204);
  });

  test('invalid bodies → 400 InvalidParameter; the same block twice → 409', async () => {
    for (const body of [
      {},
      { address: '' },
      { address: 42 },
      { address: 'not-an-ip' },
      { address: '10.0.0.0/40' },
      { address: '256.0.0.1' },
      { address: '10.0.0.1', comment: 3 },
      [1],
    ]) {
      const res = await owner.post(list, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(errorOf(res).error_code, 'InvalidParameter');
    }
    const invalid = await owner.post(list, { address: 'not-an-ip' });
    assert.equal(errorOf(invalid).error, 'invalid address: "not-an-ip" must be an IP address or a CIDR block');
    const twice = await owner.post(list, { address: '192.0.2.7/32' });
    assert.equal(twice.status, 409, twice.text);
    assert.equal(errorOf(twice).error_code, 'AllowedIPExists');
  });

  test("PATCH an entry → 201 with its new address and comment; PUT (the CLI's update) → 204", async () => {
    const office = (await entries()).find((e) => e.address === '192.0.2.7')!;
    const patched = await owner.patch(`${list}/${office._id}`, { address: '198.51.100.0/24', comment: 'new office' });
    assert.equal(patched.status, 201, patched.text);
    assert.deepEqual(patched.json, { _id: office._id, address: '198.51.100.0/24', network: '198.51.100.0/24', comment: 'new office', includes_current: false });
    const put = await owner.put(`${list}/${office._id}`, { address: '198.51.100.9', comment: 'desk' });
    assert.equal(put.status, 204, put.text);
    const after = (await entries()).find((e) => e._id === office._id)!;
    assert.equal(after.address, '198.51.100.9');
    assert.equal(after.comment, 'desk');
    const bad = await owner.patch(`${list}/${office._id}`, { comment: 'no address' });
    assert.equal(bad.status, 400, bad.text);
    const clash = await owner.patch(`${list}/${office._id}`, { address: '0.0.0.0/0' });
    assert.equal(clash.status, 409, clash.text);
  });

  test("an unknown or malformed entry id → 404 AllowedIPNotFound with App Services' message", async () => {
    const missing = '0123456789abcdef01234567';
    for (const res of [await owner.delete(`${list}/${missing}`), await owner.patch(`${list}/${missing}`, { address: '10.0.0.1' })]) {
      assert.equal(res.status, 404, res.text);
      assert.deepEqual(res.json, { error: `allowed IP not found: 'ObjectID("${missing}")'`, error_code: 'AllowedIPNotFound' });
    }
    const malformed = await owner.delete(`${list}/nope`);
    assert.equal(malformed.status, 404);
    assert.equal(errorOf(malformed).error_code, 'AllowedIPNotFound');
    const otherApp = await owner.get(`${group}/apps/0123456789abcdef01234567/security/access_list`);
    assert.equal(otherApp.status, 404);
    assert.equal(errorOf(otherApp).error_code, 'AppNotFound');
  });

  test('DELETE → 204 and the entry is gone; deleting every entry leaves an empty list', async () => {
    for (const entry of await entries()) assert.equal((await owner.delete(`${list}/${entry._id}`)).status, 204);
    assert.deepEqual(await entries(), []);
    const again = await owner.post(list, { address: '0.0.0.0/0' });
    assert.equal(again.status, 201, again.text);
  });

  test('roles: Read Only lists and gets 403 Forbidden on every write; another organization sees 404', async () => {
    const repos = repositories(api.store.db);
    const created = await insertApiKey(repos, { orgId: api.bootstrap.orgId, description: 'read only', orgRoles: ['ORG_MEMBER'], now: new Date() });
    await repos.identity.setProjectRoles(created.apiKey.id, api.bootstrap.projectId, ['GROUP_READ_ONLY']);
    const readOnly = new AppServicesClient(api.url);
    assert.equal((await readOnly.login(created.apiKey.publicKey, created.privateKey)).status, 200);
    assert.equal((await readOnly.get(list)).status, 200);
    const [entry] = await entries();
    for (const res of [
      await readOnly.post(list, { address: '10.0.0.1' }),
      await readOnly.patch(`${list}/${entry!._id}`, { address: '10.0.0.1' }),
      await readOnly.put(`${list}/${entry!._id}`, { address: '10.0.0.1' }),
      await readOnly.delete(`${list}/${entry!._id}`),
    ]) {
      assert.equal(res.status, 403, res.text);
      assert.equal(errorOf(res).error_code, 'Forbidden');
    }
    assert.equal((await entries()).length, 1, 'nothing changed');
    const other = await api.makeOrganization('Elsewhere', true);
    const strangerKey = await insertApiKey(repos, { orgId: other.orgId, description: 'stranger', orgRoles: ['ORG_MEMBER'], now: new Date() });
    const stranger = new AppServicesClient(api.url);
    await stranger.login(strangerKey.apiKey.publicKey, strangerKey.privateKey);
    assert.equal((await stranger.get(list)).status, 404);
  });

  test('deleting the app deletes its access list', async () => {
    assert.equal((await owner.delete(`${group}/apps/${appId}`)).status, 204);
    assert.deepEqual(await repositories(api.store.db).appServicesAccessList.listByApp(appId), []);
  });
});
