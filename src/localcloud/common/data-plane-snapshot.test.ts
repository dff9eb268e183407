import assert from 'node:assert/strict';
import { test } from 'node:test';
import { indexedBy, noteListEdit } from './data-plane-snapshot.js';
import { ChunkedList, type PictureList } from './picture-list.js';
import { seededRandom } from '../dataplane/dataplane.test-support.js';

interface Item {
  readonly id: number;
  readonly group: string;
  /** Bumped by each change, so a stale entity in an index shows. */
  readonly version?: number;
}

const byGroup = (item: Item) => item.group;

/** The index made from every item (a plain copy of the list: a new list with no edit noted). */
const fresh = (list: PictureList<Item>) => indexedBy([...list], byGroup);

for (const seed of [1, 2, 3, 4]) {
  test(`seed ${seed}: an index carried over a chain of edits equals one made from every item, and the list it came from makes its own again`, () => {
    const random = seededRandom(seed);
    const groups = ['a', 'b', 'c', 'd', 'e'];
    const group = () => groups[Math.floor(random() * groups.length)]!;
    let next = 0;
    let list: PictureList<Item> = ChunkedList.from(Array.from({ length: 300 }, () => ({ id: next++, group: group() })));
    let indexed = list;
    indexedBy(list, byGroup);
    for (let step = 0; step < 300; step++) {
      const before = list;
      const items = [...before];
      const removing = random() < 0.15 && items.length > 0;
      const removed = removing ? [items[Math.floor(random() * items.length)]!] : [];
      const kept = items.filter((item) => !removed.includes(item));
      const at: Array<[number, Item]> = [];
      const replaced: Item[] = [];
      for (let i = 0, n = Math.floor(random() * 3); i < n && kept.length > 0; i++) {
        const where = Math.floor(random() * kept.length);
        const old = kept[where]!;
        if (replaced.includes(old)) continue;
        // Mostly the same key; now and then an entity changes its key (the index is made again then).
        const changedItem = { id: old.id, group: random() < 0.1 ? group() : old.group, version: (old.version ?? 0) + 1 };
        replaced.push(old);
        at.push([where, changedItem]);
        kept[where] = changedItem;
      }
      const added = Array.from({ length: Math.floor(random() * 3) }, () => ({ id: next++, group: group() }));
      list = removing ? ChunkedList.from([...kept, ...added]) : (before as ChunkedList<Item>).with(at, added);
      noteListEdit(list, {
        from: new WeakRef(before),
        changed: at.map(([, item]) => item),
        // Some sources cannot say what a change replaced: the index is then made again.
        ...(random() < 0.05 ? {} : { replaced }),
        added,
        removed,
      });
      if (random() < 0.4) {
        assert.deepEqual(indexedBy(list, byGroup), fresh(list), `step ${step}`);
        assert.deepEqual(indexedBy(indexed, byGroup), fresh(indexed), `step ${step}: the list the index came from`);
        indexed = list;
      }
    }
  });
}

test('an index is carried over the edits, not made again from every item', () => {
  const items = Array.from({ length: 1000 }, (_, id) => ({ id, group: `g${id}` }));
  const first = ChunkedList.from(items);
  let calls = 0;
  const counted = (item: Item) => {
    calls++;
    return item.group;
  };
  indexedBy(first, counted);
  assert.equal(calls, 1000);
  const changedItem = { id: 5, group: 'g5' };
  const second = first.with([[5, changedItem]]);
  noteListEdit(second, { from: new WeakRef(first), changed: [changedItem], replaced: [items[5]], added: [] });
  calls = 0;
  assert.deepEqual(indexedBy(second, counted).get('g5'), [changedItem]);
  assert.ok(calls <= 4, `keys computed for one change: ${calls}`);
});
