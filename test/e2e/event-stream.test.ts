import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { openEventStream, type ServerSentEvent } from '../support/sse-client.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => stack?.close());

const key = () => ({ publicKey: stack.bootstrap.publicKey, privateKey: stack.bootstrap.privateKey });
const servicesOf = (events: ServerSentEvent[], id: string) => events.filter((e) => (JSON.parse(e.data) as { targetId: string }).targetId === id).map((e) => e.event);

describe('GET /groups/{groupId}/events/stream (server-sent events)', () => {
  test("a client receives an endpoint service's transitions in order, and resumes after a disconnect with Last-Event-ID", async () => {
    const path = `${stack.project}/events/stream`;
    const first = await openEventStream(stack.running.apiUrl, path, key());
    assert.equal(first.status, 200);
    assert.match(first.contentType ?? '', /^text\/event-stream/);

    const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'eu-west-1' });
    assert.equal(created.status, 201, created.text);
    const id = (created.json as { id: string }).id;
    const received = await first.waitFor(2);
    assert.deepEqual(servicesOf(received, id), ['ENDPOINT_SERVICE_CREATED', 'ENDPOINT_SERVICE_AVAILABLE']);
    const wire = JSON.parse(received[0]!.data) as Record<string, unknown>;
    assert.equal(wire.id, received[0]!.id, 'the SSE id is the event id');
    assert.equal(wire.groupId, stack.projectId);
    assert.equal(typeof wire.created, 'string');
    // Beyond the feed's shape: the object and its status change, as webhooks deliver them.
    const available = JSON.parse(received.find((e) => e.event === 'ENDPOINT_SERVICE_AVAILABLE')!.data) as Record<string, unknown>;
    assert.deepEqual(available.object, { type: 'ENDPOINT_SERVICE', id });
    assert.equal(available.newStatus, 'AVAILABLE');
    assert.notEqual(available.oldStatus, 'AVAILABLE');

    // The client goes away; meanwhile the service is deleted. Reconnecting with Last-Event-ID replays what it missed, in order.
    first.close();
    await first.ended;
    const seen = first.lastEventId!;
    const deleted = await stack.owner.delete(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`);
    assert.equal(deleted.status, 202, deleted.text);
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
      (r) => r.status === 404,
    );
    const resumed = await openEventStream(stack.running.apiUrl, path, key(), seen);
    const missed = await resumed.waitFor(2);
    assert.deepEqual(servicesOf(missed, id), ['ENDPOINT_SERVICE_DELETE_REQUESTED', 'ENDPOINT_SERVICE_DELETED']);
    assert.ok(!resumed.events.some((e) => e.id === seen), 'nothing already seen is sent again');
    resumed.close();
  });

  test("same authorisation as the feed: another organization's key gets 401/403, an unknown Last-Event-ID 404", async () => {
    const path = `${stack.project}/events/stream`;
    const wrong = await openEventStream(stack.running.apiUrl, path, { publicKey: 'abcdefgh', privateKey: '00000000-0000-0000-0000-000000000000' });
    assert.equal(wrong.status, 401);
    const unknown = await openEventStream(stack.running.apiUrl, path, key(), 'f'.repeat(24));
    assert.equal(unknown.status, 404);
    const bad = await openEventStream(stack.running.apiUrl, path, key(), 'not-an-id');
    assert.equal(bad.status, 404);
  });

  test('closing the server ends open streams (shutdown is not held up by them)', async () => {
    const stream = await openEventStream(stack.running.apiUrl, `${stack.project}/events/stream`, key());
    assert.equal(stream.status, 200);
    const started = Date.now();
    const closing = stack.close();
    await stream.ended;
    await closing;
    assert.ok(Date.now() - started < 10_000, `closed in ${Date.now() - started} ms`);
    stack = undefined as unknown as Stack; // closed here: nothing left for after()
  });
});
