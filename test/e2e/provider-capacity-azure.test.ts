import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LoadBalancer, PrivateLinkService, Usage, VirtualNetwork } from '@azure/arm-network';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { addPoolAccount, drainPoolAccount, poolSubscriptionClients, projectsWithServices, settled } from '../support/provider-pool.js';

// A pool of two local Azure subscriptions: services of several projects spread over them by room
// left, each private link service's load balancer in its subscription's provider VNet, a drained
// subscription takes no new project region, a usage limit reached fails the service with the limit
// named, and the provider VNet goes with the last service of its region. Seen through the local
// Azure cloud's own ARM API (official SDK) signed in as each pool subscription's principal.
let stack: Stack;
before(async () => {
  stack = await startStack({ PRIVLINK_RECONCILER_WORKERS: '4' });
});
after(async () => stack?.close());

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function inSubscription(name: string) {
  const clients = await poolSubscriptionClients(stack, name);
  return {
    ...clients,
    privateLinkServices: (): Promise<PrivateLinkService[]> => collect(clients.network.privateLinkServices.listBySubscription()),
    loadBalancers: (): Promise<LoadBalancer[]> => collect(clients.network.loadBalancers.listAll()),
    providerVnets: async (region: string): Promise<VirtualNetwork[]> =>
      (await collect(clients.network.virtualNetworks.listAll())).filter((v) => v.tags?.['privlink-provider-vnet'] === region),
    usages: (region: string): Promise<Usage[]> => collect(clients.network.usages.list(region)),
  };
}

async function service(s: { projectId: string; serviceId: string }): Promise<{ status: string; errorMessage: string | null; privateLinkServiceResourceId: string | null }> {
  const res = await stack.owner.get(`/api/atlas/v2/groups/${s.projectId}/privateEndpoint/AZURE/endpointService/${s.serviceId}`);
  assert.equal(res.status, 200, res.text);
  return res.json as { status: string; errorMessage: string | null; privateLinkServiceResourceId: string | null };
}

