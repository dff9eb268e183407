import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allRegions, findRegion, findZone } from './geography.js';

const REQUIRED = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-south-1',
];

test('every required region exists with realistic zone names and ids', () => {
  for (const name of REQUIRED) {
    const region = findRegion(name);
    assert.ok(region, name);
    assert.ok(region.zones.length >= 2, `${name} has zones`);
    for (const zone of region.zones) {
      assert.match(zone.zoneName, new RegExp(`^${name}[a-f]$`));
      assert.match(zone.zoneId, /^[a-z]+\d-az\d$/);
    }
  }
  assert.deepEqual(
    findRegion('us-east-1')!.zones.map((z) => z.zoneName),
    ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => `us-east-1${s}`),
  );
});

test('each region has exactly one AZ endpoint services never support; in us-east-1 it is us-east-1e (use1-az3)', () => {
  for (const region of allRegions()) {
    assert.equal(region.zones.filter((z) => !z.endpointServicesSupported).length, 1, region.regionName);
  }
  const unsupported = findRegion('us-east-1')!.zones.find((z) => !z.endpointServicesSupported)!;
  assert.deepEqual([unsupported.zoneName, unsupported.zoneId], ['us-east-1e', 'use1-az3']);
});

test('zone ids are unique and zones are found by name or id', () => {
  const ids = allRegions().flatMap((r) => r.zones.map((z) => z.zoneId));
  assert.equal(new Set(ids).size, ids.length);
  const region = findRegion('us-east-1')!;
  assert.equal(findZone(region, 'use1-az3')?.zoneName, 'us-east-1e');
  assert.equal(findZone(region, 'us-east-1a')?.zoneId, 'use1-az1');
  assert.equal(findZone(region, 'us-east-1z'), undefined);
});
