import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { scrape } from '../support/prometheus-scrape.js';

// A receiver as a customer would write one: it checks the signature as docs/operations.md says.
function verify(secret: string, headers: IncomingHttpHeaders, rawBody: string): boolean {
  const timestamp = headers['x-privlink-timestamp'];
  const signature = headers['x-privlink-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Payload {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  eventTypeName: string;
  groupId: string;
  targetId: string;
  created: string;
  object: { type: string; id: string };
  oldStatus: string | null;
  newStatus: string | null;
  subState: string | null;
}

let stack: Stack;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** Per path: status codes to answer in turn (the last one repeats); 200 when unset. */
const answers = new Map<string, number[]>();

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const queue = answers.get(path) ?? [200];
      const status = queue.length > 1 ? queue.shift()! : queue[0]!;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startStack({
    PRIVLINK_WEBHOOK_ALLOW: '127.0.0.0/8',
    PRIVLINK_WEBHOOK_RETRY_BASE_MS: '20',
    PRIVLINK_WEBHOOK_RETRY_MAX_MS: '40',
    PRIVLINK_WEBHOOK_POLL_MS: '50',
    PRIVLINK_WEBHOOK_TIMEOUT_MS: '3000',
  });
});
after(async () => {
  await stack?.close();
  receiver?.close();
});

