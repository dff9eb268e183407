import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PrivateDnsRecord } from '../../app/private-dns.js';
import { createLogger } from '../../logging/logger.js';
import { DataPlaneHost } from './data-plane-host.js';

// The real worker thread (private DNS only, no local cloud) answering real UDP queries; the store
// lookups it asks the main thread for are counted here.
const writes = { value: 0 };
const asked: string[] = [];
let inFlight = 0;
let maxInFlight = 0;
let gate: Promise<void> = Promise.resolve();
let host: DataPlaneHost;

before(async () => {
  host = await DataPlaneHost.start({
    dns: { address: '127.0.0.1', port: 0, ttl: 60 },
    localCloud: null,
    lookups: {
      async dnsRecords(name, type): Promise<PrivateDnsRecord[] | undefined> {
        asked.push(`${type} ${name}`);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await gate;
        } finally {
          inFlight -= 1;
        }
        return name.endsWith('.example.test') ? [{ type: 'A', address: '10.1.2.3' }] : undefined;
      },
      horizon: async () => undefined,
    },
    writes,
    log: createLogger('silent'),
    logLevel: 'silent',
  });
});

after(() => host?.close());

function resolver(): Resolver {
  const r = new Resolver({ timeout: 3000, tries: 1 });
  r.setServers([`127.0.0.1:${host.dnsPort}`]);
  return r;
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`never: ${what}`);
    await sleep(20);
  }
}

test('the worker answers from the main thread, and a flood of one question asks it once', async () => {
  assert.ok(host.dnsPort > 0);
  assert.equal(host.caPath, null, 'no CA without the local cloud');
  const answers = await Promise.all(Array.from({ length: 50 }, () => resolver().resolve4('flood.example.test')));
  for (const answer of answers) assert.deepEqual(answer, ['10.1.2.3']);
  assert.deepEqual(
    asked.filter((q) => q === 'A flood.example.test'),
    ['A flood.example.test'],
  );
  await assert.rejects(resolver().resolve4('missing.other.test'), (error: NodeJS.ErrnoException) => error.code === 'ENOTFOUND');
});

test('a store write drops the cached answers', async () => {
  await resolver().resolve4('cached.example.test');
  await resolver().resolve4('cached.example.test');
  assert.equal(asked.filter((q) => q === 'A cached.example.test').length, 1);
  writes.value += 1;
  await eventually(() => {
    void resolver().resolve4('cached.example.test');
    return asked.filter((q) => q === 'A cached.example.test').length === 2;
  }, 'the question was asked again after a write');
});

test('at most 64 lookups wait on the main thread; queries over the cap get SERVFAIL at once', async () => {
  let open!: () => void;
  gate = new Promise<void>((resolve) => (open = resolve));
  maxInFlight = 0;
  const queries = Array.from({ length: 100 }, (_, i) =>
    resolver()
      .resolve4(`distinct-${i}.example.test`)
      .then(
        () => 'answered',
        (error: NodeJS.ErrnoException) => error.code ?? 'error',
      ),
  );
  await eventually(() => inFlight === 64, '64 lookups in flight');
  await sleep(200); // the other 36 queries have reached the worker by now, and must not reach the main thread
  assert.equal(maxInFlight, 64);
  open();
  const outcomes = await Promise.all(queries);
  assert.equal(outcomes.filter((o) => o === 'answered').length, 64);
  assert.equal(outcomes.filter((o) => o === 'ESERVFAIL').length, 36);
  gate = Promise.resolve();
  assert.deepEqual(await resolver().resolve4('distinct-99.example.test'), ['10.1.2.3'], 'the cap frees up once answers land');
});
