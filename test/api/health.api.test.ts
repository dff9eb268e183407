import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Authenticator } from '../../src/api/atlas/authenticate.js';
import { credentialsLookup } from '../../src/app/authentication.service.js';
import { DigestAuthority } from '../../src/api/atlas/digest-auth.js';
import { buildApiServer } from '../../src/api/server.js';
import { storeReadiness } from '../../src/app/readiness.service.js';
import { createLogger } from '../../src/logging/logger.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { envelopeOf, plainRequest } from '../support/raw-http.js';

// Liveness says the process answers; readiness says it can serve: database, migrations, reconciler.
let api: ApiHarness;
before(async () => {
  api = await startApi();
});
after(async () => api?.close());

test('/healthz and /readyz are 200 on a ready server', async () => {
  const live = await plainRequest(api.url, 'GET', '/healthz');
  assert.equal(live.status, 200);
  assert.deepEqual(JSON.parse(live.text), { status: 'ok' });
  const ready = await plainRequest(api.url, 'GET', '/readyz');
  assert.equal(ready.status, 200, ready.text);
  assert.deepEqual(JSON.parse(ready.text), { status: 'ready', checks: { database: 'reachable', migrations: 'applied' } });
});

test('/readyz is 503 naming the reconciler when it is enabled but not running', async () => {
  const app = await buildApiServer({
    ctx: api.ctx,
    authenticator: new Authenticator(credentialsLookup(api.store), new DigestAuthority(Buffer.from('x'), { nonceTtlMs: 1000 })),
    log: createLogger('error'),
    publicUrl: null,
    readiness: storeReadiness({ store: api.store, reconcilerRunning: () => false }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const res = await plainRequest(url, 'GET', '/readyz');
    assert.equal(res.status, 503, res.text);
    const body = envelopeOf(res.text);
    assert.equal(body.errorCode, 'SERVICE_NOT_READY');
    assert.match(body.detail, /reconciler \(stopped\)/);
    assert.doesNotMatch(body.detail, /database/);
  } finally {
    await app.close();
  }
});

// Last: closes the harness's store under its running server.
test('with the store gone, /readyz is 503 naming the database while /healthz stays 200', async () => {
  await api.store.close();
  const res = await plainRequest(api.url, 'GET', '/readyz');
  assert.equal(res.status, 503, res.text);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/);
  const body = envelopeOf(res.text);
  assert.equal(body.errorCode, 'SERVICE_NOT_READY');
  assert.match(body.detail, /database \(unreachable\)/);
  const live = await plainRequest(api.url, 'GET', '/healthz');
  assert.equal(live.status, 200);
});