describe('provider account pool of Azure subscriptions', () => {
  let placed: Array<{ projectId: string; serviceId: string }> = [];

  test('services of several projects are spread over the pool subscriptions, each load balancer in its subscription’s provider VNet', async () => {
    await addPoolAccount(stack, 'sub-1', 'AZURE');
    await addPoolAccount(stack, 'sub-2', 'AZURE');
    placed = await projectsWithServices(stack, 'azure-pool', 4, 'eastus', 2, 'AZURE');
    const statuses = await settled(stack, placed, 60_000, 'AZURE');
    assert.deepEqual(
      statuses.filter((s) => s.status !== 'AVAILABLE'),
      [],
    );
    const subs = [await inSubscription('sub-1'), await inSubscription('sub-2')];
    const bySubscription = new Map<string, number>();
    for (const s of placed) {
      const { privateLinkServiceResourceId } = await service(s);
      const owner = subs.find((c) => privateLinkServiceResourceId?.toLowerCase().startsWith(`/subscriptions/${c.subscriptionId.toLowerCase()}/`));
      assert.ok(owner, `${privateLinkServiceResourceId} is in a pool subscription`);
      bySubscription.set(owner.subscriptionId, (bySubscription.get(owner.subscriptionId) ?? 0) + 1);
    }
    assert.deepEqual([...bySubscription.values()].sort(), [2, 2], 'the most room left wins: two services in each subscription');
    for (const sub of subs) {
      const [vnet, ...others] = await sub.providerVnets('eastus');
      assert.ok(vnet?.id, 'the subscription has a provider VNet in eastus');
      assert.deepEqual(others, [], 'one provider VNet per subscription and region');
      const subnetId = vnet.subnets?.[0]?.id?.toLowerCase();
      const balancers = await sub.loadBalancers();
      assert.equal(balancers.length, 2);
      for (const lb of balancers) assert.equal(lb.frontendIPConfigurations?.[0]?.subnet?.id?.toLowerCase(), subnetId, `${lb.name} is in the provider VNet`);
      const services = await sub.privateLinkServices();
      assert.equal(services.length, 2);
      for (const pls of services) assert.equal(pls.ipConfigurations?.[0]?.subnet?.id?.toLowerCase(), subnetId, `${pls.name}'s NAT IP is in the provider VNet`);
      const usages = await sub.usages('eastus');
      assert.deepEqual(
        usages.filter((u) => ['PrivateLinkServices', 'LoadBalancers', 'VirtualNetworks'].includes(u.name!.value!)).map((u) => [u.name!.value, u.currentValue, u.limit]),
        [
          ['VirtualNetworks', 1, 1000],
          ['LoadBalancers', 2, 1000],
          ['PrivateLinkServices', 2, 800],
        ],
        "Azure's default limits, counted per subscription",
      );
    }
  });

  test('a drained subscription takes no new project region; a limit used up fails the service at once with the limit and the Azure remedy, and an event', async () => {
    await drainPoolAccount(stack, 'sub-2');
    const sub1 = await inSubscription('sub-1');
    const sub2 = await inSubscription('sub-2');
    // sub-1 may hold 3 private link services in eastus (as if Azure had granted exactly 3). A
    // quota reading is trusted 15 s: the next placement reads the new limit once that has passed.
    await stack.running.azureCloud!.setUsageLimit(sub1.subscriptionId, 'eastus', 'PrivateLinkServices', 3);
    await new Promise((r) => setTimeout(r, 15_500));
    const [next] = await projectsWithServices(stack, 'after-drain', 1, 'eastus', 1, 'AZURE');
    assert.equal((await settled(stack, [next!], 20_000, 'AZURE'))[0]!.status, 'AVAILABLE');
    assert.match((await service(next!)).privateLinkServiceResourceId!, new RegExp(`^/subscriptions/${sub1.subscriptionId}/`, 'i'));
    assert.equal((await sub2.privateLinkServices()).length, 2, 'the drained subscription took nothing new');

    const [over] = await projectsWithServices(stack, 'azure-full', 1, 'eastus', 1, 'AZURE');
    const [failed] = await settled(stack, [over!], 20_000, 'AZURE');
    assert.equal(failed!.status, 'FAILED');
    assert.match(failed!.errorMessage!, /PrivateLinkServices \(Private Link Services\)/);
    assert.match(failed!.errorMessage!, /eastus/);
    assert.match(failed!.errorMessage!, /3 of 3/);
    assert.match(failed!.errorMessage!, /provider subscription/);
    assert.match(failed!.errorMessage!, /privlink admin provider-accounts add --provider AZURE/);
    assert.match(failed!.errorMessage!, /az quota update/);
    const feed = await stack.owner.get(`/api/atlas/v2/groups/${over!.projectId}/events`);
    const events = (feed.json as { results: Array<{ eventTypeName: string; targetId: string; errorMessage?: string | null }> }).results;
    assert.ok(events.some((e) => e.eventTypeName === 'ENDPOINT_SERVICE_FAILED' && e.targetId === over!.serviceId && /PrivateLinkServices/.test(e.errorMessage ?? '')));
    assert.equal((await sub1.privateLinkServices()).length, 3, 'nothing was made over the limit');

    const capacity = await stack.owner.get(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/capacity`);
    assert.equal(capacity.status, 200, capacity.text);
    const lines = (capacity.json as { results: Array<{ accountName: string; providerName: string; state: string; regionName: string; placements: number; limits: unknown[] }> })
      .results;
    const one = lines.find((l) => l.accountName === 'sub-1' && l.regionName === 'US_EAST')!;
    assert.equal(one.providerName, 'AZURE');
    assert.equal(one.placements, 3);
    assert.deepEqual(one.limits[0], { serviceCode: 'Microsoft.Network', quotaCode: 'PrivateLinkServices', quotaName: 'Private Link Services', used: 3, quota: 3, left: 0 });
    assert.equal(lines.find((l) => l.accountName === 'sub-2')!.state, 'DRAINING');
    const accounts = await stack.owner.get(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/providerAccounts`);
    const listed = (accounts.json as { results: Array<{ name: string; providerName: string; kind: string }> }).results.filter((a) => a.name.startsWith('sub-'));
    assert.deepEqual(
      listed.map((a) => [a.name, a.providerName, a.kind]),
      [
        ['sub-1', 'AZURE', 'LOCAL_CLOUD'],
        ['sub-2', 'AZURE', 'LOCAL_CLOUD'],
      ],
    );
  });

  test("deleting a region's last service removes the subscription region's provider VNet", async () => {
    const [only] = await projectsWithServices(stack, 'azure-vnet-lifecycle', 1, 'westus', 1, 'AZURE');
    assert.equal((await settled(stack, [only!], 20_000, 'AZURE'))[0]!.status, 'AVAILABLE');
    const sub1 = await inSubscription('sub-1');
    assert.match((await service(only!)).privateLinkServiceResourceId!, new RegExp(`^/subscriptions/${sub1.subscriptionId}/`, 'i'), 'sub-1 is the only ACTIVE subscription');
    assert.equal((await sub1.providerVnets('westus')).length, 1);
    const path = `/api/atlas/v2/groups/${only!.projectId}/privateEndpoint/AZURE/endpointService/${only!.serviceId}`;
    assert.equal((await stack.owner.delete(path)).status, 202);
    await until(
      () => stack.owner.get(path),
      (r) => r.status === 404,
    );
    assert.deepEqual(await sub1.providerVnets('westus'), []);
    assert.equal((await sub1.providerVnets('eastus')).length, 1, "eastus's provider VNet stays: services are still placed there");
    assert.equal(await sub1.resources.resourceGroups.checkExistence('privlink-provider-westus').then((r) => r.body), false);
  });
});

