import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from './errors.js';
import {
  addressableTargetLimit,
  canDisableRegionalizedMode,
  checkAddressableTargetLimit,
  checkEndpointRegionRule,
  checkMultiRegionCoverage,
  checkOneServicePerRegion,
  GCP_ADDRESSABLE_TARGETS_PER_REGION,
} from './private-endpoint-rules.js';

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
const code = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error.errorCode;
  }
};

// Seed 01: one endpoint per region across several regions, or several in one region only.
const regionTable: Array<[Record<string, number>, string, boolean, string]> = [
  [{}, 'US_EAST_1', false, 'ok'],
  [{ US_EAST_1: 1 }, 'US_EAST_1', false, 'ok'], // several in one region
  [{ US_EAST_1: 3 }, 'US_EAST_1', false, 'ok'],
  [{ US_EAST_1: 1 }, 'US_WEST_2', false, 'ok'], // one per region in two regions
  [{ US_EAST_1: 1, US_WEST_2: 1 }, 'EU_WEST_1', false, 'ok'],
  [{ US_EAST_1: 1, US_WEST_2: 1 }, 'US_EAST_1', false, 'PRIVATE_ENDPOINT_MULTI_REGION_LIMIT'],
  [{ US_EAST_1: 2 }, 'US_WEST_2', false, 'PRIVATE_ENDPOINT_SINGLE_REGION_LIMIT'],
  [{ US_EAST_1: 2 }, 'US_WEST_2', true, 'ok'], // regionalized mode lifts the rule
  [{ US_EAST_1: 1, US_WEST_2: 1 }, 'US_EAST_1', true, 'ok'],
  [{ US_EAST_1: 0, US_WEST_2: 1 }, 'US_WEST_2', false, 'ok'],
];
for (const [existing, region, regionalized, expected] of regionTable) {
  test(`endpoint region rule: ${JSON.stringify(existing)} + ${region}${regionalized ? ' (regionalized)' : ''} → ${expected}`, () => {
    assert.equal(
      code(() => checkEndpointRegionRule('AWS', counts(existing), region, regionalized)),
      expected,
    );
  });
}

test('one endpoint service per provider region: a second one is refused with 409, naming the region', () => {
  assert.equal(
    code(() => checkOneServicePerRegion('AWS', 'US_EAST_1', false)),
    'ok',
  );
  assert.throws(
    () => checkOneServicePerRegion('AZURE', 'US_EAST_2', true),
    (error: ApiError) =>
      error.status === 409 &&
      error.errorCode === 'PRIVATE_ENDPOINT_SERVICE_ALREADY_EXISTS_FOR_REGION' &&
      error.detail === 'A private endpoint service already exists for AZURE region US_EAST_2.',
  );
});

test('the single-region error names both regions', () => {
  assert.throws(
    () => checkEndpointRegionRule('AWS', counts({ US_EAST_1: 2 }), 'EU_WEST_1', false),
    (error: ApiError) => error.detail.includes('EU_WEST_1') && error.detail.includes('US_EAST_1') && error.status === 409,
  );
});

test('regionalized mode can be disabled unless several endpoints span several regions', () => {
  assert.equal(canDisableRegionalizedMode(counts({})), true);
  assert.equal(canDisableRegionalizedMode(counts({ 'AWS:US_EAST_1': 3 })), true);
  assert.equal(canDisableRegionalizedMode(counts({ 'AWS:US_EAST_1': 1, 'AWS:US_WEST_2': 1 })), true);
  assert.equal(canDisableRegionalizedMode(counts({ 'AWS:US_EAST_1': 2, 'AWS:US_WEST_2': 1 })), false);
  assert.equal(canDisableRegionalizedMode(counts({ 'AWS:US_EAST_1': 2, 'AWS:US_WEST_2': 2 })), false);
});

test('addressable targets: up to the limit is fine, one more is refused with both numbers', () => {
  assert.equal(
    code(() => checkAddressableTargetLimit('AWS', 'US_EAST_1', 30, 30)),
    'ok',
  );
  assert.throws(
    () => checkAddressableTargetLimit('AWS', 'US_EAST_1', 31, 30),
    (error: ApiError) => error.errorCode === 'MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED' && /31/.test(error.detail) && /30/.test(error.detail),
  );
  assert.equal(
    code(() => checkAddressableTargetLimit('AWS', 'US_EAST_1', 50, 50)),
    'ok',
  );
});

