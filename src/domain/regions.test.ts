import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findRegion, regionsOf } from './regions.js';

test('AWS regions resolve from either name to the Atlas name', () => {
  assert.equal(findRegion('AWS', 'us-east-1')?.atlasName, 'US_EAST_1');
  assert.equal(findRegion('AWS', 'US_EAST_1')?.providerName, 'us-east-1');
  assert.equal(findRegion('AWS', 'eu-west-1')?.atlasName, 'EU_WEST_1');
  assert.equal(findRegion('AWS', 'us_east_1')?.atlasName, 'US_EAST_1');
  assert.equal(findRegion('AWS', 'us-east-9'), undefined);
  assert.equal(findRegion('AWS', 'eastus'), undefined);
});

test('Azure and GCP regions use their own names', () => {
  assert.equal(findRegion('AZURE', 'eastus')?.atlasName, 'US_EAST');
  assert.equal(findRegion('AZURE', 'ASIA_SOUTH_EAST')?.providerName, 'southeastasia');
  assert.equal(findRegion('GCP', 'us-east4')?.atlasName, 'US_EAST_4');
  assert.ok(regionsOf('AWS').every((r) => /^[A-Z]{2}_[A-Z]+_\d$/.test(r.atlasName)));
});