describe('the provider VNet is found by its tag', () => {
  test('a tagged VNet already in the subscription and region (a create whose answer was lost) is adopted, not made twice', async () => {
    const sub1 = await inSubscription('sub-1');
    await sub1.resources.resourceGroups.createOrUpdate('made-before', { location: 'northeurope' });
    await sub1.network.virtualNetworks.beginCreateOrUpdateAndWait(
      'made-before',
      'vnet-made-before',
      {
        location: 'northeurope',
        tags: { 'privlink-provider-vnet': 'northeurope' },
        addressSpace: { addressPrefixes: ['10.64.0.0/16'] },
        subnets: [{ name: 'privatelink', addressPrefix: '10.64.0.0/16', privateLinkServiceNetworkPolicies: 'Disabled' }],
      },
      { updateIntervalInMs: 20 },
    );
    const [adopted] = await projectsWithServices(stack, 'azure-adopt', 1, 'northeurope', 1, 'AZURE');
    assert.equal((await settled(stack, [adopted!], 20_000, 'AZURE'))[0]!.status, 'AVAILABLE');
    const vnets = await sub1.providerVnets('northeurope');
    assert.deepEqual(
      vnets.map((v) => v.name),
      ['vnet-made-before'],
      'no second provider VNet',
    );
    const balancer = (await sub1.loadBalancers()).find((lb) => lb.location === 'northeurope');
    assert.equal(balancer?.frontendIPConfigurations?.[0]?.subnet?.id?.toLowerCase(), vnets[0]!.subnets![0]!.id!.toLowerCase());
  });
});

describe('the local Azure cloud enforces its network limits', () => {
  test('a create over a subscription’s limit is refused with <Kind>CountLimitReached; the usage reports the limit', async () => {
    const sub = await inSubscription('limits');
    await stack.running.azureCloud!.setUsageLimit(sub.subscriptionId, 'westus2', 'VirtualNetworks', 1);
    await sub.resources.resourceGroups.createOrUpdate('limits', { location: 'westus2' });
    const body = { location: 'westus2', addressSpace: { addressPrefixes: ['10.1.0.0/16'] } };
    const before = (await sub.usages('westus2')).find((u) => u.name?.value === 'VirtualNetworks');
    assert.deepEqual([before?.currentValue, before?.limit], [0, 1]);
    await sub.network.virtualNetworks.beginCreateOrUpdateAndWait('limits', 'vnet-1', body, { updateIntervalInMs: 20 });
    await assert.rejects(
      sub.network.virtualNetworks.beginCreateOrUpdateAndWait('limits', 'vnet-2', body, { updateIntervalInMs: 20 }),
      (error: { code?: string; message?: string }) => {
        assert.equal(error.code, 'VirtualNetworkCountLimitReached');
        assert.equal(error.message, 'Cannot create more than 1 virtual networks for this subscription in this region.');
        return true;
      },
    );
    await sub.network.virtualNetworks.beginCreateOrUpdateAndWait('limits', 'vnet-1', { ...body, tags: { rewritten: 'yes' } }, { updateIntervalInMs: 20 });
    const after = (await sub.usages('westus2')).find((u) => u.name?.value === 'VirtualNetworks');
    assert.deepEqual([after?.currentValue, after?.limit], [1, 1], 'rewriting an existing VNet is not one more');
  });
});

