import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loopbackRanges } from '../common/loopback.js';
import { buildGcpSnapshot, mappedSubnetBlock } from './snapshot.js';
import type { GcpInternalLoadBalancerView, GcpNetworkView, GcpPscEndpointView, GcpServiceAttachmentView, GcpTargetView, GcpView } from './view-model.js';

const RANGE = loopbackRanges(100).GCP; // octets 50..99
const R = 'us-central1';
const P = 'prod';
const C = 'cons';
const PROD_NET = `projects/${P}/global/networks/svc-net`;
const PROD_SUBNET = `projects/${P}/regions/${R}/subnetworks/svc-nodes`;
const CONS_NET = `projects/${C}/global/networks/app-net`;
const CONS_SUBNET = `projects/${C}/regions/${R}/subnetworks/app-subnet`;
const named = (path: string) => ({ path, id: '1', project: path.split('/')[1]!, name: path.split('/').pop()! });

function network(path: string, subnets: Array<[string, string]>): GcpNetworkView {
  return { ...named(path), subnetworks: subnets.map(([p, range]) => ({ ...named(p), region: R, ipCidrRange: range, purpose: 'PRIVATE' as const })) };
}

function target(over: Partial<GcpTargetView>): GcpTargetView {
  return { ipAddress: '127.0.0.1', port: 9000, clientDestinationPort: null, group: 'g', groupType: 'NON_GCP_PRIVATE_IP_PORT', ...over };
}

function ilb(name: string, ports: number[] | null, targets: GcpTargetView[]): GcpInternalLoadBalancerView {
  return {
    ...named(`projects/${P}/regions/${R}/forwardingRules/${name}`),
    region: R,
    network: PROD_NET,
    subnetwork: PROD_SUBNET,
    ipAddress: '10.10.1.2',
    ports,
    backendService: `projects/${P}/regions/${R}/backendServices/${name}`,
    targets,
  };
}

function attachment(name: string, rule: string, endpoints: GcpPscEndpointView[], proxy = true): GcpServiceAttachmentView {
  const path = `projects/${P}/regions/${R}/serviceAttachments/${name}`;
  return {
    ...named(path),
    region: R,
    targetService: `projects/${P}/regions/${R}/forwardingRules/${rule}`,
    connectionPreference: 'ACCEPT_MANUAL',
    enableProxyProtocol: proxy,
    natSubnets: [],
    connectedEndpoints: endpoints
      .filter((e) => e.target === path)
      .map((e) => ({ endpoint: e.path, pscConnectionId: e.pscConnectionId, status: e.status, consumerNetwork: e.network })),
  };
}

function psc(name: string, attachmentName: string, status: GcpPscEndpointView['status'], ip = '10.20.1.2'): GcpPscEndpointView {
  return {
    ...named(`projects/${C}/regions/${R}/forwardingRules/${name}`),
    region: R,
    ipAddress: ip,
    network: CONS_NET,
    subnetwork: CONS_SUBNET,
    target: `projects/${P}/regions/${R}/serviceAttachments/${attachmentName}`,
    pscConnectionId: '12345678901234567',
    status,
  };
}

function view(over: Partial<GcpView>): GcpView {
  return {
    takenAt: new Date(0),
    nextTransitionAt: null,
    networks: [network(PROD_NET, [[PROD_SUBNET, '10.10.1.0/24']]), network(CONS_NET, [[CONS_SUBNET, '10.20.1.0/24']])],
    firewalls: [],
    internalLoadBalancers: [],
    serviceAttachments: [],
    pscEndpoints: [],
    ...over,
  };
}

const SLOTS = new Map([
  [PROD_SUBNET, 1],
  [CONS_SUBNET, 2],
]);

