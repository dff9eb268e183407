import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ComputeError } from './compute-error.js';
import { parseListFilter } from './list-filter.js';

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
  test('the eq / ne regular-expression form matches whole values', () => {
    assert.deepEqual(names('name eq atlas-ep-\\d'), ['atlas-ep-0', 'atlas-ep-1']);
    assert.deepEqual(names('name ne atlas.*'), ['other']);
    assert.deepEqual(names('name eq atlas'), []);
  });
  test('what it does not understand is 400 invalid', () => {
    for (const filter of ['name = a OR name = b', 'name > 3', 'name eq (', 'labels.env = prod'])
      assert.throws(
        () => parseListFilter(filter),
        (e: unknown) => e instanceof ComputeError && e.status === 400 && e.reason === 'invalid',
        filter,
      );
  });
});
