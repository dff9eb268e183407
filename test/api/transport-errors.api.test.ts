import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { digestAnswer } from '../support/digest-answer.js';
import { envelopeOf, plainRequest, rawExchange, type RawResponse } from '../support/raw-http.js';

// Every answer that is not a success carries Atlas's envelope as application/json, also when the
// framework or Node's HTTP parser refuses the request before any route runs.
let api: ApiHarness;
before(async () => {
  api = await startApi();
});
after(async () => api?.close());

function assertEnvelope(res: RawResponse, status: number, errorCode: string): void {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  const body = envelopeOf(res.text);
  assert.equal(body.error, status);
  assert.equal(body.errorCode, errorCode);
}

test('%ZZ in a path is 400 PATH_PARAM_PARSE_ERROR', async () => {
  const res = await plainRequest(api.url, 'GET', `/api/atlas/v2/groups/${api.bootstrap.projectId}/clusters/%ZZ`);
  assertEnvelope(res, 400, 'PATH_PARAM_PARSE_ERROR');
});

test('a path parameter of 1,200 characters is 414 REQUEST_URI_TOO_LONG', async () => {
  const res = await plainRequest(api.url, 'GET', `/api/atlas/v2/groups/${api.bootstrap.projectId}/clusters/${'c'.repeat(1200)}`);
  assertEnvelope(res, 414, 'REQUEST_URI_TOO_LONG');
});

test('a URL over 16 KB is 431 with the envelope, written by the HTTP parser handler', async () => {
  const res = await rawExchange(api.url, `GET /api/atlas/v2/groups?x=${'a'.repeat(17 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
  assertEnvelope(res, 431, 'REQUEST_HEADERS_TOO_LARGE');
});

test('a request the HTTP parser cannot read is 400 MALFORMED_REQUEST', async () => {
  const res = await rawExchange(api.url, 'THIS IS NOT HTTP\r\n\r\n');
  assertEnvelope(res, 400, 'MALFORMED_REQUEST');
});

test('bytes that cannot be read after a request (a GET body sent without a length) close the connection once that request is answered', async () => {
  // The body reads as a second request, which the parser refuses while the first is still being
  // answered: the first answer arrives whole, marked as the last, with no error written into it,
  // then the connection closes.
  const res = await rawExchange(api.url, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n${'x'.repeat(100_000)}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.connection, 'close', 'the answer says it is the last on this connection');
  assert.deepEqual(JSON.parse(res.text), JSON.parse((await plainRequest(api.url, 'GET', '/healthz')).text));
});

test('a client that closes its sending side once its request is sent still gets the answer, then the connection closes', async () => {
  // The answer needs the store (the key, the project): it is not written before the client's FIN arrives.
  const key = await api.makeKey(api.bootstrap.orgId, ['ORG_OWNER']);
  const path = `/api/atlas/v2/groups/${api.bootstrap.projectId}`;
  const accept = 'application/vnd.atlas.2023-01-01+json';
  const challenge = (await plainRequest(api.url, 'GET', path, { headers: { accept } })).headers['www-authenticate'] ?? '';
  const authorization = digestAnswer(key, challenge, { method: 'GET', path });
  const host = new URL(api.url).host;
  const res = await rawExchange(api.url, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nAccept: ${accept}\r\nAuthorization: ${authorization}\r\n\r\n`, { halfClose: true });
  assert.equal(res.status, 200, res.text || '(nothing before the server closed the connection)');
  assert.equal((JSON.parse(res.text) as { id: string }).id, api.bootstrap.projectId);
});

test('an unknown path is 404 RESOURCE_NOT_FOUND', async () => {
  assertEnvelope(await plainRequest(api.url, 'GET', '/api/atlas/v2/nothing/here'), 404, 'RESOURCE_NOT_FOUND');
  // `/` is the web console (when built); other paths outside the API keep Atlas's 404.
  assertEnvelope(await plainRequest(api.url, 'GET', '/nothing/here'), 404, 'RESOURCE_NOT_FOUND');
});

test('a known path with another method is 405 METHOD_NOT_ALLOWED with Allow; OPTIONS too', async () => {
  const put = await plainRequest(api.url, 'PUT', `/api/atlas/v2/groups/${api.bootstrap.projectId}`);
  assertEnvelope(put, 405, 'METHOD_NOT_ALLOWED');
  assert.equal(put.headers.allow, 'GET, DELETE');
  const options = await plainRequest(api.url, 'OPTIONS', '/api/atlas/v2/groups');
  assertEnvelope(options, 405, 'METHOD_NOT_ALLOWED');
  assert.equal(options.headers.allow, 'GET, POST');
});

test('HEAD on a route is authenticated like GET (401, no body)', async () => {
  const res = await plainRequest(api.url, 'HEAD', '/api/atlas/v2/groups');
  assert.equal(res.status, 401);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(res.text, '');
});

test('a body over 1 MiB is 413 REQUEST_BODY_TOO_LARGE for an authorised caller', async () => {
  const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
  const res = await api.owner.request('POST', '/api/atlas/v2/groups', { rawBody: big });
  assert.equal(res.status, 413, res.text);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal(envelopeOf(res.text).errorCode, 'REQUEST_BODY_TOO_LARGE');
});

test('without credentials a big body is 401 (authentication comes first)', async () => {
  const res = await plainRequest(api.url, 'POST', '/api/atlas/v2/groups', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
  });
  assertEnvelope(res, 401, 'UNEXPECTED_ERROR');
});
