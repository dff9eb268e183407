import assert from 'node:assert/strict';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { newObjectId } from '../../src/domain/object-id.js';
import { ProviderError, type EndpointServiceSpec, type RegisteredEndpoint } from '../../src/providers/cloud-provider.js';
import { GcpClients } from '../../src/providers/gcp/gcp-clients.js';
import { gcpNames } from '../../src/providers/gcp/gcp-names.js';
import { GcpProvider } from '../../src/providers/gcp/gcp.provider.js';
import { consumerNetwork, pscEndpoint, REGION, startGcp, type ComputeClients, type GcpHarness } from '../localcloud/gcp/harness.js';

// The Compute calls the GCP adapter sends to make and delete a service, counted on the wire by a
// pass-through in front of the local cloud: a write is sent without a read before it (Compute's
// `alreadyExists` and `notFound` answer for a resource that is, or is not, there).

let h: GcpHarness;
let adapter: GcpProvider;
const calls: string[] = [];
/** Every call with its path and when it reached the pass-through and when its answer ended there. */
const timed: Array<{ readonly path: string; readonly start: number; end?: number }> = [];
let proxy: ReturnType<typeof createServer>;
const agent = new Agent({ keepAlive: true });

before(async () => {
  h = await startGcp();
  proxy = createServer((req, res) => {
    calls.push(`${req.method} ${(req.url ?? '').split('?')[0]!.split('/').slice(-2, -1)[0]}`);
    const call: (typeof timed)[number] = { path: `${req.method} ${(req.url ?? '').split('?')[0]}`, start: performance.now() };
    timed.push(call);
    res.once('finish', () => (call.end = performance.now()));
    const forward = request({ host: h.cloud.host, port: h.cloud.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const producer = h.cloud.projects.producer;
  const port = (proxy.address() as AddressInfo).port;
  adapter = new GcpProvider(new GcpClients({ projectId: producer.projectId, endpoint: { host: '127.0.0.1', port }, serviceAccountKey: producer.serviceAccountKey }));
});

after(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  agent.destroy();
  await h?.close();
});

const spec = (id: string): EndpointServiceSpec => ({ id, projectId: newObjectId(), region: REGION, listeners: [], layout: 'portMapped' });
/** Whether two calls were in flight at the same time. */
const overlap = (a: (typeof timed)[number], b: (typeof timed)[number]) => a.start < (b.end ?? Infinity) && b.start < (a.end ?? Infinity);
/** The calls since `from` that are not writes (reads of a resource or an operation). */
const readsSince = (from: number) => calls.slice(from).filter((c) => c.startsWith('GET'));
let customerNetwork: Promise<ComputeClients> | undefined;
/** The customer's network, made once for the tests that connect to a service. */
const customerClients = (): Promise<ComputeClients> => (customerNetwork ??= consumerNetwork(h));

test('a new service is made with one insert per resource and no read before it; made again, it is found by the inserts', async () => {
  const s = spec(newObjectId());
  let from = calls.length;
  await adapter.createEndpointService(s, {});
  const made = calls.slice(from);
  assert.deepEqual(readsSince(from), [], `reads sent while making a new service: ${made.join(', ')}`);
  assert.equal(made.filter((c) => c.startsWith('POST')).length, 7, made.join(', '));
  assert.equal((await adapter.observeEndpointService(s, {})).observed.state, 'ready');

  from = calls.length;
  await adapter.createEndpointService(s, {}); // as a pass that lost the commit of the first one's result
  assert.deepEqual(readsSince(from), []);
  assert.equal((await adapter.observeEndpointService(s, {})).observed.state, 'ready', 'nothing made twice broke it');
});

test('a pass that made every resource answers what a look would read, without reading; one that found any already there answers nothing', async () => {
  const listener = { port: 1024, targets: [{ host: '127.0.0.1', port: 27017 }], proxyProtocol: true };
  for (const s of [spec(newObjectId()), { ...spec(newObjectId()), listeners: [listener] }, { ...spec(newObjectId()), layout: 'attachmentSet' as const, listeners: [listener] }]) {
    const from = calls.length;
    const created = await adapter.createEndpointService(s, {});
    assert.deepEqual(
      readsSince(from).filter((c) => !c.startsWith('GET operations')),
      [],
      `${s.layout}, ${s.listeners.length} listener(s): reads after making`,
    );
    assert.ok(created.seen, `${s.layout}, ${s.listeners.length} listener(s): nothing answered`);
    // What it answers is what observing reads from the cloud.
    assert.deepEqual(created.seen, await adapter.observeEndpointService(s, created.ref), `${s.layout}, ${s.listeners.length} listener(s)`);
    assert.equal(created.seen.observed.state === 'ready' && created.seen.observed.listenersInSync, s.listeners.length === 0);

    // Made again (a pass that lost the first one's commit): its resources are found, so it answers nothing.
    assert.equal((await adapter.createEndpointService(s, created.ref)).seen, undefined);
  }
});

test('a service placed in a pool project inserts its first endpoint group once, and answers what it made', async () => {
  const producer = h.cloud.projects.producer;
  const port = (proxy.address() as AddressInfo).port;
  const account = { id: 'pool-project', name: 'pool-project', gcp: { projectId: producer.projectId, serviceAccountKey: JSON.stringify(producer.serviceAccountKey) } };
  const placed = new GcpProvider(new GcpClients({ projectId: producer.projectId, endpoint: { host: '127.0.0.1', port }, serviceAccountKey: producer.serviceAccountKey }), {
    accountOfService: async () => account,
  });
  for (const s of [spec(newObjectId()), spec(newObjectId())]) {
    const from = timed.length;
    const created = await placed.createEndpointService(s, {});
    const paths = timed.slice(from).map((c) => c.path);
    assert.equal(paths.filter((p) => /^POST .*\/networkEndpointGroups$/.test(p)).length, 1, paths.join(', '));
    assert.ok(created.seen, paths.join(', '));
    assert.deepEqual(created.seen, await placed.observeEndpointService(s, created.ref));
  }
});

test('a service is deleted with one delete per resource and no read before it; deleted again, nothing fails', async () => {
  const s = spec(newObjectId());
  await adapter.createEndpointService(s, {});
  let from = calls.length;
  await adapter.deleteEndpointService(s, {});
  const deleted = calls.slice(from);
  assert.deepEqual(readsSince(from), [], `reads sent while deleting: ${deleted.join(', ')}`);
  assert.equal(deleted.filter((c) => c.startsWith('DELETE')).length, 7, deleted.join(', '));
  assert.equal((await adapter.observeEndpointService(s, {})).observed.state, 'absent');

  from = calls.length;
  await adapter.deleteEndpointService(s, {});
  assert.deepEqual(readsSince(from), []);
});

test('a new service inserts its subnet and NAT subnet side by side; a ready one has its backend service and mappings read side by side', async () => {
  const s = spec(newObjectId());
  let from = timed.length;
  await adapter.createEndpointService(s, {});
  const subnets = timed.slice(from).filter((c) => /^POST .*\/subnetworks$/.test(c.path));
  assert.equal(
    subnets.length,
    2,
    timed
      .slice(from)
      .map((c) => c.path)
      .join(', '),
  );
  assert.ok(overlap(subnets[0]!, subnets[1]!), 'the subnetworks were inserted one after the other');

  from = timed.length;
  assert.equal((await adapter.observeEndpointService(s, {})).observed.state, 'ready');
  const seen = timed.slice(from);
  const backend = seen.find((c) => /^GET .*\/backendServices\/[^/]+$/.test(c.path));
  const mappings = seen.find((c) => /\/listNetworkEndpoints$/.test(c.path));
  assert.ok(backend && mappings, seen.map((c) => c.path).join(', '));
  assert.ok(overlap(backend, mappings), 'the backend service and the mappings were read one after the other');
});

test('a service expected ready has its backend service and mappings read beside its attachment', async () => {
  const s = spec(newObjectId());
  await adapter.createEndpointService(s, {});
  let from = timed.length;
  assert.equal((await adapter.observeEndpointService(s, {}, true)).observed.state, 'ready');
  let seen = timed.slice(from);
  const attachment = seen.find((c) => /^GET .*\/serviceAttachments\/[^/]+$/.test(c.path));
  const backend = seen.find((c) => /^GET .*\/backendServices\/[^/]+$/.test(c.path));
  assert.ok(attachment && backend, seen.map((c) => c.path).join(', '));
  assert.equal(seen.length, 3, seen.map((c) => c.path).join(', '));
  assert.ok(overlap(attachment, backend), 'the attachment and the backend service were read one after the other');

  // Expected ready but gone: observed absent, the early reads answered absent too and nothing thrown.
  await adapter.deleteEndpointService(s, {});
  from = timed.length;
  assert.equal((await adapter.observeEndpointService(s, {}, true)).observed.state, 'absent');
  seen = timed.slice(from);
  assert.ok(
    seen.some((c) => /^GET .*\/backendServices\/[^/]+$/.test(c.path)),
    seen.map((c) => c.path).join(', '),
  );
});

test('a connection seen pending in the same pass is accepted with one patch of the attachment as read; an attachment changed since refuses it, retryably', async () => {
  const producer = h.clients(h.cloud.projects.producer);
  const customer = await customerClients();
  const made = async () => {
    const s = spec(newObjectId());
    await adapter.createEndpointService(s, {});
    return s;
  };
  const attachmentOf = async (s: EndpointServiceSpec) =>
    (await producer.serviceAttachments.get({ project: producer.project, region: REGION, serviceAttachment: gcpNames(s).units[0]!.serviceAttachment }))[0];
  const endpointTo = async (s: EndpointServiceSpec, name: string): Promise<RegisteredEndpoint> => {
    await pscEndpoint(customer, name, (await attachmentOf(s)).selfLink!);
    return {
      endpointId: name,
      detail: { cloud: 'GCP', gcpProjectId: customer.project, endpoints: [{ endpointName: name, ipAddress: '10.20.1.9', status: 'PENDING_ACCEPTANCE' }], portMappingEnabled: true },
    };
  };
  const accepted = async (s: EndpointServiceSpec) => ((await attachmentOf(s)).consumerAcceptLists ?? []).some((a) => a.projectIdOrNum === customer.project);

  const s = await made();
  const endpoint = await endpointTo(s, 'psc-seen');
  const seen = await adapter.observeConnection(s, {}, endpoint);
  assert.equal(seen.state, 'pendingAcceptance');
  let from = calls.length;
  assert.equal(await adapter.acceptConnection(s, {}, endpoint, seen), undefined, 'Compute answers an operation: the caller looks again');
  let sent = calls.slice(from);
  assert.ok(sent.includes('PATCH serviceAttachments'), sent.join(', '));
  assert.ok(!sent.includes('GET serviceAttachments'), `the attachment was read again: ${sent.join(', ')}`);
  assert.equal((await adapter.observeConnection(s, {}, endpoint)).state, 'available');

  // Observed, then changed by its owner before the accept: Compute refuses the stale fingerprint,
  // the reconciler retries the error, and the accept list is as it was.
  const t = await made();
  const late = await endpointTo(t, 'psc-stale');
  const stale = await adapter.observeConnection(t, {}, late);
  assert.equal(stale.state, 'pendingAcceptance');
  const before = await attachmentOf(t);
  await producer.done(
    producer.serviceAttachments.patch({
      project: producer.project,
      region: REGION,
      serviceAttachment: before.name!,
      serviceAttachmentResource: { fingerprint: before.fingerprint, description: 'changed by its owner' },
    }),
  );
  const refused = await adapter.acceptConnection(t, {}, late, stale).then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.ok(refused instanceof ProviderError && refused.retryable, `expected a retryable provider error, got ${String(refused)}`);
  assert.equal(await accepted(t), false);
  // The next pass observes afresh and the accept goes through.
  from = calls.length;
  await adapter.acceptConnection(t, {}, late, await adapter.observeConnection(t, {}, late));
  sent = calls.slice(from);
  assert.equal(sent.filter((c) => c === 'GET serviceAttachments').length, 1, sent.join(', '));
  assert.equal(await accepted(t), true);
  assert.equal((await adapter.observeConnection(t, {}, late)).state, 'available');
});

test('a connection read pending and then its service deleted: the accept finds nothing to patch and does not fail', async () => {
  const producer = h.clients(h.cloud.projects.producer);
  const customer = await customerClients();
  const s = spec(newObjectId());
  await adapter.createEndpointService(s, {});
  const [attachment] = await producer.serviceAttachments.get({ project: producer.project, region: REGION, serviceAttachment: gcpNames(s).units[0]!.serviceAttachment });
  await pscEndpoint(customer, 'psc-orphan', attachment.selfLink!);
  const endpoint: RegisteredEndpoint = {
    endpointId: 'psc-orphan',
    detail: {
      cloud: 'GCP',
      gcpProjectId: customer.project,
      endpoints: [{ endpointName: 'psc-orphan', ipAddress: '10.20.1.9', status: 'PENDING_ACCEPTANCE' }],
      portMappingEnabled: true,
    },
  };
  const seen = await adapter.observeConnection(s, {}, endpoint);
  assert.equal(seen.state, 'pendingAcceptance');
  // The service's deletion (another pass, another replica) removes the attachment between the read and the patch.
  await adapter.deleteEndpointService(s, {});
  const from = calls.length;
  assert.equal(await adapter.acceptConnection(s, {}, endpoint, seen), undefined);
  assert.ok(calls.slice(from).includes('PATCH serviceAttachments'), 'the patch of the attachment as read was sent');
  assert.equal((await adapter.observeConnection(s, {}, endpoint)).state, 'serviceNotReady');
});
