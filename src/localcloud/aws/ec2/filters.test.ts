import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsQueryError } from '../aws-query-error.js';
import { applyFilters, matchesPattern } from './filters.js';

const items = [
  { id: 'vpc-1', isDefault: true, tags: [{ key: 'Name', value: 'main' }] },
  {
    id: 'vpc-2',
    isDefault: false,
    tags: [
      { key: 'Name', value: 'side' },
      { key: 'Env', value: 'prod' },
    ],
  },
];
const fields = { 'vpc-id': (v: (typeof items)[number]) => v.id, isDefault: (v: (typeof items)[number]) => v.isDefault };

test('AWS wildcards: * any run, ? one character', () => {
  assert.ok(matchesPattern('vpc-*', 'vpc-123'));
  assert.ok(matchesPattern('us-east-1?', 'us-east-1a'));
  assert.ok(!matchesPattern('us-east-1?', 'us-east-1'));
  assert.ok(matchesPattern('a.b', 'a.b'));
  assert.ok(!matchesPattern('a.b', 'axb'));
});

test('values of one filter are ORed, filters are ANDed', () => {
  assert.deepEqual(
    applyFilters(items, [{ name: 'vpc-id', values: ['vpc-1', 'vpc-2'] }], fields, (v) => v.tags).map((v) => v.id),
    ['vpc-1', 'vpc-2'],
  );
  assert.deepEqual(
    applyFilters(
      items,
      [
        { name: 'vpc-id', values: ['vpc-1', 'vpc-2'] },
        { name: 'isDefault', values: ['false'] },
      ],
      fields,
      (v) => v.tags,
    ).map((v) => v.id),
    ['vpc-2'],
  );
});

test('tag:<key>, tag-key and tag-value filters', () => {
  assert.deepEqual(
    applyFilters(items, [{ name: 'tag:Name', values: ['main'] }], fields, (v) => v.tags).map((v) => v.id),
    ['vpc-1'],
  );
  assert.deepEqual(
    applyFilters(items, [{ name: 'tag-key', values: ['Env'] }], fields, (v) => v.tags).map((v) => v.id),
    ['vpc-2'],
  );
  assert.deepEqual(
    applyFilters(items, [{ name: 'tag-value', values: ['s*'] }], fields, (v) => v.tags).map((v) => v.id),
    ['vpc-2'],
  );
});

test('an unknown filter is InvalidParameterValue, as in AWS', () => {
  assert.throws(
    () => applyFilters(items, [{ name: 'colour', values: ['red'] }], fields),
    (e: unknown) => e instanceof AwsQueryError && e.code === 'InvalidParameterValue' && e.message === "The filter 'colour' is invalid",
  );
});
