import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { customerSubnet, POLL, providerService, rejectsWithCode, startAzure, type AzureHarness, type ProviderService } from './harness.js';

describe('Azure private link with the official SDK: provider service, customer endpoint, approval', () => {
  let h: AzureHarness;
  let svc: ProviderService;
  let subnetId: string;

  before(async () => {
    h = await startAzure();
  });
  after(async () => h?.close());

  test('the provider builds a VNet, a Standard load balancer and a private link service with an alias', async () => {
    svc = await providerService(h, { proxyProtocol: true });
    assert.match(svc.alias, /^pl-1\.[0-9a-f-]{36}\.eastus\.azure\.privatelinkservice$/);
    assert.equal(svc.frontendIp, '10.10.1.4', 'Dynamic frontends get the lowest usable address');
    const pls = await h.network(h.cloud.accounts.provider).privateLinkServices.get('rg-provider', 'pl-1');
    assert.equal(pls.provisioningState, 'Succeeded');
    assert.equal(pls.enableProxyProtocol, true);
    assert.equal(pls.ipConfigurations![0]!.privateIPAddress, '10.10.2.4');
    assert.deepEqual(pls.privateEndpointConnections, []);
    const lb = await h.network(h.cloud.accounts.provider).loadBalancers.get('rg-provider', 'pl-1-lb');
    assert.equal(lb.sku?.name, 'Standard');
    assert.deepEqual(
      lb.loadBalancingRules!.map((r) => [r.protocol, r.frontendPort, r.backendPort]),
      [['Tcp', 1024, 27017]],
    );
    assert.equal((lb.frontendIPConfigurations![0]! as { privateLinkService?: { id?: string } }).privateLinkService?.id, undefined, 'the SDK model does not carry it');
  });

  test('a manual connection from the customer is Pending on both sides until the provider approves it', async () => {
    subnetId = await customerSubnet(h);
    const customer = h.network(h.cloud.accounts.customer);
    const pe = await customer.privateEndpoints.beginCreateOrUpdateAndWait(
      'rg-customer',
      'pe-1',
      { location: 'eastus', subnet: { id: subnetId }, manualPrivateLinkServiceConnections: [{ name: 'to-pl-1', privateLinkServiceId: svc.plsId, requestMessage: 'please' }] },
      POLL,
    );
    assert.equal(pe.provisioningState, 'Succeeded');
    assert.equal(pe.manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Pending');
    assert.equal(pe.customDnsConfigs![0]!.ipAddresses![0], '10.20.1.4');
    const nicName = pe.networkInterfaces![0]!.id!.split('/').pop()!;
    const nic = await customer.networkInterfaces.get('rg-customer', nicName);
    assert.equal(nic.ipConfigurations![0]!.privateIPAddress, '10.20.1.4');
    assert.equal(nic.privateEndpoint?.id, pe.id);

    const provider = h.network(h.cloud.accounts.provider);
    const connections = [];
    for await (const c of provider.privateLinkServices.listPrivateEndpointConnections('rg-provider', 'pl-1')) connections.push(c);
    assert.equal(connections.length, 1);
    const connection = connections[0]!;
    assert.equal(connection.privateEndpoint?.id, pe.id);
    assert.equal(connection.privateLinkServiceConnectionState?.status, 'Pending');
    assert.equal(connection.privateLinkServiceConnectionState?.description, 'please');
    assert.match(connection.linkIdentifier!, /^\d+$/);

    const approved = await provider.privateLinkServices.updatePrivateEndpointConnection('rg-provider', 'pl-1', connection.name!, {
      privateLinkServiceConnectionState: { status: 'Approved', description: 'welcome' },
    });
    assert.equal(approved.privateLinkServiceConnectionState?.status, 'Approved');
    const after = await customer.privateEndpoints.get('rg-customer', 'pe-1');
    assert.equal(after.manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Approved');
    assert.equal(after.manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.description, 'welcome');

    const view = await h.cloud.view();
    const endpoint = view.privateEndpoints.find((e) => e.name === 'pe-1')!;
    assert.equal(endpoint.status, 'Approved');
    assert.equal(endpoint.privateIpAddress, '10.20.1.4');
    const service = view.privateLinkServices.find((s) => s.name === 'pl-1')!;
    assert.equal(service.enableProxyProtocol, true);
    assert.deepEqual(
      service.connections.map((c) => [c.privateEndpointId, c.status, c.linkIdentifier]),
      [[pe.id, 'Approved', connection.linkIdentifier]],
    );
    assert.deepEqual(
      view.loadBalancers[0]!.rules.map((r) => [r.frontendPort, r.backendPort]),
      [[1024, 27017]],
    );
  });

  test('a connection requested by alias can be rejected; the customer sees Rejected', async () => {
    const customer = h.network(h.cloud.accounts.customer);
    await customer.privateEndpoints.beginCreateOrUpdateAndWait(
      'rg-customer',
      'pe-2',
      { location: 'eastus', subnet: { id: subnetId }, manualPrivateLinkServiceConnections: [{ name: 'by-alias', privateLinkServiceId: svc.alias }] },
      POLL,
    );
    const provider = h.network(h.cloud.accounts.provider);
    const pls = await provider.privateLinkServices.get('rg-provider', 'pl-1');
    const pending = pls.privateEndpointConnections!.find((c) => c.privateEndpoint?.id?.endsWith('/pe-2'))!;
    assert.equal(pending.privateLinkServiceConnectionState?.status, 'Pending');
    await provider.privateLinkServices.updatePrivateEndpointConnection('rg-provider', 'pl-1', pending.name!, {
      privateLinkServiceConnectionState: { status: 'Rejected', description: 'no' },
    });
    const pe = await customer.privateEndpoints.get('rg-customer', 'pe-2');
    assert.equal(pe.manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Rejected');
    assert.equal(pe.manualPrivateLinkServiceConnections![0]!.privateLinkServiceId, svc.plsId, 'the alias resolves to the service id');
    assert.equal(pe.customDnsConfigs![0]!.ipAddresses![0], '10.20.1.5');
  });

  test('deleting a private endpoint removes its connection, its interface and frees its address', async () => {
    const customer = h.network(h.cloud.accounts.customer);
    const pe = await customer.privateEndpoints.get('rg-customer', 'pe-2');
    await customer.privateEndpoints.beginDeleteAndWait('rg-customer', 'pe-2', POLL);
    await rejectsWithCode(customer.privateEndpoints.get('rg-customer', 'pe-2'), 'ResourceNotFound', 404);
    await rejectsWithCode(customer.networkInterfaces.get('rg-customer', pe.networkInterfaces![0]!.id!.split('/').pop()!), 'ResourceNotFound', 404);
    const pls = await h.network(h.cloud.accounts.provider).privateLinkServices.get('rg-provider', 'pl-1');
    assert.deepEqual(
      pls.privateEndpointConnections!.map((c) => c.privateEndpoint?.id?.split('/').pop()),
      ['pe-1'],
    );
    const again = await customer.privateEndpoints.beginCreateOrUpdateAndWait(
      'rg-customer',
      'pe-3',
      { location: 'eastus', subnet: { id: subnetId }, manualPrivateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: svc.plsId }] },
      POLL,
    );
    assert.equal(again.customDnsConfigs![0]!.ipAddresses![0], '10.20.1.5', 'the freed address is given out again');
  });

  test('a provider PUT on a connection that does not exist is refused', async () => {
    const provider = h.network(h.cloud.accounts.provider);
    await rejectsWithCode(
      provider.privateLinkServices.updatePrivateEndpointConnection('rg-provider', 'pl-1', 'nope.0000', { privateLinkServiceConnectionState: { status: 'Approved' } }),
      'PrivateEndpointConnectionCannotBeCreatedByServiceProvider',
      400,
    );
    await rejectsWithCode(provider.privateLinkServices.getPrivateEndpointConnection('rg-provider', 'pl-1', 'nope.0000'), 'NotFound', 404);
  });

  test('the provider deleting a connection leaves the endpoint Disconnected', async () => {
    const provider = h.network(h.cloud.accounts.provider);
    const pls = await provider.privateLinkServices.get('rg-provider', 'pl-1');
    const connection = pls.privateEndpointConnections!.find((c) => c.privateEndpoint?.id?.endsWith('/pe-3'))!;
    await provider.privateLinkServices.beginDeletePrivateEndpointConnectionAndWait('rg-provider', 'pl-1', connection.name!, POLL);
    const pe = await h.network(h.cloud.accounts.customer).privateEndpoints.get('rg-customer', 'pe-3');
    assert.equal(pe.manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Disconnected');
  });

  test('an automatic connection from an auto-approved subscription is Approved at once; others need visibility', async () => {
    const other = await h.cloud.createAccount('other');
    await providerService(h, { name: 'pl-auto', visibleTo: ['*'], autoApprove: [other.subscriptionId] });
    const otherSubnet = await customerSubnet(h, other);
    const pe = await h.network(other).privateEndpoints.beginCreateOrUpdateAndWait(
      'rg-customer',
      'pe-auto',
      {
        location: 'eastus',
        subnet: { id: otherSubnet },
        privateLinkServiceConnections: [
          {
            name: 'auto',
            privateLinkServiceId: `/subscriptions/${h.cloud.accounts.provider.subscriptionId}/resourceGroups/rg-provider/providers/Microsoft.Network/privateLinkServices/pl-auto`,
          },
        ],
      },
      POLL,
    );
    assert.equal(pe.privateLinkServiceConnections![0]!.privateLinkServiceConnectionState?.status, 'Approved');
    await rejectsWithCode(
      h
        .network(other)
        .privateEndpoints.beginCreateOrUpdateAndWait(
          'rg-customer',
          'pe-hidden',
          { location: 'eastus', subnet: { id: otherSubnet }, manualPrivateLinkServiceConnections: [{ name: 'x', privateLinkServiceId: svc.plsId }] },
          POLL,
        ),
      'PrivateLinkServiceNotFound',
      400,
    );
  });
});