describe('the GCP view as a data-plane snapshot (pure mapping)', () => {
  test('each placed subnetwork is a network entry with its own octet; the VPC path is the network id', () => {
    const twoSubnets = network(CONS_NET, [
      [CONS_SUBNET, '10.20.1.0/24'],
      [`projects/${C}/regions/${R}/subnetworks/more`, '192.168.0.0/20'],
    ]);
    const s = buildGcpSnapshot(view({ networks: [twoSubnets] }), new Map([...SLOTS, [`projects/${C}/regions/${R}/subnetworks/more`, 3]]), RANGE);
    assert.deepEqual(
      s.networks.map((n) => [n.cloud, n.networkId, n.accountId, n.region, n.cidrBlock, n.loopbackOctet]),
      [
        ['GCP', CONS_NET, C, R, '10.20.1.0/24', 51],
        ['GCP', CONS_NET, C, R, '192.168.0.0/20', 52],
      ],
    );
  });

  test('a subnetwork without a slot is left out; a range wider than /16 maps its first /16', () => {
    const s = buildGcpSnapshot(view({}), new Map([[CONS_SUBNET, 2]]), RANGE);
    assert.deepEqual(
      s.networks.map((n) => n.networkId),
      [CONS_NET],
    );
    assert.deepEqual(mappedSubnetBlock({ ipCidrRange: '10.0.0.0/8' }), { network: 0x0a000000, prefix: 16, size: 65536 });
    assert.deepEqual(mappedSubnetBlock({ ipCidrRange: '10.20.1.0/24' })?.prefix, 24);
  });

  test('a port-mapping backend serves each client destination port onto its endpoint', () => {
    const rule = ilb('svc-ilb', null, [
      target({ groupType: 'GCE_VM_IP_PORTMAP', port: 40001, clientDestinationPort: 1024 }),
      target({ groupType: 'GCE_VM_IP_PORTMAP', ipAddress: '10.10.1.7', port: 27017, clientDestinationPort: 1025 }),
    ]);
    const s = buildGcpSnapshot(view({ internalLoadBalancers: [rule], serviceAttachments: [attachment('svc', 'svc-ilb', [])] }), SLOTS, RANGE);
    const [lb] = s.loadBalancers;
    assert.equal(lb!.loadBalancerId, rule.path);
    assert.deepEqual(
      lb!.networkInterfaces.map((n) => [n.privateIp, n.loopbackAddress]),
      [['10.10.1.2', '127.50.1.2']],
    );
    assert.deepEqual(
      lb!.ports.map((p) => [p.port, p.proxyProtocol, p.targets.map((t) => [t.id, t.port, t.loopbackAddress])]),
      [
        [1024, true, [['127.0.0.1', 40001, null]]],
        [1025, true, [['10.10.1.7', 27017, '127.50.1.7']]],
      ],
    );
    assert.equal(new Set(lb!.ports.map((p) => p.id)).size, 2);
  });

  test('a rule with ports forwards each port to every hybrid endpoint at its own port; allPorts serves the endpoints’ ports; without an attachment no PROXY header', () => {
    const listed = ilb('legacy', [27017, 27018], [target({ port: 9000 }), target({ ipAddress: '127.0.0.2', port: null })]);
    const all = ilb('all', null, [target({ port: 9000 }), target({ ipAddress: '127.0.0.2', port: 9000 }), target({ port: 9001 })]);
    const portMapNotListed = ilb('narrow', [1024], [target({ groupType: 'GCE_VM_IP_PORTMAP', port: 1, clientDestinationPort: 1025 })]);
    const s = buildGcpSnapshot(view({ internalLoadBalancers: [listed, all, portMapNotListed] }), SLOTS, RANGE);
    const ports = (name: string) => s.loadBalancers.find((l) => l.name === name)!.ports.map((p) => [p.port, p.proxyProtocol, p.targets.map((t) => `${t.id}:${t.port}`)]);
    assert.deepEqual(ports('legacy'), [
      [27017, false, ['127.0.0.1:9000', '127.0.0.2:27017']],
      [27018, false, ['127.0.0.1:9000', '127.0.0.2:27018']],
    ]);
    assert.deepEqual(ports('all'), [
      [9000, false, ['127.0.0.1:9000', '127.0.0.2:9000']],
      [9001, false, ['127.0.0.1:9001']],
    ]);
    assert.deepEqual(ports('narrow'), []);
  });

  test('attachments are services; PSC rules are endpoints that forward only while ACCEPTED and listed by their attachment', () => {
    const accepted = psc('ep-ok', 'svc', 'ACCEPTED');
    const pending = psc('ep-wait', 'svc', 'PENDING', '10.20.1.3');
    const orphan = psc('ep-orphan', 'gone', 'ACCEPTED', '10.20.1.4');
    const svc = attachment('svc', 'svc-ilb', [accepted, pending]);
    const s = buildGcpSnapshot(view({ internalLoadBalancers: [ilb('svc-ilb', null, [])], serviceAttachments: [svc], pscEndpoints: [accepted, pending, orphan] }), SLOTS, RANGE);
    assert.deepEqual(
      s.services.map((x) => [x.cloud, x.serviceId, x.serviceName, x.accountId, x.acceptanceRequired, x.loadBalancerIds, x.proxyProtocol]),
      [['GCP', svc.path, svc.path, P, true, [`projects/${P}/regions/${R}/forwardingRules/svc-ilb`], true]],
    );
    assert.deepEqual(
      s.endpoints.map((e) => [e.endpointId, e.state, e.forwarding, e.networkId, e.serviceId, e.networkInterfaces.map((n) => n.loopbackAddress)]),
      [
        [`projects/${C}/regions/${R}/forwardingRules/ep-ok`, 'ACCEPTED', true, CONS_NET, svc.path, ['127.51.1.2']],
        [`projects/${C}/regions/${R}/forwardingRules/ep-wait`, 'PENDING', false, CONS_NET, svc.path, ['127.51.1.3']],
        [`projects/${C}/regions/${R}/forwardingRules/ep-orphan`, 'ACCEPTED', false, CONS_NET, orphan.target, ['127.51.1.4']],
      ],
    );
    const [first] = s.endpoints;
    assert.deepEqual(first!.proxyTlv, { kind: 'gcp-psc-connection-id', pscConnectionId: '12345678901234567' });
    assert.deepEqual(first!.dnsNames, []);
    assert.deepEqual(first!.securityGroupIds, [`${first!.endpointId}/effectiveFirewalls`]);
    assert.ok(s.securityGroups.some((g) => g.groupId === first!.securityGroupIds[0] && g.networkId === CONS_NET));
  });

  test("an endpoint's rule set follows its network's egress firewall rules", () => {
    const ep = psc('ep', 'svc', 'ACCEPTED');
    const firewalls: GcpView['firewalls'] = [
      {
        ...named(`projects/${C}/global/firewalls/deny`),
        network: CONS_NET,
        direction: 'EGRESS',
        priority: 1000,
        action: 'deny',
        rules: [{ IPProtocol: 'all', ports: [] }],
        sourceRanges: [],
        destinationRanges: ['10.20.1.2/32'],
        targetTags: [],
        disabled: false,
      },
    ];
    const s = buildGcpSnapshot(view({ firewalls, pscEndpoints: [ep], serviceAttachments: [attachment('svc', 'x', [ep])] }), SLOTS, RANGE);
    assert.deepEqual(s.securityGroups.at(0)!.ingress, []);
  });
});
