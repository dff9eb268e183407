import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isObjectId, newObjectId } from './object-id.js';

test('ObjectIds are 24 lower-case hex, unique and ordered by creation time', () => {
  const ids = Array.from({ length: 1000 }, () => newObjectId());
  assert.ok(ids.every(isObjectId));
  assert.equal(new Set(ids).size, ids.length);
  const early = newObjectId(new Date('2020-01-01T00:00:00Z'));
  const late = newObjectId(new Date('2030-01-01T00:00:00Z'));
  assert.ok(early < late);
  assert.ok(!isObjectId('6a793f68c0eb9e7a1771583'));
  assert.ok(!isObjectId('6A793F68C0EB9E7A17715835'));
  assert.ok(!isObjectId('foo-privatelink'));
});
