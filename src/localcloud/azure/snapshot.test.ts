import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { customerSubnet, POLL, providerService, startAzure, type AzureHarness, type ProviderService } from '../../../test/localcloud/azure/harness.js';
import type { DataPlaneSnapshot, SnapshotEndpoint } from '../common/data-plane-snapshot.js';
import { loopbackRanges } from '../common/loopback.js';
import { azureSnapshotSource } from './azure-snapshot-source.js';
import { buildAzureSnapshot, mappedBlock } from './snapshot.js';
import type { AzureVirtualNetworkView, AzureView } from './view-model.js';

const BASE = 100; // Azure slots 1..49 → 127.1.x.x … 127.49.x.x

describe('the Azure emulation as a data-plane snapshot (real emulator, official SDK)', () => {
  let h: AzureHarness;
  let svc: ProviderService;
  let subnetId: string;
  const take = () => azureSnapshotSource(h.cloud, h.testStore.store, BASE).snapshot();
  const endpoint = (s: DataPlaneSnapshot, name: string): SnapshotEndpoint => s.endpoints.find((e) => e.endpointId.endsWith(`/privateEndpoints/${name}`))!;
  const octets = (s: DataPlaneSnapshot) => Object.fromEntries(s.networks.map((n) => [n.networkId.split('/').pop()!, n.loopbackOctet]));

  before(async () => {
    h = await startAzure();
    svc = await providerService(h, { proxyProtocol: true });
    subnetId = await customerSubnet(h);
  });
  after(async () => h?.close());

  test('VNets become networks with distinct octets of the Azure range; the load balancer rule a port onto the pool', async () => {
    const s = await take();
    assert.deepEqual(
      s.networks.map((n) => [n.cloud, n.networkId.split('/').pop(), n.cidrBlock]),
      [
        ['AZURE', 'pl-1-vnet', '10.10.0.0/16'],
        ['AZURE', 'app-vnet', '10.20.0.0/16'],
      ],
    );
    assert.deepEqual(octets(s), { 'pl-1-vnet': 1, 'app-vnet': 2 }, 'lowest free slots, in creation order');
    const [lb] = s.loadBalancers;
    assert.equal(lb!.loadBalancerId, svc.loadBalancerId);
    assert.equal(lb!.active, true);
    assert.deepEqual(
      lb!.networkInterfaces.map((n) => [n.privateIp, n.loopbackAddress]),
      [[svc.frontendIp, '127.1.1.4']],
    );
    assert.deepEqual(
      lb!.ports.map((p) => [p.port, p.protocol, p.targets.map((t) => [t.id, t.port, t.loopbackAddress])]),
      [
        [
          1024,
          'TCP',
          [
            ['10.10.1.10', 27017, '127.1.1.10'],
            ['10.10.1.11', 27017, '127.1.1.11'],
          ],
        ],
      ],
    );
    assert.deepEqual(
      s.services.map((x) => [x.serviceId, x.serviceName, x.proxyProtocol, x.loadBalancerIds]),
      [[svc.plsId, svc.alias, true, [svc.loadBalancerId]]],
    );
  });

  test('a Pending endpoint does not forward; approved it does, with its LinkID; a Rejected one does not', async () => {
    const customer = h.network(h.cloud.accounts.customer);
    const provider = h.network(h.cloud.accounts.provider);
    const connect = (name: string) =>
      customer.privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-customer',
        name,
        { location: 'eastus', subnet: { id: subnetId }, manualPrivateLinkServiceConnections: [{ name: `to-${name}`, privateLinkServiceId: svc.plsId }] },
        POLL,
      );
    const a = await connect('pe-a');
    const b = await connect('pe-b');
    let s = await take();
    const pending = endpoint(s, 'pe-a');
    assert.equal(pending.state, 'Pending');
    assert.equal(pending.forwarding, false);
    assert.equal(pending.serviceId, svc.plsId);
    assert.deepEqual(
      pending.networkInterfaces.map((n) => [n.privateIp, n.loopbackAddress]),
      [['10.20.1.4', '127.2.1.4']],
    );

    const pls = await provider.privateLinkServices.get('rg-provider', 'pl-1');
    const connectionOf = (pe: typeof a) => pls.privateEndpointConnections!.find((c) => c.privateEndpoint?.id === pe.id)!;
    const decide = (pe: typeof a, status: 'Approved' | 'Rejected') =>
      provider.privateLinkServices.updatePrivateEndpointConnection('rg-provider', 'pl-1', connectionOf(pe).name!, { privateLinkServiceConnectionState: { status } });
    await decide(a, 'Approved');
    await decide(b, 'Rejected');
    s = await take();
    assert.equal(endpoint(s, 'pe-a').forwarding, true);
    assert.deepEqual(endpoint(s, 'pe-a').proxyTlv, { kind: 'azure-link-id', linkId: Number(connectionOf(a).linkIdentifier) });
    assert.equal(endpoint(s, 'pe-b').state, 'Rejected');
    assert.equal(endpoint(s, 'pe-b').forwarding, false);
  });

  test('NSGs apply to private endpoints only when the subnet enables their network policies', async () => {
    const customer = h.network(h.cloud.accounts.customer);
    const nsg = await customer.networkSecurityGroups.beginCreateOrUpdateAndWait(
      'rg-customer',
      'pe-nsg',
      {
        location: 'eastus',
        securityRules: [
          {
            name: 'app-servers',
            priority: 100,
            direction: 'Inbound',
            access: 'Allow',
            protocol: 'Tcp',
            sourceAddressPrefix: '192.0.2.0/24',
            sourcePortRange: '*',
            destinationAddressPrefix: '*',
            destinationPortRanges: ['1024-1026', '27017'],
          },
        ],
      },
      POLL,
    );
    const setPolicy = (privateEndpointNetworkPolicies: string) =>
      customer.subnets.beginCreateOrUpdateAndWait(
        'rg-customer',
        'app-vnet',
        'endpoints',
        { addressPrefix: '10.20.1.0/24', networkSecurityGroup: { id: nsg.id! }, privateEndpointNetworkPolicies },
        POLL,
      );
    const rules = (s: DataPlaneSnapshot) => {
      const e = endpoint(s, 'pe-a');
      const group = s.securityGroups.find((g) => e.securityGroupIds.includes(g.groupId))!;
      return group.ingress.map((r) => [r.ipProtocol, r.cidrIpv4, r.fromPort, r.toPort]);
    };
    await setPolicy('Disabled');
    assert.deepEqual(rules(await take()), [['-1', '0.0.0.0/0', null, null]], 'Disabled: NSGs do not apply, everything is admitted');
    await setPolicy('Enabled');
    assert.deepEqual(rules(await take()), [
      ['tcp', '192.0.2.0/24', 1024, 1026],
      ['tcp', '192.0.2.0/24', 27017, 27017],
      ['-1', '10.20.0.0/16', null, null],
    ]);
    await setPolicy('NetworkSecurityGroupEnabled');
    assert.equal(rules(await take()).length, 3);
    await setPolicy('RouteTableEnabled');
    assert.deepEqual(rules(await take()), [['-1', '0.0.0.0/0', null, null]], 'route tables only: NSGs still do not apply');
  });

  test('slots are stable across snapshots and restarts; a deleted VNet frees its slot for the next one', async () => {
    // A client per call: a restart serves the emulator on another port.
    const customer = () => h.network(h.cloud.accounts.customer);
    const vnet = (name: string, prefix: string) =>
      customer().virtualNetworks.beginCreateOrUpdateAndWait('rg-customer', name, { location: 'eastus', addressSpace: { addressPrefixes: [prefix] } }, POLL);
    await vnet('spare-1', '10.31.0.0/16');
    await vnet('spare-2', '10.32.0.0/16');
    const first = octets(await take());
    assert.deepEqual(first, { 'pl-1-vnet': 1, 'app-vnet': 2, 'spare-1': 3, 'spare-2': 4 });
    assert.deepEqual(octets(await take()), first);
    await h.restart();
    assert.deepEqual(octets(await take()), first, 'slots survive a restart');
    await customer().virtualNetworks.beginDeleteAndWait('rg-customer', 'spare-1', POLL);
    assert.deepEqual(octets(await take()), { 'pl-1-vnet': 1, 'app-vnet': 2, 'spare-2': 4 });
    await vnet('spare-3', '10.33.0.0/16');
    assert.deepEqual(octets(await take()), { 'pl-1-vnet': 1, 'app-vnet': 2, 'spare-2': 4, 'spare-3': 3 });
  });

  test('with the range full, a VNet without a slot is left out with one warning', async () => {
    const warnings: string[] = [];
    // loopbackBase 5: the Azure range has 2 slots.
    const tight = azureSnapshotSource(h.cloud, h.testStore.store, 5, { warn: (m) => warnings.push(m) });
    const s = await tight.snapshot();
    assert.deepEqual(octets(s), { 'pl-1-vnet': 1, 'app-vnet': 2 });
    await tight.snapshot();
    assert.equal(warnings.length, 2, 'one warning per VNet left out, not one per snapshot');
    assert.match(warnings[0]!, /spare-\d has no loopback slot/);
    assert.equal(loopbackRanges(5).AZURE.maxSlot, 2);
  });
});

