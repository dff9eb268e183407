import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listEditOf } from './data-plane-snapshot.js';
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
  assert.deepEqual(list.list, ['A1', 'B2', 'C1']);
  assert.deepEqual(first, ['A1', 'B1'], 'a list handed out never changes');
  assert.deepEqual(listEditOf(list.list), { from: first, changed: ['B2'], added: ['C1'] });
  // A row whose seq is below the last listed one (committed out of order) goes where the rows have it.
  entities.set('d', 'D1');
  const rows = new Map([
    ['a', { seq: 1 }],
    ['b', { seq: 2 }],
    ['d', { seq: 3 }],
    ['c', { seq: 5 }],
  ]);
  assert.equal(list.update(rows, entities, ['d']), true);
  assert.deepEqual(list.list, ['A1', 'B2', 'D1', 'C1']);
  assert.equal(listEditOf(list.list), undefined, 'a rebuilt list notes no edit');
  assert.equal(list.update(rows, entities, ['a']), false, 'nothing new: the same list');
});
