import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { securityGroupsAllow } from '../gateway/security-groups.js';
import type { SnapshotSecurityGroup } from '../common/data-plane-snapshot.js';
import { ALLOW_ALL, pscEgressAllowRules } from './firewall-rule-set.js';
import type { GcpFirewallView } from './view-model.js';

const NET = 'projects/c/global/networks/app-net';
const IP = '10.20.1.2';

function rule(name: string, over: Partial<GcpFirewallView>): GcpFirewallView {
  return {
    path: `projects/c/global/firewalls/${name}`,
    id: '1',
    project: 'c',
    name,
    network: NET,
    direction: 'EGRESS',
    priority: 1000,
    action: 'deny',
    rules: [{ IPProtocol: 'tcp', ports: [] }],
    sourceRanges: [],
    destinationRanges: ['0.0.0.0/0'],
    targetTags: [],
    disabled: false,
    ...over,
  };
}

/** Whether a client of the network may open TCP `port` on the endpoint under these rules (as the gateway decides). */
function admits(firewalls: GcpFirewallView[], port: number, client = '10.20.1.50'): boolean {
  const group: SnapshotSecurityGroup = {
    cloud: 'GCP',
    groupId: 'g',
    groupName: 'g',
    networkId: NET,
    accountId: 'c',
    region: 'us-central1',
    ingress: pscEgressAllowRules(firewalls, NET, IP),
    egress: ALLOW_ALL,
  };
  return securityGroupsAllow([group], client, 'tcp', port);
}

describe('GCP egress firewall rules as a PSC endpoint’s allow list', () => {
  test('no rules: the implied allow-all egress admits everything', () => {
    assert.deepEqual(pscEgressAllowRules([], NET, IP), ALLOW_ALL);
    assert.equal(admits([], 27017), true);
  });

  test('an EGRESS deny for tcp covering the endpoint blocks every TCP port', () => {
    const deny = rule('deny-all', { destinationRanges: [`${IP}/32`] });
    assert.deepEqual(pscEgressAllowRules([deny], NET, IP), []);
    assert.equal(admits([deny], 1024), false);
  });

  test('a deny of some ports leaves the others to the implied allow', () => {
    const deny = rule('deny', { rules: [{ IPProtocol: 'tcp', ports: ['1025', '2000-2999'] }] });
    assert.deepEqual(
      pscEgressAllowRules([deny], NET, IP).map((r) => [r.ipProtocol, r.fromPort, r.toPort, r.cidrIpv4]),
      [
        ['tcp', 1, 1024, '0.0.0.0/0'],
        ['tcp', 1026, 1999, '0.0.0.0/0'],
        ['tcp', 3000, 65535, '0.0.0.0/0'],
      ],
    );
    assert.equal(admits([deny], 1025), false);
    assert.equal(admits([deny], 2500), false);
    assert.equal(admits([deny], 1024), true);
  });

  test('the lowest priority number decides; a deny wins a tie with an allow', () => {
    const deny = rule('deny', { priority: 1000, rules: [{ IPProtocol: 'all', ports: [] }] });
    const allowBefore = rule('allow', { priority: 900, action: 'allow', rules: [{ IPProtocol: 'tcp', ports: ['27017'] }] });
    assert.equal(admits([deny, allowBefore], 27017), true);
    assert.equal(admits([deny, allowBefore], 27018), false);
    const allowTie = rule('allow', { priority: 1000, action: 'allow', rules: [{ IPProtocol: 'tcp', ports: ['27017'] }] });
    assert.equal(admits([allowTie, deny], 27017), false);
    const allowAfter = rule('allow', { priority: 2000, action: 'allow', rules: [{ IPProtocol: 'tcp', ports: [] }] });
    assert.equal(admits([deny, allowAfter], 27017), false);
  });

  test('rules that do not concern the endpoint are ignored', () => {
    const cases: Array<[string, Partial<GcpFirewallView>]> = [
      ['another network', { network: 'projects/c/global/networks/other' }],
      ['ingress', { direction: 'INGRESS' }],
      ['disabled', { disabled: true }],
      ['destination elsewhere', { destinationRanges: ['10.30.0.0/16'] }],
      ['tagged instances only', { targetTags: ['web'] }],
      ['udp only', { rules: [{ IPProtocol: 'udp', ports: [] }] }],
    ];
    for (const [why, over] of cases) assert.equal(admits([rule('deny', over)], 1024), true, why);
  });

  test('protocol number 6 is TCP; a bare address is a /32', () => {
    assert.equal(admits([rule('deny', { rules: [{ IPProtocol: '6', ports: [] }], destinationRanges: [IP] })], 1024), false);
  });
});
