import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asArray, ChunkedList } from './picture-list.js';
import { seededRandom } from '../dataplane/dataplane.test-support.js';

for (const seed of [1, 2, 3]) {
  test(`seed ${seed}: each list made with 'with' reads as the same edits made to an array copy, and no earlier list changes`, () => {
    const random = seededRandom(seed);
    let list = ChunkedList.from<string>([]);
    let model: string[] = [];
    const earlier: Array<{ list: ChunkedList<string>; model: readonly string[] }> = [];
    let made = 0;
    for (let step = 0; step < 200; step++) {
      const changed: Array<[number, string]> = [];
      const changes = model.length === 0 ? 0 : Math.floor(random() * 4);
      for (let i = 0; i < changes; i++) changed.push([Math.floor(random() * model.length), `c${made++}`]);
      // Appends cross chunk boundaries (128) often: up to 150 at once.
      const appended = Array.from({ length: random() < 0.3 ? Math.floor(random() * 150) : 0 }, () => `a${made++}`);
      const next = model.slice();
      for (const [at, item] of changed) next[at] = item;
      next.push(...appended);
      list = list.with(changed, appended);
      model = next;
      earlier.push({ list, model });
      assert.equal(list.length, model.length);
      assert.deepEqual([...list], model, `step ${step}`);
      assert.deepEqual(list.toJSON(), model);
      for (const at of [0, 1, 127, 128, 129, model.length - 1, -1, -model.length, model.length, -model.length - 1]) {
        assert.equal(list.at(at), model.at(at), `at(${at}) of ${model.length}`);
      }
    }
    for (const { list: kept, model: expected } of earlier) assert.deepEqual([...kept], expected, 'a list handed out never changes');
  });
}

test("a list answers the array's reading methods as an array of the same items does", () => {
  const items = Array.from({ length: 300 }, (_, i) => i);
  const list = ChunkedList.from(items);
  const even = (n: number) => n % 2 === 0;
  const late = (n: number, i: number) => i > 250 && n % 7 === 0;
  assert.deepEqual(
    list.map((n, i) => n * i),
    items.map((n, i) => n * i),
  );
  assert.deepEqual(list.filter(even), items.filter(even));
  assert.equal(list.find(late), items.find(late));
  assert.equal(
    list.find(() => false),
    undefined,
  );
  assert.equal(list.findIndex(late), items.findIndex(late));
  assert.equal(list.some(late), true);
  assert.equal(
    list.some((n) => n === 0),
    true,
    'the first item counts',
  );
  assert.equal(
    list.some(() => false),
    false,
  );
  assert.equal(
    list.every((n) => n < 300),
    true,
  );
  assert.equal(list.every(even), false);
  assert.deepEqual(
    list.flatMap((n) => (n < 3 ? [n, n] : [])),
    [0, 0, 1, 1, 2, 2],
  );
  assert.equal(JSON.stringify({ list }), JSON.stringify({ list: items }));
  assert.deepEqual(asArray(list), items);
  assert.equal(asArray(items), items, 'an array is its own array');
});

test('an index outside the list is refused and nothing is made', () => {
  const list = ChunkedList.from(['a', 'b']);
  for (const at of [2, -1, 0.5, Number.NaN]) assert.throws(() => list.with([[at, 'x']]), RangeError);
  assert.deepEqual([...list], ['a', 'b']);
});
