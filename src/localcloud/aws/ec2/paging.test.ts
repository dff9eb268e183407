import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsQueryError } from '../aws-query-error.js';
import { QueryParams } from '../query-params.js';
import { paginate } from './paging.js';

const items = Array.from({ length: 1500 }, (_, i) => ({ seq: i + 1 }));

test('MaxResults above 1000 returns 1000 items and a token where AWS documents a cap (VPC endpoint family)', async () => {
  const { page, nextToken } = await paginate(items, QueryParams.of({ MaxResults: '5000' }), { min: 1, max: 1000, clampAboveMax: true });
  assert.equal(page.length, 1000);
  assert.ok(nextToken);
  const rest = await paginate(items, QueryParams.of({ MaxResults: '5000', NextToken: nextToken }), { min: 1, max: 1000, clampAboveMax: true });
  assert.equal(rest.page.length, 500);
  assert.equal(rest.nextToken, undefined);
});

test('MaxResults out of 5..1000 is InvalidParameterValue in AWS words where the action refuses it', async () => {
  const limits = { min: 5, max: 1000 } as const;
  const refused = (value: string, words: RegExp) =>
    assert.rejects(
      async () => paginate(items, QueryParams.of({ MaxResults: value }), limits),
      (error: AwsQueryError) => error.code === 'InvalidParameterValue' && words.test(error.message),
    );
  await refused('1001', /^Value \( 1001 \) for parameter maxResults is invalid\. Expecting a value less than 1000\.$/);
  await refused('4', /^Value \( 4 \) for parameter maxResults is invalid\. Expecting a value greater than 5\.$/);
  await refused('ten', /Expecting an integer/);
  assert.equal((await paginate(items, QueryParams.of({ MaxResults: '1000' }), limits)).page.length, 1000);
  assert.equal((await paginate(items, QueryParams.of({ MaxResults: '5' }), limits)).page.length, 5);
});
