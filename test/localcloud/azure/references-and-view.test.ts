import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tokenHash } from '../../../src/localcloud/azure/identity.js';
import { azureRepositories } from '../../../src/localcloud/azure/store/repositories.js';
import { azureDb } from '../../../src/localcloud/azure/store/schema.js';
import { createGroup, customerSubnet, POLL, providerService, rejectsWithCode, startAzure, type AzureHarness } from './harness.js';

describe('Azure emulator: cross-subscription references, timeouts, expired tokens and the data-plane view', () => {
  let h: AzureHarness;
  before(async () => {
    h = await startAzure();
  });
  after(async () => h?.close());

  test('an expired token is 401 ExpiredAuthenticationToken', async () => {
    const { provider } = h.cloud.accounts;
    await azureRepositories(azureDb(h.testStore.store)).control.saveToken(tokenHash('old-token'), provider.tenantId, provider.clientId, new Date(Date.now() - 1000));
    const res = await h.arm({ authorization: 'Bearer old-token' }, 'GET', `/subscriptions/${provider.subscriptionId}?api-version=2021-04-01`);
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'ExpiredAuthenticationToken');
    const own = await h.arm(provider, 'GET', `/subscriptions/${provider.subscriptionId}?api-version=2021-04-01`);
    assert.deepEqual([own.status, own.body.subscriptionId, own.body.tenantId, own.body.state], [200, provider.subscriptionId, provider.tenantId, 'Enabled']);
  });

  test("a private endpoint in another subscription's subnet is 403 LinkedAuthorizationFailed", async () => {
    const svc = await providerService(h);
    const providerSubnet = `${svc.loadBalancerId.replace(/loadBalancers\/.*$/, 'virtualNetworks/pl-1-vnet/subnets/frontend')}`;
    await createGroup(h, h.cloud.accounts.customer, 'rg-customer');
    const error = await rejectsWithCode(
      h
        .network(h.cloud.accounts.customer)
        .privateEndpoints.beginCreateOrUpdateAndWait(
          'rg-customer',
          'pe-x',
          { location: 'eastus', subnet: { id: providerSubnet }, manualPrivateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: svc.plsId }] },
          POLL,
        ),
      'LinkedAuthorizationFailed',
      403,
    );
    assert.match(error.message, /Microsoft.Network\/virtualNetworks\/subnets\/join\/action/);
  });

  test('a timeout fault runs the call and commits it, then holds the answer', async () => {
    const { customer } = h.cloud.accounts;
    await h.cloud.setFault('ResourceGroups_CreateOrUpdate', { kind: 'timeout', ms: 300, times: 1 });
    const started = Date.now();
    const res = await h.arm(customer, 'PUT', `/subscriptions/${customer.subscriptionId}/resourcegroups/slow-rg?api-version=2021-04-01`, { location: 'eastus' });
    assert.equal(res.status, 201);
    assert.ok(Date.now() - started >= 290, 'the answer was held');
    const head = await h.arm(customer, 'HEAD', `/subscriptions/${customer.subscriptionId}/resourcegroups/slow-rg?api-version=2021-04-01`);
    assert.equal(head.status, 204);
  });

  test('the view carries load balancer rules, NAT rules, the proxy-protocol flag and endpoint states; onChange fires on writes', async () => {
    const { provider } = h.cloud.accounts;
    let changes = 0;
    const stop = h.cloud.onChange(() => void changes++);
    const net = h.network(provider);
    const lb = await net.loadBalancers.get('rg-provider', 'pl-1-lb');
    await net.loadBalancers.beginCreateOrUpdateAndWait(
      'rg-provider',
      'pl-1-lb',
      {
        ...lb,
        inboundNatRules: [{ name: 'admin', frontendIPConfiguration: { id: lb.frontendIPConfigurations![0]!.id }, protocol: 'Tcp', frontendPort: 2000, backendPort: 22 }],
      },
      POLL,
    );
    const subnet = await customerSubnet(h);
    await h.network(h.cloud.accounts.customer).privateEndpoints.beginCreateOrUpdateAndWait(
      'rg-customer',
      'pe-view',
      {
        location: 'eastus',
        subnet: { id: subnet },
        manualPrivateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: (await net.privateLinkServices.get('rg-provider', 'pl-1')).alias! }],
      },
      POLL,
    );
    stop();
    assert.ok(changes > 0);
    const view = await h.cloud.view();
    const balancer = view.loadBalancers.find((b) => b.name === 'pl-1-lb')!;
    assert.equal(balancer.frontends[0]!.privateIpAddress, lb.frontendIPConfigurations![0]!.privateIPAddress, 'a re-PUT keeps the frontend address');
    assert.deepEqual(
      balancer.backendPools[0]!.addresses.map((a) => a.ipAddress),
      ['10.10.1.10', '10.10.1.11'],
    );
    assert.deepEqual(
      balancer.inboundNatRules.map((r) => [r.name, r.frontendPort, r.backendPort]),
      [['admin', 2000, 22]],
    );
    const service = view.privateLinkServices.find((s) => s.name === 'pl-1')!;
    assert.deepEqual(service.natIpAddresses, ['10.10.2.4']);
    const endpoint = view.privateEndpoints.find((e) => e.name === 'pe-view')!;
    assert.equal(endpoint.status, 'Pending');
    assert.equal(endpoint.privateLinkServiceId, service.id);
    assert.equal(endpoint.linkIdentifier, service.connections[0]!.linkIdentifier);
    assert.equal(view.nextTransitionAt, null);
  });

  test('resources being provisioned show in the view with their state and when they are due', async () => {
    await h.cloud.setDelays('realistic');
    const { provider } = h.cloud.accounts;
    const poller = await h.network(provider).networkSecurityGroups.beginCreateOrUpdate('rg-provider', 'nsg-slow', { location: 'eastus', securityRules: [] }, POLL);
    const view = await h.cloud.view();
    assert.equal(view.networkSecurityGroups.find((g) => g.name === 'nsg-slow')!.provisioningState, 'Updating');
    assert.ok(view.nextTransitionAt && view.nextTransitionAt.getTime() > Date.now());
    h.advance(5_000);
    assert.equal((await poller.pollUntilDone()).provisioningState, 'Succeeded');
    await h.cloud.setDelays('instant');
  });
});
