import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { listEditOf, type PictureList } from './data-plane-snapshot.js';
import { EntityList } from './entity-list.js';

const rowsOf = (...entries: Array<[string, number]>) => new Map(entries.map(([key, seq]) => [key, { seq }]));

test('an entity changed in place or a row added last edits a copy and notes the edit; a row out of order rebuilds in row order', () => {
  const list = new EntityList<string>();
  const entities = new Map([
    ['a', 'A1'],
    ['b', 'B1'],
  ]);
  list.rebuild(rowsOf(['a', 1], ['b', 2]), entities);
  const first = list.list;
  entities.set('b', 'B2');
  entities.set('c', 'C1');
  assert.equal(list.update(rowsOf(['a', 1], ['b', 2], ['c', 5]), entities, ['b', 'c']), true);
  assert.deepEqual([...list.list], ['A1', 'B2', 'C1']);
  assert.deepEqual([...first], ['A1', 'B1'], 'a list handed out never changes');
  const edit = listEditOf(list.list);
  assert.equal(edit?.from.deref(), first);
  assert.deepEqual({ changed: edit?.changed, added: edit?.added }, { changed: ['B2'], added: ['C1'] });
  // A row whose seq is below the last listed one (committed out of order) goes where the rows have it.
  entities.set('d', 'D1');
  const rows = new Map([
    ['a', { seq: 1 }],
    ['b', { seq: 2 }],
    ['d', { seq: 3 }],
    ['c', { seq: 5 }],
  ]);
  assert.equal(list.update(rows, entities, ['d']), true);
  assert.deepEqual([...list.list], ['A1', 'B2', 'D1', 'C1']);
  assert.equal(listEditOf(list.list), undefined, 'a rebuilt list notes no edit');
  assert.equal(list.update(rows, entities, ['a']), false, 'nothing new: the same list');
});

test('the lists a list was edited from are not kept alive by it', async () => {
  // Every list notes the one it was made from; were that held strongly, the newest list would
  // keep every earlier one (a copy of the whole collection per change) for good.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const list = new EntityList<string>();
  const entities = new Map([['a', 'A0']]);
  list.rebuild(rowsOf(['a', 1]), entities);
  const edited: Array<WeakRef<PictureList<string>>> = [];
  let compared: PictureList<string> = list.list;
  for (let n = 1; n <= 20; n++) {
    // A differ holds the list it compared last, as the data plane's does.
    compared = list.list;
    entities.set('a', `A${n}`);
    list.update(rowsOf(['a', 1]), entities, ['a']);
    edited.push(new WeakRef(list.list));
  }
  await tick();
  gc();
  assert.deepEqual([...list.list], ['A20']);
  assert.equal(edited.slice(0, 18).filter((ref) => ref.deref() !== undefined).length, 0, 'earlier lists are collected once nothing but the edit chain names them');
  assert.equal(listEditOf(list.list)?.from.deref(), compared, 'the list a differ still holds is the one the newest was edited from');
});
