import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AtlasClient } from '../../src/client/atlas-client.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { envelopeOf, plainRequest } from '../support/raw-http.js';

// Authenticate, then authorise, then parse: a caller learns about media types and JSON syntax
// only when it may make the call.
let api: ApiHarness;
let readOnly: AtlasClient;
let stranger: AtlasClient;
let path: string;
const V2_JSON = 'application/vnd.atlas.2023-01-01+json';

before(async () => {
  api = await startApi();
  readOnly = await api.makeKey(api.bootstrap.orgId, ['ORG_MEMBER'], [[api.bootstrap.projectId, 'GROUP_READ_ONLY']]);
  stranger = (await api.makeOrganization('Stranger Org', true)).owner;
  path = `/api/atlas/v2/groups/${api.bootstrap.projectId}/privateEndpoint/endpointService`;
});
after(async () => api?.close());

describe('without credentials', () => {
  for (const [label, contentType, body] of [
    ['malformed JSON', 'application/json', '{bad'],
    ['text/plain', 'text/plain', 'hello'],
    ['no content type', undefined, 'hello'],
  ] as const) {
    test(`${label} is 401 with the Digest challenge`, async () => {
      const headers: Record<string, string> = { accept: V2_JSON };
      if (contentType) headers['content-type'] = contentType;
      const res = await plainRequest(api.url, 'POST', path, { headers, body });
      assert.equal(res.status, 401, res.text);
      assert.match(res.headers['www-authenticate'] ?? '', /^Digest /);
      assert.equal(envelopeOf(res.text).error, 401);
    });
  }
});

describe('callers without access get 403/404, never 400/415', () => {
  for (const [label, contentType, body] of [
    ['malformed JSON', V2_JSON, '{bad'],
    ['text/plain', 'text/plain', 'hello'],
  ] as const) {
    test(`Read Only sending ${label}: 403 USER_UNAUTHORIZED`, async () => {
      const res = await readOnly.request('POST', path, { headers: { 'content-type': contentType }, rawBody: body });
      assert.equal(res.status, 403, res.text);
      assert.equal(envelopeOf(res.text).errorCode, 'USER_UNAUTHORIZED');
    });
    test(`another organization's key sending ${label}: 404 GROUP_NOT_FOUND`, async () => {
      const res = await stranger.request('POST', path, { headers: { 'content-type': contentType }, rawBody: body });
      assert.equal(res.status, 404, res.text);
      assert.equal(envelopeOf(res.text).errorCode, 'GROUP_NOT_FOUND');
    });
  }

  test('Read Only creating an org key with malformed JSON (v1.0) is 403, not 400', async () => {
    const res = await readOnly.request('POST', `/api/atlas/v1.0/orgs/${api.bootstrap.orgId}/apiKeys`, { rawBody: '{bad' });
    assert.equal(res.status, 403, res.text);
  });
});

describe('callers with access', () => {
  test('malformed JSON is 400 INVALID_JSON', async () => {
    const res = await api.owner.request('POST', path, { rawBody: '{bad' });
    assert.equal(res.status, 400, res.text);
    assert.equal(envelopeOf(res.text).errorCode, 'INVALID_JSON');
  });

  test('text/plain is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await api.owner.request('POST', path, { headers: { 'content-type': 'text/plain' }, rawBody: 'hello' });
    assert.equal(res.status, 415, res.text);
    assert.equal(envelopeOf(res.text).errorCode, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('a body on a GET is ignored, not parsed', async () => {
    const res = await api.owner.request('GET', `/api/atlas/v2/groups/${api.bootstrap.projectId}`, { headers: { 'content-type': 'text/plain' }, rawBody: '{bad' });
    assert.equal(res.status, 200, res.text);
  });
});