const hooks = () => `${stack.project}/privlink/webhooks`;
const at = (path: string) => received.filter((r) => r.path === path);
async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('project webhooks', () => {
  test("signed deliveries of an endpoint service's transitions arrive in order; a tampered body fails verification", async () => {
    const secret = 'a-secret-of-sixteen-or-more';
    const created = await stack.owner.post(hooks(), { url: `${base}/ok`, secret });
    assert.equal(created.status, 201, created.text);
    const hook = created.json as { id: string; secret: string; enabled: boolean; url: string };
    assert.equal(hook.secret, secret, 'the secret is shown once, on creation');
    assert.equal(hook.enabled, true);
    const shown = await stack.owner.get(`${hooks()}/${hook.id}`);
    assert.equal(shown.status, 200);
    assert.equal((shown.json as { secret?: string }).secret, undefined, 'never again');
    assert.ok(!(await stack.owner.get(hooks())).text.includes(secret));

    const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'eu-west-1' });
    assert.equal(service.status, 201, service.text);
    const serviceId = (service.json as { id: string }).id;
    const deliveries = await waitFor(() => {
      const mine = at('/ok').filter((r) => (JSON.parse(r.body) as Payload).targetId === serviceId);
      return mine.length >= 2 ? mine : undefined;
    }, 'two deliveries');
    const payloads = deliveries.map((d) => JSON.parse(d.body) as Payload);
    assert.deepEqual(
      payloads.map((p) => p.eventTypeName),
      ['ENDPOINT_SERVICE_CREATED', 'ENDPOINT_SERVICE_AVAILABLE'],
    );
    assert.deepEqual(
      payloads.map((p) => [p.object.type, p.object.id, p.oldStatus, p.newStatus, p.subState]),
      [
        ['ENDPOINT_SERVICE', serviceId, null, 'INITIATING', 'load balancer provisioning'],
        ['ENDPOINT_SERVICE', serviceId, 'INITIATING', 'AVAILABLE', 'awaiting customer endpoint'],
      ],
    );
    for (const d of deliveries) {
      const payload = JSON.parse(d.body) as Payload;
      assert.equal(payload.groupId, stack.projectId);
      assert.equal(payload.webhookId, hook.id);
      assert.equal(d.headers['x-privlink-delivery'], payload.deliveryId);
      assert.equal(d.headers['x-privlink-event'], payload.eventTypeName);
      assert.equal(d.headers['content-type'], 'application/json');
      assert.ok(verify(secret, d.headers, d.body), 'the signature verifies with the secret');
      assert.ok(!verify(secret, d.headers, d.body.replace('AVAILABLE', 'FAILED').replace('INITIATING', 'FAILED')), 'a tampered body does not');
      assert.ok(!verify('another-secret-entirely', d.headers, d.body), 'another secret does not');
      const otherTime = { ...d.headers, 'x-privlink-timestamp': String(Number(d.headers['x-privlink-timestamp']) - 3600) };
      assert.ok(!verify(secret, otherTime, d.body), 'the timestamp is part of what is signed');
    }
    // The event feed has the same events; Atlas's event shape carries none of the webhook-only fields.
    const feed = await stack.owner.get(`${stack.project}/events/${payloads[1]!.eventId}`);
    assert.equal(feed.status, 200);
    assert.equal((feed.json as { eventTypeName: string }).eventTypeName, 'ENDPOINT_SERVICE_AVAILABLE');
    assert.equal((feed.json as { subState?: string }).subState, undefined);

    const log = await until(
      () => stack.owner.get(`${hooks()}/${hook.id}/deliveries`),
      (r) => ((r.json as { results?: Array<{ eventId: string }> }).results ?? []).filter((a) => payloads.some((p) => p.eventId === a.eventId)).length === 2,
    );
    const attempts = (log.json as { results: Array<{ outcome: string; statusCode: number; attempt: number; eventId: string }> }).results;
    for (const p of payloads) {
      const a = attempts.find((x) => x.eventId === p.eventId)!;
      assert.deepEqual([a.outcome, a.statusCode, a.attempt], ['SUCCESS', 200, 1]);
    }

    const removed = await stack.owner.delete(`${hooks()}/${hook.id}`);
    assert.equal(removed.status, 204);
    assert.equal((await stack.owner.get(`${hooks()}/${hook.id}`)).status, 404);
    assert.equal(((await stack.owner.get(`${hooks()}/${hook.id}`)).json as { errorCode: string }).errorCode, 'WEBHOOK_NOT_FOUND');
  });

  test('a receiver answering 500 is retried with backoff, and the delivery log shows every attempt', async () => {
    answers.set('/flaky', [500, 500, 200]);
    const created = await stack.owner.post(hooks(), { url: `${base}/flaky` });
    assert.equal(created.status, 201, created.text);
    const hook = created.json as { id: string; secret: string };
    assert.match(hook.secret, /^[0-9a-f]{64}$/, 'a generated secret');
    const changed = await stack.owner.patch(`${stack.project}/privateEndpoint/regionalMode`, { enabled: true });
    assert.equal(changed.status, 202, changed.text);

    const tries = await waitFor(() => (at('/flaky').length >= 3 ? at('/flaky') : undefined), 'three attempts');
    const ids = new Set(tries.map((t) => t.headers['x-privlink-delivery']));
    assert.equal(ids.size, 1, 'the same delivery, retried');
    assert.ok(tries.every((t) => verify(hook.secret, t.headers, t.body)));
    const log = await until(
      () => stack.owner.get(`${hooks()}/${hook.id}/deliveries`),
      (r) => (r.json as { totalCount?: number }).totalCount === 3,
    );
    const attempts = (log.json as { results: Array<{ outcome: string; statusCode: number; attempt: number; error: string | null; durationMs: number }> }).results;
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.outcome, a.statusCode]),
      [
        [3, 'SUCCESS', 200],
        [2, 'FAILURE', 500],
        [1, 'FAILURE', 500],
      ],
    );
    assert.equal(attempts[1]!.error, 'HTTP 500');
    assert.ok(attempts.every((a) => Number.isInteger(a.durationMs) && a.durationMs >= 0));
    const after = (await stack.owner.get(`${hooks()}/${hook.id}`)).json as { enabled: boolean; consecutiveFailures: number };
    assert.deepEqual([after.enabled, after.consecutiveFailures], [true, 0]);
    await stack.owner.delete(`${hooks()}/${hook.id}`);
  });

  test('ten failed attempts in a row disable the webhook, which says why; enabling it again resumes delivery', async () => {
    answers.set('/down', [500]);
    const metricsBefore = await scrape(stack.running.apiUrl);
    const created = await stack.owner.post(hooks(), { url: `${base}/down` });
    assert.equal(created.status, 201, created.text);
    const hook = created.json as { id: string };
    const changed = await stack.owner.patch(`${stack.project}/privateEndpoint/regionalMode`, { enabled: false });
    assert.equal(changed.status, 202, changed.text);
    const disabled = await until(
      () => stack.owner.get(`${hooks()}/${hook.id}`),
      (r) => (r.json as { enabled?: boolean }).enabled === false,
    );
    const body = disabled.json as { enabled: boolean; disabledReason: string; consecutiveFailures: number };
    assert.equal(body.consecutiveFailures, 10);
    assert.match(body.disabledReason, /10 consecutive failed delivery attempts.*HTTP 500/);
    const log = (await stack.owner.get(`${hooks()}/${hook.id}/deliveries?itemsPerPage=500`)).json as { totalCount: number };
    assert.equal(log.totalCount, 10);
    const seen = at('/down').length;
    assert.equal(seen, 10);
    // The Prometheus metrics count the attempts and the disabling.
    const metricsAfter = await scrape(stack.running.apiUrl);
    const failures = (m: typeof metricsBefore) => m.value('privlink_webhook_delivery_attempts_total', { outcome: 'failure' });
    assert.equal(failures(metricsAfter) - failures(metricsBefore), 10);
    assert.equal(
      metricsAfter.count('privlink_webhook_delivery_duration_seconds', { outcome: 'failure' }) -
        metricsBefore.count('privlink_webhook_delivery_duration_seconds', { outcome: 'failure' }),
      10,
    );
    assert.equal(metricsAfter.value('privlink_webhooks_disabled_total') - metricsBefore.value('privlink_webhooks_disabled_total'), 1);
    assert.ok(metricsAfter.value('privlink_webhook_delivery_attempts_total', { outcome: 'success' }) >= 2, 'the deliveries that succeeded earlier');

    answers.set('/down', [200]);
    const enabled = await stack.owner.post(`${hooks()}/${hook.id}/enable`, {});
    assert.equal(enabled.status, 200, enabled.text);
    assert.equal((enabled.json as { enabled: boolean }).enabled, true);
    await waitFor(() => (at('/down').length > seen ? true : undefined), 'the pending delivery after enabling');
    const last = (
      await until(
        () => stack.owner.get(`${hooks()}/${hook.id}/deliveries?itemsPerPage=1`),
        (r) => (r.json as { results?: Array<{ outcome: string }> }).results?.[0]?.outcome === 'SUCCESS',
      )
    ).json as { results: Array<{ attempt: number }> };
    assert.equal(last.results[0]!.attempt, 11);
    await stack.owner.delete(`${hooks()}/${hook.id}`);
  });

  test('a URL outside the operator allow list, or not http(s), is refused with a clear error', async () => {
    const outside = await stack.owner.post(hooks(), { url: 'http://10.1.2.3:8080/hook' });
    assert.equal(outside.status, 400, outside.text);
    const error = outside.json as { errorCode: string; detail: string };
    assert.equal(error.errorCode, 'WEBHOOK_URL_NOT_ALLOWED');
    assert.match(error.detail, /10\.1\.2\.3 is not in the allowed destinations.*PRIVLINK_WEBHOOK_ALLOW/);
    const scheme = await stack.owner.post(hooks(), { url: 'ftp://127.0.0.1/x' });
    assert.deepEqual([scheme.status, (scheme.json as { errorCode: string }).errorCode], [400, 'INVALID_ATTRIBUTE']);
    const missing = await stack.owner.post(hooks(), { secret: 'x'.repeat(20) });
    assert.deepEqual([missing.status, (missing.json as { errorCode: string }).errorCode], [400, 'MISSING_ATTRIBUTE']);
    const short = await stack.owner.post(hooks(), { url: `${base}/ok`, secret: 'short' });
    assert.deepEqual([short.status, (short.json as { errorCode: string }).errorCode], [400, 'INVALID_ATTRIBUTE']);
    const list = (await stack.owner.get(hooks())).json as { totalCount: number };
    assert.equal(list.totalCount, 0, 'nothing was created');
  });
});