describe('buildAzureSnapshot, pure parts', () => {
  const vnet = (prefixes: string[], subnets: string[] = []): AzureVirtualNetworkView => ({
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v',
    subscriptionId: 's',
    resourceGroup: 'rg',
    name: 'v',
    location: 'eastus',
    provisioningState: 'Succeeded',
    addressPrefixes: prefixes,
    subnets: subnets.map((p, i) => ({
      id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s${i}`,
      name: `s${i}`,
      addressPrefix: p,
      networkSecurityGroupId: null,
      privateEndpointNetworkPolicies: 'Disabled',
      privateLinkServiceNetworkPolicies: 'Enabled',
    })),
  });

  test('an address space larger than /16 is clipped to the /16 of its first subnet (else its first /16)', () => {
    assert.equal(mappedBlock(vnet(['10.20.0.0/16']))!.prefix, 16);
    assert.deepEqual(mappedBlock(vnet(['10.20.1.0/24'])), { network: 0x0a140100, prefix: 24, size: 256 });
    assert.deepEqual(mappedBlock(vnet(['10.0.0.0/8'], ['10.7.3.0/24'])), { network: 0x0a070000, prefix: 16, size: 65536 });
    assert.deepEqual(mappedBlock(vnet(['10.0.0.0/8'])), { network: 0x0a000000, prefix: 16, size: 65536 });
    assert.equal(mappedBlock(vnet([])), undefined);
  });

  test('VNets matched to slots case-insensitively; one without a slot is left out', () => {
    const view: AzureView = {
      takenAt: new Date(0),
      nextTransitionAt: null,
      virtualNetworks: [vnet(['10.0.0.0/16'])],
      networkSecurityGroups: [],
      loadBalancers: [],
      privateLinkServices: [],
      privateEndpoints: [],
    };
    const range = loopbackRanges(BASE).AZURE;
    assert.deepEqual(
      buildAzureSnapshot(view, new Map([['/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v', 7]]), range).networks.map((n) => n.loopbackOctet),
      [7],
    );
    assert.deepEqual(buildAzureSnapshot(view, new Map(), range).networks, []);
  });
});
