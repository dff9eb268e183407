import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApi, type ApiHarness } from '../support/api-harness.js';

let api: ApiHarness;
before(async () => {
  api = await startApi();
});
after(async () => api?.close());

test('links use the address the server listens on, never the Host header', async () => {
  const res = await api.owner.get(`/api/atlas/v2/groups/${api.bootstrap.projectId}`, { headers: { host: 'evil.example' } });
  assert.equal(res.status, 200, res.text);
  assert.ok(!res.text.includes('evil.example'), res.text);
  const links = (res.json as { links: Array<{ href: string }> }).links;
  assert.ok(links.length > 0);
  for (const link of links) assert.ok(link.href.startsWith(`${api.url}/api/atlas/v2/`), link.href);
});

test('v2 without a versioned Accept is 406 INVALID_VERSION_DATE, as Atlas', async () => {
  for (const accept of ['application/json', '*/*', '', 'text/html']) {
    const res = await api.owner.get('/api/atlas/v2/groups', { headers: { accept } });
    assert.equal(res.status, 406, `Accept "${accept}": ${res.text}`);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json, {
      detail: 'Invalid accept header or version date.',
      error: 406,
      errorCode: 'INVALID_VERSION_DATE',
      parameters: [],
      reason: 'Not Acceptable',
    });
  }
});

test('v2 with a versioned Accept and v1.0 with application/json are served', async () => {
  assert.equal((await api.owner.get('/api/atlas/v2/groups', { headers: { accept: 'application/vnd.atlas.2023-01-01+json' } })).status, 200);
  assert.equal((await api.owner.get('/api/atlas/v2/groups', { headers: { accept: 'application/vnd.atlas.preview+json' } })).status, 200);
  const v1 = await api.owner.get('/api/atlas/v1.0/groups', { headers: { accept: 'application/json' } });
  assert.equal(v1.status, 200);
});
