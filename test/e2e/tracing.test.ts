import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startStack, until, type Stack } from '../support/full-stack.js';

// OpenTelemetry tracing end to end: privlink exports OTLP/HTTP JSON to a collector played by a
// local HTTP server in this test; one endpoint service create → AVAILABLE must arrive as one trace
// HTTP request → use case → enqueue → reconcile passes → provider calls, each the child of the one before.

interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes?: ReadonlyArray<{ key: string; value: { stringValue?: string; intValue?: number | string; boolValue?: boolean } }>;
  readonly status?: { code?: number };
}

// OTLP's SpanKind numbers (opentelemetry-proto trace.proto).
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

const received: OtlpSpan[] = [];
const resources: string[] = [];
let collector: Server;
let collectorUrl: string;
let stack: Stack | undefined;

before(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces' && /json/.test(req.headers['content-type'] ?? '')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: Array<{ resource?: { attributes?: OtlpSpan['attributes'] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
        };
        for (const rs of body.resourceSpans) {
          resources.push(String(rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue));
          for (const ss of rs.scopeSpans) received.push(...ss.spans);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
after(async () => {
  await stack?.close();
  await new Promise((resolve) => collector.close(resolve));
});

const attr = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue !== undefined ? Number(value.intValue) : value?.boolValue);
};

