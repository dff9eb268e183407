import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { promises as dns } from 'node:dns';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startDnsServer, staticRecords, type DnsRecord, type RunningDnsServer } from './dns-server.js';
import DNS from 'dns2';
import { Cleanup, dial, readBytes, withTimeout } from './dataplane.test-support.js';

const run = promisify(execFile);
const HOST = 'pl-0-us-east-1.abcde.privlink.test';
const SRV_NAME = '_mongodb._tcp.cluster0-pl-0.abcde.privlink.test';
const TXT_NAME = 'cluster0-pl-0.abcde.privlink.test';
const TXT = 'authSource=admin&replicaSet=atlas-abcde-shard-0';

function records(): Record<string, DnsRecord[]> {
  return {
    [HOST]: [{ type: 'A', address: '127.0.0.1' }],
    [SRV_NAME]: [1024, 1025, 1026].map((port) => ({ type: 'SRV' as const, target: HOST, port })),
    [TXT_NAME]: [{ type: 'TXT', data: TXT }],
    'big.abcde.privlink.test': Array.from({ length: 120 }, (_, i) => ({ type: 'A' as const, address: `10.0.${i >> 8}.${i & 0xff}` })),
    'long.abcde.privlink.test': [{ type: 'TXT', data: 'x'.repeat(400), ttl: 5 }],
  };
}

async function server(cleanup: Cleanup, ttl?: number) {
  const queries: Array<{ transport: string; name: string; type: string; rcode: number }> = [];
  const running = await startDnsServer({ resolve: staticRecords(records()), ...(ttl !== undefined ? { ttl } : {}), onQuery: (q) => queries.push(q) });
  cleanup.add(() => running.stop());
  return { running, queries };
}

function resolverFor(running: RunningDnsServer): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: 1000, tries: 2 });
  resolver.setServers([`${running.address}:${running.port}`]);
  return resolver;
}

test('the Node resolver gets A, SRV and TXT answers, NXDOMAIN for unknown names and NODATA for missing types', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const { running, queries } = await server(cleanup);
  const resolver = resolverFor(running);
  assert.deepEqual(await resolver.resolve4(HOST, { ttl: true }), [{ address: '127.0.0.1', ttl: 60 }]);
  assert.deepEqual(await resolver.resolve4(HOST.toUpperCase()), ['127.0.0.1'], 'names are case-insensitive');
  const srv = (await resolver.resolveSrv(SRV_NAME)).sort((a, b) => a.port - b.port);
  assert.deepEqual(
    srv,
    [1024, 1025, 1026].map((port) => ({ name: HOST, port, priority: 0, weight: 0 })),
  );
  assert.deepEqual(await resolver.resolveTxt(TXT_NAME), [[TXT]]);
  // A 400-byte TXT value travels as two character-strings of one record, with its own TTL.
  const long = await resolver.resolveTxt('long.abcde.privlink.test');
  assert.equal(long.length, 1);
  assert.equal(long[0]!.join(''), 'x'.repeat(400));
  await assert.rejects(resolver.resolve4('nope.abcde.privlink.test'), { code: 'ENOTFOUND' });
  await assert.rejects(resolver.resolveSrv('_mongodb._tcp.nope.abcde.privlink.test'), { code: 'ENOTFOUND' });
  await assert.rejects(resolver.resolve6(HOST), { code: 'ENODATA' }, 'an existing name without AAAA is NODATA, not NXDOMAIN');
  assert.ok(queries.length >= 7);
  assert.ok(queries.every((q) => q.transport === 'udp'));
  assert.ok(queries.some((q) => q.name === 'nope.abcde.privlink.test' && q.rcode === 3));
});

