import assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import { networkInterfaces } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { buildApiServer } from '../../src/api/server.js';
import { PrivlinkMetrics } from '../../src/observability/metrics.js';
import { createLogger } from '../../src/logging/logger.js';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { scrape } from '../support/prometheus-scrape.js';

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => stack?.close());

describe('GET /metrics (Prometheus text format, read by a real parser)', () => {
  test('HTTP requests are counted by route template, method and status, with a duration histogram', async () => {
    const project = `/api/atlas/v2/groups/${stack.projectId}`;
    const route = '/api/atlas/v2/groups/:groupId';
    const before = await scrape(stack.running.apiUrl);
    assert.equal(before.status, 200);
    assert.match(before.contentType ?? '', /^text\/plain; version=0\.0\.4/);
    for (let i = 0; i < 5; i++) assert.equal((await stack.owner.get(project)).status, 200);
    const missing = await stack.owner.get(`/api/atlas/v2/groups/${'f'.repeat(24)}`);
    assert.equal(missing.status, 404);
    const afterwards = await scrape(stack.running.apiUrl);
    const ok = { method: 'GET', route, status: '200' };
    assert.equal(afterwards.value('privlink_http_requests_total', ok) - before.value('privlink_http_requests_total', ok), 5);
    assert.equal(afterwards.count('privlink_http_request_duration_seconds', ok) - before.count('privlink_http_request_duration_seconds', ok), 5);
    // The histogram's buckets are cumulative and end at +Inf with every observation; the sum is the
    // time spent (each request took more than 0 s).
    const buckets = afterwards.buckets('privlink_http_request_duration_seconds', ok);
    assert.equal(buckets.at(-1)?.le, '+Inf');
    assert.equal(buckets.at(-1)?.value, afterwards.count('privlink_http_request_duration_seconds', ok));
    assert.deepEqual(
      buckets.map((b) => b.le),
      ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'],
    );
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value, `cumulative buckets: ${JSON.stringify(buckets)}`);
    assert.ok(afterwards.sum('privlink_http_request_duration_seconds', ok) > before.sum('privlink_http_request_duration_seconds', ok));
    const notFound = { method: 'GET', route, status: '404' };
    assert.equal(afterwards.value('privlink_http_requests_total', notFound) - before.value('privlink_http_requests_total', notFound), 1);
    // Raw paths never become label values: only templates (and one value for unmatched paths).
    for (const sample of afterwards.families.get('privlink_http_requests_total')!.metrics) assert.ok(!sample.labels!.route!.includes(stack.projectId), sample.labels!.route);
  });

  test('an endpoint service made AVAILABLE shows in objects, reconcile passes and provider calls', async () => {
    const before = await scrape(stack.running.apiUrl);
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    assert.equal(created.status, 201, created.text);
    const id = (created.json as { id: string }).id;
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    // A pass is counted once it has ended, which may be just after its status is readable.
    const done = (s: typeof before) => s.value('privlink_reconcile_passes_total', { kind: 'endpoint-service', outcome: 'done' });
    const deadline = Date.now() + 5_000;
    let afterwards = await scrape(stack.running.apiUrl);
    while (done(afterwards) - done(before) < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      afterwards = await scrape(stack.running.apiUrl);
    }
    assert.equal(afterwards.value('privlink_objects', { kind: 'endpoint_service', status: 'AVAILABLE' }), 1);
    assert.equal(afterwards.value('privlink_objects', { kind: 'endpoint_service', status: 'INITIATING' }), 0);
    const created1 = { provider: 'AWS', operation: 'createEndpointService', outcome: 'ok' };
    assert.equal(afterwards.value('privlink_provider_calls_total', created1) - before.value('privlink_provider_calls_total', created1), 1);
    assert.ok(afterwards.count('privlink_provider_call_duration_seconds', { provider: 'AWS', operation: 'createEndpointService' }) >= 1);
    // The create pass looks at what it made and, the local cloud being done at once, ends converged.
    assert.ok(done(afterwards) - done(before) >= 1, 'a pass that made the service and saw it AVAILABLE');
    assert.ok(afterwards.count('privlink_reconcile_pass_duration_seconds', { kind: 'endpoint-service' }) >= 1);
    assert.equal(afterwards.value('privlink_provider_throttles_total'), 0);
    assert.ok(afterwards.families.has('privlink_reconcile_queue_depth'));
    assert.ok(afterwards.value('privlink_reconcile_oldest_due_seconds') >= 0);
    assert.ok(afterwards.value('privlink_process_cpu_seconds_total') > 0, 'process metrics are there too');
  });

  test('private DNS queries are counted by type and rcode, shipped from the data-plane worker', async () => {
    const nx = { type: 'A', rcode: 'NXDOMAIN' };
    const before = (await scrape(stack.running.apiUrl)).value('privlink_dns_queries_total', nx);
    const resolver = new dns.Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${stack.running.dnsPort}`]);
    for (let i = 0; i < 3; i++) await assert.rejects(resolver.resolve4(`nothing-${i}.privlink.test`), { code: 'ENOTFOUND' });
    const deadline = Date.now() + 5000;
    let counted = 0;
    while ((counted = (await scrape(stack.running.apiUrl)).value('privlink_dns_queries_total', nx) - before) < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(counted, 3);
  });

  test("the data-plane worker's own heap is reported beside the main thread's", async () => {
    // The worker reports at start and every 5 s; its isolate's heap is not in privlink_nodejs_heap_size_*.
    const deadline = Date.now() + 7000;
    let now = await scrape(stack.running.apiUrl);
    while (now.value('privlink_dataplane_heap_size_total_bytes') === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      now = await scrape(stack.running.apiUrl);
    }
    const total = now.value('privlink_dataplane_heap_size_total_bytes');
    const used = now.value('privlink_dataplane_heap_size_used_bytes');
    assert.ok(total > 1024 * 1024, `a worker heap of some MB, got ${total}`);
    assert.ok(used > 0 && used <= total, `used ${used} of ${total}`);
    assert.notEqual(total, now.value('privlink_nodejs_heap_size_total_bytes'), "not the main thread's figure");
  });

  test('every name follows the conventions: privlink_ prefix, counters end in _total, durations in _seconds', async () => {
    const now = await scrape(stack.running.apiUrl);
    for (const [name, family] of now.families) {
      assert.match(name, /^privlink_[a-z0-9_]+$/);
      if (family.type === 'COUNTER') assert.match(name, /_total$/, name);
      if (family.type === 'HISTOGRAM' && name.includes('duration')) assert.match(name, /_seconds$/, name);
    }
  });
});

describe('who may scrape', () => {
  const nonLoopback = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  test(
    'by default only loopback callers: another address gets 404 in the Atlas envelope',
    { skip: nonLoopback ? false : 'this machine has no non-loopback IPv4 address to call from' },
    async () => {
      const metrics = new PrivlinkMetrics({ processMetrics: false });
      const app = await buildApiServer({
        ctx: stack.running.store && (await import('../../src/app/app-context.js')).appContext(stack.running.store, { domain: 'privlink.test', providers: ['AWS'] }),
        authenticator: undefined as never,
        log: createLogger('silent'),
        publicUrl: null,
        metrics,
      });
      await app.listen({ host: '0.0.0.0', port: 0 });
      try {
        const port = (app.server.address() as { port: number }).port;
        assert.equal((await scrape(`http://127.0.0.1:${port}`)).status, 200);
        const remote = await fetch(`http://${nonLoopback}:${port}/metrics`);
        assert.equal(remote.status, 404);
        assert.equal(((await remote.json()) as { errorCode: string }).errorCode, 'RESOURCE_NOT_FOUND');
      } finally {
        await app.close();
      }
    },
  );
});
