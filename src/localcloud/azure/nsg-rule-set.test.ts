import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nsgAppliesToPrivateEndpoints, nsgInboundAllowRules } from './nsg-rule-set.js';
import type { AzureNetworkSecurityGroupView, AzureSecurityRuleView } from './view-model.js';

const rule = (over: Partial<AzureSecurityRuleView>): AzureSecurityRuleView => ({
  name: 'r',
  priority: 100,
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  sourceAddressPrefixes: ['*'],
  destinationAddressPrefixes: ['*'],
  sourcePortRanges: ['*'],
  destinationPortRanges: ['1024'],
  ...over,
});
const nsg = (...securityRules: AzureSecurityRuleView[]): AzureNetworkSecurityGroupView => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n',
  subscriptionId: 's',
  resourceGroup: 'rg',
  name: 'n',
  location: 'eastus',
  provisioningState: 'Succeeded',
  securityRules,
});
const shape = (rules: ReturnType<typeof nsgInboundAllowRules>) => rules.map((r) => [r.ipProtocol, r.cidrIpv4, r.fromPort, r.toPort]);
const VNET = ['10.20.0.0/16'];

describe('an NSG as the allow list of a private endpoint', () => {
  test('policies: Enabled and NetworkSecurityGroupEnabled apply NSGs; Disabled and RouteTableEnabled do not', () => {
    assert.deepEqual(['Enabled', 'NetworkSecurityGroupEnabled', 'Disabled', 'RouteTableEnabled'].map(nsgAppliesToPrivateEndpoints), [true, true, false, false]);
  });

  test('Allow rules by priority, then AllowVnetInBound; Internet is anywhere, an address is a /32, other tags match no one', () => {
    const rules = nsgInboundAllowRules(
      nsg(
        rule({ priority: 300, sourceAddressPrefixes: ['Internet'], protocol: '*', destinationPortRanges: ['*'] }),
        rule({ priority: 200, sourceAddressPrefixes: ['198.51.100.7', 'AzureLoadBalancer'], destinationPortRanges: ['1024-1030'] }),
        rule({ priority: 100, direction: 'Outbound', sourceAddressPrefixes: ['1.1.1.1'] }),
      ),
      VNET,
      '10.20.1.4',
    );
    assert.deepEqual(shape(rules), [
      ['tcp', '198.51.100.7/32', 1024, 1030],
      ['-1', '0.0.0.0/0', null, null],
      ['-1', '10.20.0.0/16', null, null],
    ]);
  });

  test('a Deny rule for everything stops the list (defaults included); a narrower Deny is passed over', () => {
    const rules = nsgInboundAllowRules(
      nsg(
        rule({ priority: 100, access: 'Deny', sourceAddressPrefixes: ['192.0.2.0/24'] }),
        rule({ priority: 200, sourceAddressPrefixes: ['192.0.2.0/24'] }),
        rule({ priority: 300, access: 'Deny', protocol: '*', destinationPortRanges: ['*'] }),
        rule({ priority: 400, sourceAddressPrefixes: ['203.0.113.0/24'] }),
      ),
      VNET,
      '10.20.1.4',
    );
    assert.deepEqual(shape(rules), [['tcp', '192.0.2.0/24', 1024, 1024]]);
  });

  test('a rule whose destination does not cover the endpoint does not apply to it', () => {
    const rules = nsgInboundAllowRules(nsg(rule({ destinationAddressPrefixes: ['10.20.9.0/24'] }), rule({ destinationAddressPrefixes: ['VirtualNetwork'] })), VNET, '10.20.1.4');
    assert.deepEqual(shape(rules), [
      ['tcp', '0.0.0.0/0', 1024, 1024],
      ['-1', '10.20.0.0/16', null, null],
    ]);
  });
});