test('an answer too big for UDP is truncated there and served over TCP on the same port', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const { running, queries } = await server(cleanup, 30);
  const resolver = resolverFor(running);
  const big = await resolver.resolve4('big.abcde.privlink.test', { ttl: true });
  assert.equal(big.length, 120);
  assert.ok(
    big.every((r) => r.ttl === 30),
    'configured TTL',
  );
  assert.ok(queries.some((q) => q.transport === 'udp' && q.name === 'big.abcde.privlink.test'));
  assert.ok(
    queries.some((q) => q.transport === 'tcp' && q.name === 'big.abcde.privlink.test'),
    'the resolver retried over TCP',
  );
});

test('dig, a second real client, gets the same answers over UDP and TCP', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const { running, queries } = await server(cleanup);
  try {
    await run('dig', ['-v']);
  } catch (error) {
    assert.fail(`dig is not installed (${(error as Error).message}); install it with: apt-get install -y bind9-dnsutils`);
  }
  const dig = async (...args: string[]): Promise<string> => (await run('dig', [`@${running.address}`, '-p', String(running.port), '+time=2', '+tries=1', ...args])).stdout;
  const srvLines = (out: string): string[] => out.trim().split('\n').sort();
  const expected = [1024, 1025, 1026].map((port) => `0 0 ${port} ${HOST}.`);
  assert.deepEqual(srvLines(await dig('SRV', SRV_NAME, '+short')), expected);
  assert.deepEqual(srvLines(await dig('SRV', SRV_NAME, '+short', '+tcp')), expected);
  assert.equal((await dig('TXT', TXT_NAME, '+short')).trim(), `"${TXT}"`);
  assert.equal((await dig('A', HOST, '+short', '+tcp')).trim(), '127.0.0.1');
  const nx = await dig('A', 'nope.abcde.privlink.test');
  assert.match(nx, /status: NXDOMAIN/);
  const full = await dig('A', HOST);
  assert.match(full, /flags: qr aa/, 'answers are authoritative');
  assert.match(full, new RegExp(`${HOST.replace(/\./g, '\\.')}\\.\\s+60\\s+IN\\s+A\\s+127\\.0\\.0\\.1`));
  assert.ok(queries.some((q) => q.transport === 'tcp'));
  assert.ok(queries.some((q) => q.transport === 'udp'));
});

test('a full answer: NODATA and NXDOMAIN carry the zone SOA in authority, REFUSED is not authoritative (dig and the Node resolver)', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const soa = { type: 'SOA' as const, mname: 'ns.privlink.test', rname: 'hostmaster.privlink.test', serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum: 30, ttl: 60 };
  const running = await startDnsServer({
    resolve: (name) => {
      if (!name.endsWith('privlink.test')) return { rcode: 'REFUSED', records: [] };
      if (name === HOST) return { rcode: 'NOERROR', records: [{ type: 'A', address: '127.0.0.1' }], soa: { zone: 'privlink.test', record: soa } };
      if (name === 'abcde.privlink.test') return { rcode: 'NOERROR', records: [], soa: { zone: 'privlink.test', record: soa } };
      return { rcode: 'NXDOMAIN', records: [], soa: { zone: 'privlink.test', record: soa } };
    },
  });
  cleanup.add(() => running.stop());
  const dig = async (...args: string[]): Promise<string> => (await run('dig', [`@${running.address}`, '-p', String(running.port), '+time=2', '+tries=1', ...args])).stdout;
  const ent = await dig('A', 'abcde.privlink.test');
  assert.match(ent, /status: NOERROR/);
  assert.match(ent, /flags: qr aa[^;]*; QUERY: 1, ANSWER: 0, AUTHORITY: 1/);
  // RFC 2308 §3: the SOA's TTL in a negative answer is min(TTL, MINIMUM).
  assert.match(ent, /privlink\.test\.\s+30\s+IN\s+SOA\s+ns\.privlink\.test\. hostmaster\.privlink\.test\. 1 7200 900 1209600 30/);
  const nx = await dig('A', 'nope.abcde.privlink.test', '+tcp');
  assert.match(nx, /status: NXDOMAIN/);
  assert.match(nx, /AUTHORITY: 1/);
  const answered = await dig('A', HOST);
  assert.match(answered, /ANSWER: 1, AUTHORITY: 0/, 'a positive answer carries no SOA');
  const refused = await dig('A', 'example.com');
  assert.match(refused, /status: REFUSED/);
  assert.doesNotMatch(refused, /flags: qr aa/, 'not authoritative for other zones');
  const resolver = resolverFor(running);
  await assert.rejects(resolver.resolve4('abcde.privlink.test'), { code: 'ENODATA' });
  await assert.rejects(resolver.resolve4('nope.abcde.privlink.test'), { code: 'ENOTFOUND' });
  await assert.rejects(resolver.resolve4('example.com'), { code: 'EREFUSED' });
});

