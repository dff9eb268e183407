import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedLookups, LookupOverloadError, type LookupAnswer } from './bounded-lookups.js';

/** A lookup whose answers the test releases by hand, counting how often it was asked. */
function manualLookup() {
  const waiting = new Map<string, (answer: LookupAnswer<string | undefined>) => void>();
  const asked: string[] = [];
  return {
    asked,
    ask: (key: string) => () => {
      asked.push(key);
      return new Promise<LookupAnswer<string | undefined>>((resolve) => waiting.set(key, resolve));
    },
    answer(key: string, value: string | undefined, cacheable = true) {
      const resolve = waiting.get(key);
      assert.ok(resolve, `${key} is not pending`);
      waiting.delete(key);
      resolve({ value, cacheable });
    },
  };
}

test('identical questions share one pending answer, then the cache, until it expires', async () => {
  let now = 1000;
  const lookups = new BoundedLookups<string | undefined>({ maxInFlight: 4, overflow: 'reject', cacheMs: 1000, cacheEntries: 100, now: () => now });
  const backend = manualLookup();
  const answers = Array.from({ length: 100 }, () => lookups.get('A x', backend.ask('A x')));
  backend.answer('A x', '10.0.0.1');
  assert.deepEqual(new Set(await Promise.all(answers)), new Set(['10.0.0.1']));
  assert.equal(await lookups.get('A x', backend.ask('A x')), '10.0.0.1');
  assert.deepEqual(backend.asked, ['A x'], 'a flood of one question is asked once');
  now += 1001;
  const again = lookups.get('A x', backend.ask('A x'));
  backend.answer('A x', '10.0.0.2');
  assert.equal(await again, '10.0.0.2');
  assert.equal(backend.asked.length, 2);
});

test('undefined (NXDOMAIN) is cached; failures and non-cacheable answers are not; clear() drops everything', async () => {
  const lookups = new BoundedLookups<string | undefined>({ maxInFlight: 4, overflow: 'reject', cacheMs: 60_000, cacheEntries: 100 });
  const backend = manualLookup();
  const missing = lookups.get('A none', backend.ask('A none'));
  backend.answer('A none', undefined);
  assert.equal(await missing, undefined);
  assert.equal(await lookups.get('A none', backend.ask('A none')), undefined);
  assert.equal(backend.asked.length, 1);

  await assert.rejects(
    lookups.get('A bad', () => Promise.reject(new Error('store down'))),
    /store down/,
  );
  const retried = lookups.get('A bad', backend.ask('A bad'));
  backend.answer('A bad', '10.0.0.3', false);
  assert.equal(await retried, '10.0.0.3');
  const asked = lookups.get('A bad', backend.ask('A bad'));
  backend.answer('A bad', '10.0.0.4');
  assert.equal(await asked, '10.0.0.4', 'a non-cacheable answer is asked again');

  lookups.clear();
  const fresh = lookups.get('A none', backend.ask('A none'));
  backend.answer('A none', '10.0.0.5');
  assert.equal(await fresh, '10.0.0.5');
});

test('an answer pending while clear() runs is not cached', async () => {
  const lookups = new BoundedLookups<string | undefined>({ maxInFlight: 4, overflow: 'reject', cacheMs: 60_000, cacheEntries: 100 });
  const backend = manualLookup();
  const stale = lookups.get('A x', backend.ask('A x'));
  lookups.clear();
  backend.answer('A x', 'old');
  assert.equal(await stale, 'old');
  const next = lookups.get('A x', backend.ask('A x'));
  backend.answer('A x', 'new');
  assert.equal(await next, 'new');
});

test("over the in-flight cap: 'reject' refuses at once and recovers when answers land", async () => {
  const lookups = new BoundedLookups<string | undefined>({ maxInFlight: 3, overflow: 'reject', cacheMs: 0, cacheEntries: 100 });
  const backend = manualLookup();
  const first = ['a', 'b', 'c'].map((k) => lookups.get(k, backend.ask(k)));
  assert.equal(lookups.inFlight, 3);
  await assert.rejects(lookups.get('d', backend.ask('d')), LookupOverloadError);
  assert.deepEqual(backend.asked, ['a', 'b', 'c'], 'the refused question never reached the backend');
  backend.answer('a', '1');
  assert.equal(await first[0], '1');
  const later = lookups.get('d', backend.ask('d'));
  backend.answer('d', '4');
  assert.equal(await later, '4');
});

test("over the in-flight cap: 'queue' waits in a bounded FIFO, then refuses", async () => {
  const lookups = new BoundedLookups<string | undefined>({ maxInFlight: 1, overflow: 'queue', maxQueued: 2, cacheMs: 0, cacheEntries: 100 });
  const backend = manualLookup();
  const a = lookups.get('a', backend.ask('a'));
  const b = lookups.get('b', backend.ask('b'));
  const c = lookups.get('c', backend.ask('c'));
  await assert.rejects(lookups.get('d', backend.ask('d')), LookupOverloadError);
  assert.deepEqual(backend.asked, ['a']);
  backend.answer('a', '1');
  assert.equal(await a, '1');
  assert.deepEqual(backend.asked, ['a', 'b'], 'the queue starts the next question when one lands');
  backend.answer('b', '2');
  assert.equal(await b, '2');
  backend.answer('c', '3');
  assert.equal(await c, '3');
  assert.equal(lookups.inFlight, 0);
});

test('the cache keeps at most cacheEntries answers, dropping the oldest', async () => {
  const lookups = new BoundedLookups<string | undefined>({ maxInFlight: 10, overflow: 'reject', cacheMs: 60_000, cacheEntries: 2 });
  let calls = 0;
  const ask = (value: string) => () => {
    calls += 1;
    return Promise.resolve({ value, cacheable: true });
  };
  for (const key of ['a', 'b', 'c']) await lookups.get(key, ask(key));
  assert.equal(calls, 3);
  await lookups.get('c', ask('c'));
  await lookups.get('b', ask('b'));
  assert.equal(calls, 3, 'the newest two are cached');
  await lookups.get('a', ask('a'));
  assert.equal(calls, 4, 'the oldest was dropped');
});
