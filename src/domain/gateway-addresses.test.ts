import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayAddresses } from './gateway-addresses.js';
import { addressesInOrder } from './public-topology.js';

/** A seeded pseudo-random generator (the walk is the same every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

const sortedEntries = (map: ReadonlyMap<string, string>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

test('kept key by key, the addresses equal those decided over every key, and each change names exactly the keys whose address moved', () => {
  for (const [seed, spread] of [
    [1, 6],
    [2, 12],
    [3, 40],
    [4, 65_536],
  ] as const) {
    const next = random(seed);
    // Hash slots crowded into the first `spread` values (and the reserved .0.0, .0.1, .255.255 among them), so searches collide and wrap.
    const first = new Map<string, number>();
    const slotOf = (key: string) => {
      let slot = first.get(key);
      if (slot === undefined) first.set(key, (slot = (Math.floor(next() * spread) + 65_534) % 65_536));
      return slot;
    };
    const book = new GatewayAddresses(150, slotOf);
    const held = new Set<string>();
    let previous = new Map<string, string>();
    let fastChanges = 0;
    for (let step = 0; step < 600; step++) {
      const key = `p${Math.floor(next() * 60)}|AWS|R${Math.floor(next() * 3)}`;
      const adding = !held.has(key) || next() < 0.3;
      const moved = adding ? book.add(key) : book.remove(key);
      if (adding) held.add(key);
      else held.delete(key);
      const whole = addressesInOrder([...held].sort(), 150, slotOf);
      assert.deepEqual(sortedEntries(book.addresses), sortedEntries(whole), `seed ${seed}, step ${step}`);
      // What moved: every key held before and after whose address differs, and a new key.
      const expected = [...whole.keys()].filter((k) => previous.get(k) !== whole.get(k)).sort();
      assert.deepEqual([...moved].sort(), expected, `seed ${seed}, step ${step}: moved`);
      if (moved.length <= 1) fastChanges++;
      previous = new Map(whole);
    }
    assert.ok(fastChanges > 0);
  }
});

test('reset holds exactly the keys given, a repeated key once; too many keys is a RangeError that changes nothing', () => {
  const book = new GatewayAddresses(7);
  book.reset(['b', 'a', 'b']);
  assert.deepEqual(sortedEntries(book.addresses), sortedEntries(addressesInOrder(['a', 'b'], 7)));
  assert.deepEqual(book.add('a'), []);
  assert.deepEqual(book.remove('absent'), []);
  book.reset(['c']);
  assert.deepEqual([...book.addresses.keys()], ['c']);
  const many = Array.from({ length: 65_534 }, (_, i) => `k${i}`);
  assert.throws(() => book.reset(many), RangeError);
  assert.deepEqual([...book.addresses.keys()], ['c']);
  book.reset(many.slice(1));
  assert.throws(() => book.add('one-more'), RangeError);
  assert.equal(book.addresses.size, 65_533);
});
