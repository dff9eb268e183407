import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupedBy, namedAmong } from './named-rows.js';

const rows = [
  { id: 'c', zone: 'b' },
  { id: 'a', zone: 'a' },
  { id: 'b', zone: 'b' },
];
const missing = (name: string) => new Error(`missing ${name}`);

test('namedAmong keeps the named rows in their own order; no names keeps every row', () => {
  assert.deepEqual(
    namedAmong(rows, ['b', 'c'], (r) => r.id, missing).map((r) => r.id),
    ['c', 'b'],
  );
  assert.deepEqual(
    namedAmong(rows, ['a', 'a'], (r) => r.id, missing).map((r) => r.id),
    ['a'],
    'a name given twice keeps its row once',
  );
  const all = namedAmong(rows, [], (r) => r.id, missing);
  assert.deepEqual(all, rows);
  assert.notEqual(all, rows, 'a copy: the caller may narrow it');
});

test('namedAmong throws for the first name, in the request’s order, that no row has', () => {
  assert.throws(() => namedAmong(rows, ['a', 'x', 'y'], (r) => r.id, missing), /missing x/);
  // Thousands of names, all present but one at the end.
  const many = Array.from({ length: 20_000 }, (_, i) => ({ id: `id-${i}` }));
  const names = [...many.map((r) => r.id), 'id-absent'];
  assert.throws(() => namedAmong(many, names, (r) => r.id, missing), /missing id-absent/);
  assert.equal(namedAmong(many, names.slice(0, -1), (r) => r.id, missing).length, 20_000);
});

test('groupedBy gathers rows by key, each group in the rows’ order', () => {
  const groups = groupedBy(rows, (r) => r.zone);
  assert.deepEqual([...groups.keys()], ['b', 'a']);
  assert.deepEqual(
    groups.get('b')!.map((r) => r.id),
    ['c', 'b'],
  );
  assert.deepEqual(
    groups.get('a')!.map((r) => r.id),
    ['a'],
  );
  assert.equal(groups.get('z'), undefined);
});
