import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/logging/logger.js';
import { startStack, until, type Stack } from '../support/full-stack.js';

// Every JSON line the process logs at info level.
const lines: Array<Record<string, unknown>> = [];
let stack: Stack;
before(async () => {
  stack = await startStack({}, {}, { log: createLogger('info', { pretty: false, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) }) });
});
after(async () => stack?.close());

describe('request logs and request ids', () => {
  test('every answer carries X-Request-Id, and one log line names the request, caller key, route, status and duration', async () => {
    const answer = await stack.owner.get(stack.project);
    assert.equal(answer.status, 200);
    const id = answer.headers['x-request-id'];
    assert.match(String(id), /^[0-9a-f]{16}$/);
    const line = lines.find((l) => l.msg === 'request' && l.requestId === id);
    assert.ok(line, 'the request has its log line');
    assert.equal(line.status, 200);
    assert.equal(line.route, '/api/atlas/v2/groups/:groupId');
    assert.equal(line.method, 'GET');
    assert.equal(line.callerKey, stack.bootstrap.publicKey);
    assert.equal(typeof line.ms, 'number');
    const denied = lines.filter((l) => l.msg === 'request' && l.status === 401);
    assert.ok(
      denied.every((l) => l.callerKey === undefined),
      'a 401 names no caller key (it was not proven)',
    );
  });

  test("a caller's own plain X-Request-Id is echoed; an unsafe one is replaced", async () => {
    const mine = await stack.owner.request('GET', stack.project, { headers: { 'x-request-id': 'deploy-42.check' } });
    assert.equal(mine.headers['x-request-id'], 'deploy-42.check');
    const unsafe = await stack.owner.request('GET', stack.project, { headers: { 'x-request-id': 'a"b'.repeat(30) } });
    assert.match(String(unsafe.headers['x-request-id']), /^[0-9a-f]{16}$/);
    const missing = await fetch(`${stack.running.apiUrl}/api/atlas/v2/no/such/path`);
    assert.match(String(missing.headers.get('x-request-id')), /^[0-9a-f]{16}$/, 'error answers carry one too');
  });

  test("the reconciler's log lines for an object carry its id and the id of the request that asked for it", async () => {
    const created = await stack.owner.request('POST', `${stack.project}/privateEndpoint/endpointService`, {
      body: { providerName: 'AWS', region: 'us-east-1' },
      headers: { 'x-request-id': 'create-service-1' },
    });
    assert.equal(created.status, 201, created.text);
    const id = (created.json as { id: string }).id;
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    const progress = lines.filter((l) => l.component === 'reconciler' && l.objectId === id);
    assert.ok(progress.length > 0, 'the reconciler logged progress for the service');
    assert.ok(
      progress.every((l) => l.requestId === 'create-service-1' && l.workKind === 'endpoint-service'),
      JSON.stringify(progress),
    );
    assert.ok(progress.some((l) => l.msg === 'endpoint service status changed' && l.to === 'AVAILABLE'));
  });
});