test('the record source is read on every query, may be async, and a failing source answers SERVFAIL', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  let address = '127.0.0.1';
  const errors: Error[] = [];
  const running = await startDnsServer({
    resolve: async (name, type) => {
      if (name === 'broken.test') throw new Error('store unavailable');
      if (name !== 'moving.test') return undefined;
      return type === 'A' || type === 'ANY' ? [{ type: 'A', address }] : [];
    },
    onError: (error) => errors.push(error),
  });
  cleanup.add(() => running.stop());
  const resolver = resolverFor(running);
  assert.deepEqual(await resolver.resolve4('moving.test'), ['127.0.0.1']);
  address = '127.0.0.2';
  assert.deepEqual(await resolver.resolve4('moving.test'), ['127.0.0.2']);
  await assert.rejects(resolver.resolve4('broken.test'), { code: 'ESERVFAIL' });
  assert.match(String(errors[0]?.message), /store unavailable/);
  await running.stop();
  await running.stop(); // idempotent
});

/** A query for `name` as a client would send it (encoded by dns2, an independent encoder). */
function encodeQuery(id: number, name: string, type = DNS.Packet.TYPE.A): Buffer {
  const packet = new DNS.Packet();
  packet.header.id = id;
  packet.questions.push({ name, type, class: DNS.Packet.CLASS.IN } as DNS.Packet.Question);
  return packet.toBuffer();
}

function tcpFrame(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length);
  return Buffer.concat([length, message]);
}

async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a 12-byte header claiming 65535 records per section gets FORMERR, and a burst of random datagrams leaves the server answering', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const errors: Error[] = [];
  const running = await startDnsServer({ resolve: staticRecords(records()), onError: (error) => errors.push(error) });
  cleanup.add(() => running.stop());
  const client = createSocket('udp4');
  cleanup.add(() => client.close());
  await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
  const replies: Buffer[] = [];
  client.on('message', (message) => replies.push(message));

  const hostile = Buffer.alloc(12, 0xff);
  hostile.writeUInt16BE(0xbeef, 0);
  hostile.writeUInt16BE(0x0100, 2);
  client.send(hostile, running.port, running.address);
  await until(() => replies.length === 1, 2000, 'the FORMERR reply');
  const formErr = DNS.Packet.parse(replies[0]!);
  assert.equal(formErr.header.id, 0xbeef);
  assert.equal(formErr.header.qr, 1);
  assert.equal(formErr.header.rcode, 1, 'FORMERR');

  let seed = 7;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
  const send = (bytes: Buffer): Promise<void> => new Promise((resolve) => client.send(bytes, running.port, running.address, () => resolve()));
  for (let i = 0; i < 2000; i++) await send(Buffer.from(Array.from({ length: random() + 1 }, random)));
  // The resolver's query queues behind the burst on the same socket, and is answered.
  assert.deepEqual(await resolverFor(running).resolve4(HOST), ['127.0.0.1']);
  // The kernel may drop datagrams of a burst; those that arrived were all refused.
  await until(() => running.stats().formatErrors >= 100, 5000, 'the burst to be counted');
  assert.ok(errors.length < 10, `malformed messages are reported at most once per second, got ${errors.length} reports`);
  assert.match(String(errors[0]?.message), /malformed DNS message/);
});

