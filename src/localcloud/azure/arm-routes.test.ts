import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArmRoute } from './arm-routes.js';
import { parseResourceId, resourceKey, typePath } from './resource-ids.js';

test('ARM routes are recognised case-insensitively, names keep their case', () => {
  assert.deepEqual(parseArmRoute('/subscriptions/S1/resourceGroups/My-RG'), { kind: 'resourceGroup', subscriptionId: 'S1', resourceGroup: 'My-RG' });
  assert.deepEqual(parseArmRoute('/SUBSCRIPTIONS/S1/RESOURCEGROUPS'), { kind: 'resourceGroups', subscriptionId: 'S1' });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/resourcegroups/rg/providers/microsoft.network/virtualNetworks/V/subnets/A%20B'), {
    kind: 'network',
    subscriptionId: 'S1',
    resourceGroup: 'rg',
    segments: [
      { type: 'virtualNetworks', name: 'V' },
      { type: 'subnets', name: 'A B' },
    ],
  });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/resourcegroups/rg/providers/Microsoft.Network/privateEndpoints'), {
    kind: 'network',
    subscriptionId: 'S1',
    resourceGroup: 'rg',
    segments: [{ type: 'privateEndpoints' }],
  });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/providers/Microsoft.Network/locations/eastus/operations/op-1'), {
    kind: 'networkOperation',
    subscriptionId: 'S1',
    location: 'eastus',
    operationId: 'op-1',
    results: false,
  });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/providers/Microsoft.Network/privateLinkServices'), {
    kind: 'networkListAll',
    subscriptionId: 'S1',
    type: 'privateLinkServices',
  });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/providers/Microsoft.Network/locations/westus/checkPrivateLinkServiceVisibility'), {
    kind: 'visibilityCheck',
    subscriptionId: 'S1',
    location: 'westus',
  });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/resourceGroups/rg/providers/Microsoft.Network/locations/westus/checkPrivateLinkServiceVisibility'), {
    kind: 'visibilityCheck',
    subscriptionId: 'S1',
    location: 'westus',
  });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/operationresults/x'), { kind: 'groupOperation', subscriptionId: 'S1', operationId: 'x' });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/a'), {
    kind: 'otherProvider',
    subscriptionId: 'S1',
    namespace: 'Microsoft.Storage',
  });
});

test('paths that are not ARM routes are unknown', () => {
  assert.equal(parseArmRoute('/').kind, 'unknown');
  assert.equal(parseArmRoute('/tenants').kind, 'unknown');
  assert.equal(parseArmRoute('/subscriptions/S1/resourcegroups/rg/providers/Microsoft.Network/a/b/c/d/e').kind, 'unknown');
  assert.equal(parseArmRoute('/subscriptions/S1/resourcegroups/rg/providers/Microsoft.Network/%E0%A4%A').kind, 'unknown', 'bad percent-encoding');
});

test('resource ids parse into subscription, group, namespace and type/name pairs; keys are lower case', () => {
  const id = '/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/V/subnets/S1';
  assert.deepEqual(parseResourceId(id), {
    subscriptionId: 'S',
    resourceGroup: 'RG',
    namespace: 'Microsoft.Network',
    segments: [
      { type: 'virtualNetworks', name: 'V' },
      { type: 'subnets', name: 'S1' },
    ],
  });
  assert.equal(typePath(parseResourceId(id)!), 'virtualnetworks/subnets');
  assert.equal(resourceKey(id), id.toLowerCase());
  for (const bad of [
    'subnet-1',
    '/subscriptions/S',
    '/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks',
    '/subscriptions//resourceGroups/RG/providers/N/t/n',
  ]) {
    assert.equal(parseResourceId(bad), undefined, bad);
  }
});

test('the network usages of a location are a route of their own (Usages_List)', () => {
  assert.deepEqual(parseArmRoute('/subscriptions/S1/providers/Microsoft.Network/locations/eastus/usages'), { kind: 'usages', subscriptionId: 'S1', location: 'eastus' });
  assert.deepEqual(parseArmRoute('/subscriptions/S1/providers/microsoft.network/Locations/westus2/Usages'), { kind: 'usages', subscriptionId: 'S1', location: 'westus2' });
});