describe('OpenTelemetry tracing (OTLP/HTTP JSON to a collector)', () => {
  test('one create → AVAILABLE is one trace: HTTP request → use case → enqueue → reconcile passes → provider calls', async () => {
    stack = await startStack({ PRIVLINK_OTLP_ENDPOINT: collectorUrl, OTEL_SERVICE_NAME: 'privlink-under-test', OTEL_TRACES_SAMPLER: 'parentbased_always_on' });
    const created = await stack.owner.post(
      `${stack.project}/privateEndpoint/endpointService`,
      { providerName: 'AWS', region: 'us-east-1' },
      { headers: { 'x-request-id': 'trace-me-1' } },
    );
    assert.equal(created.status, 201, created.text);
    const id = (created.json as { id: string }).id;
    await until(
      () => stack!.owner.get(`${stack!.project}/privateEndpoint/AWS/endpointService/${id}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
    );
    // Closing flushes the batch (the reconciler stops first, so every pass has ended).
    await stack.close();
    stack = undefined;

    assert.ok(resources.every((name) => name === 'privlink-under-test'));
    // (The Digest challenge's 401 is a request span of its own.)
    const http = received.find((s) => s.name === 'POST /api/atlas/v2/groups/:groupId/privateEndpoint/endpointService' && attr(s, 'http.response.status_code') === 201);
    assert.ok(http, `an HTTP span; got ${[...new Set(received.map((s) => s.name))].join(', ')}`);
    assert.equal(http.kind, SERVER);
    assert.equal(http.parentSpanId ?? '', '', 'the request is the root');
    assert.equal(attr(http, 'http.route'), '/api/atlas/v2/groups/:groupId/privateEndpoint/endpointService');
    assert.equal(attr(http, 'http.request.method'), 'POST');
    assert.equal(attr(http, 'http.response.status_code'), 201);
    assert.equal(attr(http, 'privlink.request_id'), 'trace-me-1');

    const trace = received.filter((s) => s.traceId === http.traceId);
    const children = (parent: OtlpSpan) => trace.filter((s) => s.parentSpanId === parent.spanId);
    const useCase = children(http).find((s) => s.name === 'use case createEndpointService');
    assert.ok(useCase, 'the use case is a child of the request');
    const enqueue = children(useCase).find((s) => s.name === 'enqueue endpoint-service');
    assert.ok(enqueue, 'the enqueue is a child of the use case');
    assert.equal(enqueue.kind, PRODUCER);
    assert.equal(attr(enqueue, 'privlink.object_id'), id);

    const passes = children(enqueue).filter((s) => s.name === 'reconcile endpoint-service');
    // The create pass looks at what it made and, the local cloud being done at once, publishes AVAILABLE itself.
    assert.ok(passes.length >= 1, `a pass that makes the service and sees it AVAILABLE, as a child of the enqueue (got ${passes.length})`);
    for (const pass of passes) {
      assert.equal(pass.kind, CONSUMER);
      assert.equal(attr(pass, 'privlink.object_id'), id);
      assert.equal(attr(pass, 'privlink.request_id'), 'trace-me-1');
    }
    const calls = passes.flatMap(children).filter((s) => s.kind === CLIENT);
    const create = calls.find((s) => s.name === 'AWS createEndpointService');
    assert.ok(create, `the provider call is a child of a pass; calls: ${calls.map((s) => s.name).join(', ')}`);
    assert.equal(attr(create, 'privlink.provider'), 'AWS');
    assert.equal(attr(create, 'privlink.provider_operation'), 'createEndpointService');
    assert.equal(attr(create, 'privlink.outcome'), 'ok');
    const look = calls.find((s) => s.name === 'AWS observeEndpointService' && s.parentSpanId === create.parentSpanId);
    assert.ok(look, `the pass that made it looked at it again; calls: ${calls.map((s) => s.name).join(', ')}`);
    assert.ok(
      passes.every((s) => s.status?.code !== 2),
      'no pass failed',
    );
  });

  test("by default a caller's sampled traceparent makes the request a child of the caller's span, and at most ten new traces a second are kept", async () => {
    received.length = 0;
    stack = await startStack({ PRIVLINK_OTLP_ENDPOINT: collectorUrl });
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const got = await stack.owner.get(stack.project, { headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` } });
    assert.equal(got.status, 200);
    // The default sampler follows a caller who did not sample.
    const unsampledTrace = '5bf92f3577b34da6a3ce929d0e0e4737';
    assert.equal((await stack.owner.get(stack.project, { headers: { traceparent: `00-${unsampledTrace}-00f067aa0ba902b8-00` } })).status, 200);
    const { owner, project } = stack;
    // A quiet caller (a request every 250 ms, under ten a second) has every request traced...
    const quietIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const quiet = await owner.get(project);
      assert.equal(quiet.status, 200);
      quietIds.push(String(quiet.headers['x-request-id']));
    }
    // ...a burst keeps at most the bucket (10) plus ten a second of its length.
    const burst = 300;
    const started = performance.now();
    const burstIds = new Set<string>();
    for (let i = 0; i < burst; i += 10) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => owner.get(project)));
      for (const a of answers) {
        assert.equal(a.status, 200);
        burstIds.add(String(a.headers['x-request-id']));
      }
    }
    const burstSeconds = (performance.now() - started) / 1000;
    await stack.close();
    stack = undefined;
    const http = received.find((s) => s.name === 'GET /api/atlas/v2/groups/:groupId' && s.traceId === callerTrace && attr(s, 'http.response.status_code') === 200);
    assert.ok(http, 'the request span joined the caller trace');
    assert.equal(http.parentSpanId, '00f067aa0ba902b7');
    assert.ok(received.some((s) => s.traceId === callerTrace && s.parentSpanId === http.spanId && s.name.startsWith('use case ')));
    assert.ok(!received.some((s) => s.traceId === unsampledTrace), "a caller's unsampled trace is not recorded");
    const requestSpans = received.filter((s) => s.name === 'GET /api/atlas/v2/groups/:groupId' && !s.parentSpanId);
    const tracedIds = new Set(requestSpans.map((s) => attr(s, 'privlink.request_id')));
    assert.deepEqual(
      quietIds.filter((id) => !tracedIds.has(id)),
      [],
      'every request of a quiet caller is traced',
    );
    const burstTraced = [...burstIds].filter((id) => tracedIds.has(id)).length;
    const bound = 10 + Math.ceil(10 * burstSeconds) + 1;
    assert.ok(burstTraced >= 1 && burstTraced <= bound, `a burst of ${burst} requests in ${burstSeconds.toFixed(2)} s keeps 1..${bound} traces: ${burstTraced}`);
  });
});