test('DNS over TCP: at most the configured queries are answered at once; the rest wait in the kernel, not in the server', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const running = await startDnsServer({
    resolve: async () => {
      calls++;
      await gate;
      return [{ type: 'A', address: '127.0.0.1' }];
    },
    tcpMaxQueriesInFlight: 4,
  });
  cleanup.add(() => running.stop());
  const socket = await dial(running.port, cleanup);
  const total = 100;
  socket.write(Buffer.concat(Array.from({ length: total }, (_, i) => tcpFrame(encodeQuery(i + 1, `q${i}.test`)))));
  await until(() => running.stats().tcpReadsPaused >= 1, 2000, 'the server to stop reading');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(calls, 4, 'only the in-flight cap of queries is being answered');
  release();
  const ids = new Set<number>();
  while (ids.size < total) {
    const length = (await readBytes(socket, 2)).readUInt16BE(0);
    ids.add(DNS.Packet.parse(await readBytes(socket, length)).header.id);
  }
  assert.equal(calls, total, 'every pipelined query is answered once the gate opens');
});

test('DNS over TCP: a client that pipelines queries and never reads is back-pressured, then closed when nothing moves', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  let answered = 0;
  const running = await startDnsServer({ resolve: staticRecords(records()), tcpIdleTimeoutMs: 1000, onQuery: () => answered++ });
  cleanup.add(() => running.stop());
  const socket = await dial(running.port, cleanup);
  socket.pause();
  socket.on('error', () => undefined);
  // Each reply (120 A records) is ~2 KiB: 20,000 of them (~40 MB) outgrow any socket buffer.
  const total = 20_000;
  const query = tcpFrame(encodeQuery(1, 'big.abcde.privlink.test'));
  socket.write(Buffer.concat(Array.from({ length: total }, () => query)));
  await until(() => running.stats().tcpReadsPaused >= 1, 5000, 'the server to stop reading');
  await until(() => running.stats().tcpConnections === 0, 10_000, 'the stalled connection to be closed');
  assert.ok(running.stats().tcpIdleClosed >= 1, 'closed by the idle timeout');
  assert.ok(answered < total, `the server stopped answering a client that does not read (${answered} of ${total} answered)`);
});

test('an idle DNS-over-TCP connection is closed after the idle timeout; one in use is answered', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const running = await startDnsServer({ resolve: staticRecords(records()), tcpIdleTimeoutMs: 300 });
  cleanup.add(() => running.stop());
  const idle = await dial(running.port, cleanup);
  const closed = new Promise((resolve) => idle.on('close', resolve));
  idle.resume();
  const busy = await dial(running.port, cleanup);
  busy.write(tcpFrame(encodeQuery(9, HOST)));
  const length = (await readBytes(busy, 2)).readUInt16BE(0);
  const reply = DNS.Packet.parse(await readBytes(busy, length));
  assert.equal(reply.header.id, 9);
  assert.equal(reply.answers.length, 1);
  await withTimeout(closed, 3000, 'waiting for the idle connection to be closed');
  assert.ok(running.stats().tcpIdleClosed >= 1);
});

test('a DNS-over-TCP query trickled slower than the idle timeout is cut off', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const running = await startDnsServer({ resolve: staticRecords(records()), tcpIdleTimeoutMs: 300 });
  cleanup.add(() => running.stop());
  const socket = await dial(running.port, cleanup);
  socket.on('error', () => undefined); // the server may reset it
  const closed = new Promise((resolve) => socket.on('close', resolve));
  const query = tcpFrame(encodeQuery(5, HOST));
  let sent = 0;
  // One byte every 100 ms: never idle for 300 ms, but the query cannot complete in time.
  const timer = setInterval(() => {
    if (sent < query.length - 1 && !socket.destroyed) socket.write(query.subarray(sent, ++sent));
  }, 100);
  cleanup.add(() => clearInterval(timer));
  socket.resume();
  await withTimeout(closed, 5000, 'waiting for the trickling connection to be closed');
  assert.ok(sent < query.length - 1, `closed after ${sent} of ${query.length} bytes`);
});