test('multi-region coverage: all or none of the regions may have PrivateLink', () => {
  assert.equal(
    code(() => checkMultiRegionCoverage('AWS', ['US_EAST_1'], new Set())),
    'ok',
  );
  assert.equal(
    code(() => checkMultiRegionCoverage('AWS', ['US_EAST_1', 'US_WEST_2'], new Set())),
    'ok',
  );
  assert.equal(
    code(() => checkMultiRegionCoverage('AWS', ['US_EAST_1', 'US_WEST_2'], new Set(['US_EAST_1', 'US_WEST_2']))),
    'ok',
  );
  assert.equal(
    code(() => checkMultiRegionCoverage('AWS', ['US_EAST_1', 'US_WEST_2'], new Set(['US_EAST_1']))),
    'PRIVATE_LINK_NOT_ACTIVE_IN_ALL_REGIONS',
  );
});

test('Azure: the same rules from the same code; 150 addressable targets per region; messages name Azure Private Link', () => {
  assert.equal(
    code(() => checkAddressableTargetLimit('AZURE', 'US_EAST_2', 150, 30)),
    'ok',
  );
  assert.throws(
    () => checkAddressableTargetLimit('AZURE', 'US_EAST_2', 151, 50),
    (error: ApiError) => error.errorCode === 'MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED' && /151/.test(error.detail) && /150/.test(error.detail),
  );
  assert.throws(
    () => checkMultiRegionCoverage('AZURE', ['US_EAST_2', 'EUROPE_WEST'], new Set(['US_EAST_2'])),
    (error: ApiError) => /^Azure Private Link must be active in all regions/.test(error.detail),
  );
  assert.throws(
    () => checkEndpointRegionRule('AZURE', new Map([['US_EAST_2', 2]]), 'EUROPE_WEST', false),
    (error: ApiError) => error.errorCode === 'PRIVATE_ENDPOINT_SINGLE_REGION_LIMIT' && error.detail.includes('AZURE'),
  );
});

test('GCP: the same rules from the same code; 50 addressable targets per region whatever the project limit; messages name GCP Private Service Connect', () => {
  assert.equal(GCP_ADDRESSABLE_TARGETS_PER_REGION, 50);
  assert.equal(addressableTargetLimit('GCP', 30), 50);
  assert.equal(
    code(() => checkAddressableTargetLimit('GCP', 'US_EAST_4', 50, 30)),
    'ok',
  );
  assert.throws(
    () => checkAddressableTargetLimit('GCP', 'US_EAST_4', 51, 50),
    (error: ApiError) =>
      error.errorCode === 'MAX_NODES_PER_PRIVATELINK_REGION_EXCEEDED' &&
      error.status === 400 &&
      /GCP region US_EAST_4/.test(error.detail) &&
      /51/.test(error.detail) &&
      /50/.test(error.detail),
  );
  assert.throws(
    () => checkMultiRegionCoverage('GCP', ['US_EAST_4', 'CENTRAL_US'], new Set(['US_EAST_4'])),
    (error: ApiError) =>
      error.errorCode === 'PRIVATE_LINK_NOT_ACTIVE_IN_ALL_REGIONS' &&
      /^GCP Private Service Connect must be active in all regions/.test(error.detail) &&
      /not in CENTRAL_US/.test(error.detail),
  );
  assert.equal(
    code(() => checkMultiRegionCoverage('GCP', ['US_EAST_4', 'CENTRAL_US'], new Set(['US_EAST_4', 'CENTRAL_US']))),
    'ok',
  );
  assert.throws(
    () => checkEndpointRegionRule('GCP', counts({ US_EAST_4: 2 }), 'CENTRAL_US', false),
    (error: ApiError) =>
      error.errorCode === 'PRIVATE_ENDPOINT_SINGLE_REGION_LIMIT' && error.status === 409 && error.detail.includes('GCP region CENTRAL_US') && error.detail.includes('US_EAST_4'),
  );
  assert.throws(
    () => checkEndpointRegionRule('GCP', counts({ US_EAST_4: 1, CENTRAL_US: 1 }), 'US_EAST_4', false),
    (error: ApiError) => error.errorCode === 'PRIVATE_ENDPOINT_MULTI_REGION_LIMIT' && error.detail.includes('GCP region US_EAST_4'),
  );
  assert.equal(
    code(() => checkEndpointRegionRule('GCP', counts({ US_EAST_4: 1, CENTRAL_US: 1 }), 'US_EAST_4', true)),
    'ok',
  );
});
