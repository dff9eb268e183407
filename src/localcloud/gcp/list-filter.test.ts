import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ComputeError } from './compute-error.js';
import { parseListFilter } from './list-filter.js';
import type { JsonObject } from './store/schema.js';

const rules = [
  { name: 'atlas-ep-0', pscConnectionStatus: 'ACCEPTED', allowPscGlobalAccess: false },
  { name: 'atlas-ep-1', pscConnectionStatus: 'PENDING', allowPscGlobalAccess: false },
  { name: 'other', pscConnectionStatus: 'PENDING', allowPscGlobalAccess: true },
];
const names = (filter: string | null) => rules.filter(parseListFilter(filter)).map((r) => r.name);

describe('Compute list filters', () => {
  test('no filter passes everything', () => {
    assert.deepEqual(names(null), ['atlas-ep-0', 'atlas-ep-1', 'other']);
    assert.deepEqual(names('  '), ['atlas-ep-0', 'atlas-ep-1', 'other']);
  });
  test('= and != with quoted, bare and wildcard values, joined by AND', () => {
    assert.deepEqual(names('name = "other"'), ['other']);
    assert.deepEqual(names('name != other'), ['atlas-ep-0', 'atlas-ep-1']);
    assert.deepEqual(names('name = atlas-*'), ['atlas-ep-0', 'atlas-ep-1']);
    assert.deepEqual(names('(name = atlas-*) AND (pscConnectionStatus = PENDING)'), ['atlas-ep-1']);
    assert.deepEqual(names('allowPscGlobalAccess = true'), ['other']);
  });
  test('a label is compared by its key; a resource without it compares as an empty value', () => {
    const labelled: JsonObject[] = [{ name: 'a', labels: { env: 'prod', team: 'data' } }, { name: 'b', labels: { env: 'test' } }, { name: 'c' }];
    const which = (filter: string) => labelled.filter(parseListFilter(filter)).map((r) => r.name);
    assert.deepEqual(which('labels.env = prod'), ['a']);
    assert.deepEqual(which('labels.env != prod'), ['b', 'c']);
    assert.deepEqual(which('labels.env = *es*'), ['b']);
    assert.deepEqual(which('labels.team = data AND name = a'), ['a']);
    assert.deepEqual(which('labels.env eq pro.*'), ['a']);
  });
  test('the eq / ne regular-expression form matches whole values', () => {
    assert.deepEqual(names('name eq atlas-ep-\\d'), ['atlas-ep-0', 'atlas-ep-1']);
    assert.deepEqual(names('name ne atlas.*'), ['other']);
    assert.deepEqual(names('name eq atlas'), []);
  });
  test('what it does not understand is 400 invalid', () => {
    for (const filter of ['name = a OR name = b', 'name > 3', 'name eq (', 'labels.Env = prod', 'tags.env = prod'])
      assert.throws(
        () => parseListFilter(filter),
        (e: unknown) => e instanceof ComputeError && e.status === 400 && e.reason === 'invalid',
        filter,
      );
  });
});