describe('adding Azure and GCP pool accounts through the Admin API', () => {
  const path = () => `/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/providerAccounts`;

  test('an Azure service principal needs its subscription, tenant, client id and secret; the secret is never shown', async () => {
    const missing = await stack.owner.post(path(), { providerName: 'AZURE', name: 'real-sub', kind: 'SERVICE_PRINCIPAL', subscriptionId: '00000000-0000-0000-0000-000000000001' });
    assert.equal(missing.status, 400);
    assert.equal((missing.json as { errorCode: string }).errorCode, 'MISSING_ATTRIBUTE');
    assert.match((missing.json as { detail: string }).detail, /tenantId/);
    const wrongKind = await stack.owner.post(path(), { providerName: 'AZURE', name: 'real-sub', kind: 'ACCESS_KEY' });
    assert.equal(wrongKind.status, 400);
    assert.equal((wrongKind.json as { errorCode: string }).errorCode, 'INVALID_ENUM_VALUE');
    const foreign = await stack.owner.post(path(), { providerName: 'AZURE', name: 'real-sub', kind: 'LOCAL_CLOUD', roleArn: 'arn:aws:iam::123456789012:role/x' });
    assert.equal((foreign.json as { detail: string }).detail, 'Invalid attribute roleArn specified.');
    const added = await stack.owner.post(path(), {
      providerName: 'AZURE',
      name: 'real-sub',
      kind: 'SERVICE_PRINCIPAL',
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      tenantId: '00000000-0000-0000-0000-000000000002',
      clientId: '00000000-0000-0000-0000-000000000003',
      clientSecret: 'abc8Q~secret-value-of-the-principal',
    });
    assert.equal(added.status, 201, added.text);
    assert.doesNotMatch(added.text, /secret-value/);
    assert.equal((added.json as { subscriptionId: string }).subscriptionId, '00000000-0000-0000-0000-000000000001');
    const list = await stack.owner.get(path());
    assert.doesNotMatch(list.text, /secret-value/);
    const duplicate = await stack.owner.post(path(), { providerName: 'AWS', name: 'real-sub' });
    assert.equal(duplicate.status, 409, 'names are unique across providers');
  });

  test('a GCP service account key must be a JSON key; a GCP project is kept with the key’s project, the key never shown', async () => {
    const bad = await stack.owner.post(path(), { providerName: 'GCP', name: 'real-project', kind: 'SERVICE_ACCOUNT_KEY', serviceAccountKey: 'not json' });
    assert.equal(bad.status, 400);
    assert.equal((bad.json as { detail: string }).detail, 'Invalid attribute serviceAccountKey specified.');
    const key = JSON.stringify({
      type: 'service_account',
      project_id: 'pool-project-1',
      client_email: 'privlink@pool-project-1.iam.gserviceaccount.com',
      private_key: 'PRIVATE-KEY-TEXT',
    });
    const added = await stack.owner.post(path(), { providerName: 'GCP', name: 'real-project', kind: 'SERVICE_ACCOUNT_KEY', serviceAccountKey: key });
    assert.equal(added.status, 201, added.text);
    assert.notEqual((added.json as { errorCode?: string }).errorCode, 'PROVIDER_POOL_UNSUPPORTED', 'GCP projects are placed in the pool now');
    assert.equal((added.json as { projectId: string }).projectId, 'pool-project-1');
    assert.doesNotMatch(added.text, /PRIVATE-KEY-TEXT/);
    assert.doesNotMatch((await stack.owner.get(path())).text, /PRIVATE-KEY-TEXT/);
    const unknown = await stack.owner.post(path(), { providerName: 'OCI', name: 'x' });
    assert.equal(unknown.status, 400);
    assert.equal((unknown.json as { detail: string }).detail, 'An invalid enumeration value OCI was specified for providerName.');
  });
});
