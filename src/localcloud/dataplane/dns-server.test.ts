import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startDnsServer, staticRecords, type DnsRecord, type RunningDnsServer } from './dns-server.js';
import { Cleanup } from './dataplane.test-support.js';

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
  assert.deepEqual(srv, [1024, 1025, 1026].map((port) => ({ name: HOST, port, priority: 0, weight: 0 })));
  assert.deepEqual(await resolver.resolveTxt(TXT_NAME), [[TXT]]);
  // A 400-byte TXT value travels as two character-strings of one record, with its own TTL.
  const long = await resolver.resolveTxt('long.abcde.privlink.test');
  assert.equal(long.length, 1);
  assert.equal(long[0].join(''), 'x'.repeat(400));
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
  assert.ok(big.every((r) => r.ttl === 30), 'configured TTL');
  assert.ok(queries.some((q) => q.transport === 'udp' && q.name === 'big.abcde.privlink.test'));
  assert.ok(queries.some((q) => q.transport === 'tcp' && q.name === 'big.abcde.privlink.test'), 'the resolver retried over TCP');
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
