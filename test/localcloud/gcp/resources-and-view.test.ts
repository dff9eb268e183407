import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { consumerNetwork, producerService, pscEndpoint, REGION, rejectsWith, startGcp, ZONE, type ComputeClients, type GcpHarness } from './harness.js';

describe('Compute resources, quotas, change events and the view', () => {
  let h: GcpHarness;
  let producer: ComputeClients;
  let consumer: ComputeClients;
  before(async () => {
    h = await startGcp({ quotas: { internalAddresses: 2 } });
    producer = h.clients(h.cloud.projects.producer);
    consumer = await consumerNetwork(h);
  });
  after(async () => h?.close());

  test('firewall rules are stored, returned and in the view', async () => {
    await consumer.done(
      consumer.firewalls.insert({
        project: consumer.project,
        firewallResource: {
          name: 'egress-atlas',
          network: 'global/networks/app-net',
          direction: 'EGRESS',
          priority: 900,
          allowed: [{ IPProtocol: 'tcp', ports: ['27017', '1024-1026'] }],
          destinationRanges: ['10.20.1.0/24'],
        },
      }),
    );
    const [rule] = await consumer.firewalls.get({ project: consumer.project, firewall: 'egress-atlas' });
    assert.equal(rule.kind, 'compute#firewall');
    assert.equal(rule.direction, 'EGRESS');
    assert.deepEqual(
      rule.allowed!.map((a) => ({ IPProtocol: a.IPProtocol, ports: a.ports })),
      [{ IPProtocol: 'tcp', ports: ['27017', '1024-1026'] }],
    );
    const view = await h.cloud.view();
    const seen = view.firewalls.find((f) => f.name === 'egress-atlas')!;
    assert.deepEqual([seen.action, seen.priority, seen.destinationRanges], ['allow', 900, ['10.20.1.0/24']]);
    await rejectsWith(
      consumer.firewalls.insert({
        project: consumer.project,
        firewallResource: { name: 'both', network: 'global/networks/app-net', allowed: [{ IPProtocol: 'tcp' }], denied: [{ IPProtocol: 'udp' }] },
      }),
      400,
    );
  });

  test('a network in use by a subnetwork cannot be deleted', async () => {
    const inUse = await rejectsWith(consumer.networks.delete({ project: consumer.project, network: 'app-net' }), 400);
    assert.equal(inUse.error.errors[0]!.reason, 'resourceInUseByAnotherResource');
    assert.match(inUse.error.message, /^The network resource 'projects\/.*\/global\/networks\/app-net' is already being used by 'projects\/.*\/(subnetworks|firewalls)\//);
  });

  test('endpoint groups list their endpoints; a backend service patch (with fingerprint) changes the targets the view shows', async () => {
    await producerService(h, { name: 'lb' });
    const [endpoints] = await producer.negs.listNetworkEndpoints({ project: producer.project, zone: ZONE, networkEndpointGroup: 'lb-nodes' });
    assert.deepEqual(
      endpoints.map((e) => `${e.networkEndpoint!.ipAddress}:${e.networkEndpoint!.port}`),
      ['10.10.1.10:27017', '10.10.1.11:27017'],
    );
    await producer.done(
      producer.negs.insert({
        project: producer.project,
        zone: ZONE,
        networkEndpointGroupResource: { name: 'more', networkEndpointType: 'NON_GCP_PRIVATE_IP_PORT', network: 'global/networks/lb-net' },
      }),
    );
    await producer.done(
      producer.negs.attachNetworkEndpoints({
        project: producer.project,
        zone: ZONE,
        networkEndpointGroup: 'more',
        networkEndpointGroupsAttachEndpointsRequestResource: { networkEndpoints: [{ ipAddress: '10.10.1.12', port: 27018 }] },
      }),
    );
    const [bs] = await producer.backendServices.get({ project: producer.project, region: REGION, backendService: 'lb-bs' });
    await producer.done(
      producer.backendServices.patch({
        project: producer.project,
        region: REGION,
        backendService: 'lb-bs',
        backendServiceResource: { fingerprint: bs.fingerprint, backends: [...bs.backends!, { group: `zones/${ZONE}/networkEndpointGroups/more` }] },
      }),
    );
    const ilb = (await h.cloud.view()).internalLoadBalancers.find((l) => l.name === 'lb-ilb')!;
    assert.deepEqual(
      ilb.targets.map((t) => `${t.ipAddress}:${t.port}`),
      ['10.10.1.10:27017', '10.10.1.11:27017', '10.10.1.12:27018'],
    );
    const blocked = await rejectsWith(producer.forwardingRules.delete({ project: producer.project, region: REGION, forwardingRule: 'lb-ilb' }), 400);
    assert.match(blocked.error.message, /is already being used by '.*\/serviceAttachments\/lb'/);
  });

  test('ACCEPT_MANUAL with a connectionLimit of 1 accepts the first endpoint and leaves the second PENDING', async () => {
    const service = await producerService(h, { name: 'lim', acceptLists: [{ projectIdOrNum: consumer.project, connectionLimit: 1 }] });
    await pscEndpoint(consumer, 'lim-a', service.attachmentUrl);
    await pscEndpoint(consumer, 'lim-b', service.attachmentUrl);
    const [a] = await consumer.forwardingRules.get({ project: consumer.project, region: REGION, forwardingRule: 'lim-a' });
    const [b] = await consumer.forwardingRules.get({ project: consumer.project, region: REGION, forwardingRule: 'lim-b' });
    assert.deepEqual([a.pscConnectionStatus, b.pscConnectionStatus], ['ACCEPTED', 'PENDING']);
    assert.notEqual(String(a.pscConnectionId), String(b.pscConnectionId));
  });

  test('past the INTERNAL_ADDRESSES quota an address insert is 403 quotaExceeded', async () => {
    const quota = await rejectsWith(
      consumer.addresses.insert({
        project: consumer.project,
        region: REGION,
        addressResource: { name: 'one-too-many', addressType: 'INTERNAL', subnetwork: `regions/${REGION}/subnetworks/app-subnet` },
      }),
      403,
    );
    assert.equal(quota.error.errors[0]!.reason, 'quotaExceeded');
    assert.equal(quota.error.message, `Quota 'INTERNAL_ADDRESSES' exceeded.  Limit: 2.0 in region ${REGION}.`);
  });

  test('a deleted and re-created attachment does not list the closed endpoints of the old one', async () => {
    await producer.done(producer.serviceAttachments.delete({ project: producer.project, region: REGION, serviceAttachment: 'lim' }));
    const [closed] = await consumer.forwardingRules.get({ project: consumer.project, region: REGION, forwardingRule: 'lim-a' });
    assert.equal(closed.pscConnectionStatus, 'CLOSED');
    const [ilb] = await producer.forwardingRules.get({ project: producer.project, region: REGION, forwardingRule: 'lim-ilb' });
    await producer.done(
      producer.serviceAttachments.insert({
        project: producer.project,
        region: REGION,
        serviceAttachmentResource: { name: 'lim', targetService: ilb.selfLink, connectionPreference: 'ACCEPT_AUTOMATIC', natSubnets: [`regions/${REGION}/subnetworks/lim-nat`] },
      }),
    );
    const [again] = await producer.serviceAttachments.get({ project: producer.project, region: REGION, serviceAttachment: 'lim' });
    assert.deepEqual(again.connectedEndpoints, []);
    const [stillClosed] = await consumer.forwardingRules.get({ project: consumer.project, region: REGION, forwardingRule: 'lim-a' });
    assert.equal(stillClosed.pscConnectionStatus, 'CLOSED');
  });

  test('onChange fires after a write; a timeout fault holds the answer; the view tells when the next insert lands', async () => {
    let changes = 0;
    const off = h.cloud.onChange(() => void changes++);
    await consumer.done(consumer.networks.insert({ project: consumer.project, networkResource: { name: 'evt-net', autoCreateSubnetworks: false } }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    off();
    assert.ok(changes >= 1);
    await h.cloud.setFault('compute.networks.get', { kind: 'timeout', ms: 300, times: 1 });
    const started = Date.now();
    await consumer.networks.get({ project: consumer.project, network: 'evt-net' });
    assert.ok(Date.now() - started >= 290);
    await h.cloud.setDelays({ networkProvisioning: 60_000 });
    await consumer.networks.insert({ project: consumer.project, networkResource: { name: 'later-net', autoCreateSubnetworks: false } });
    const view = await h.cloud.view();
    assert.ok(view.nextTransitionAt && view.nextTransitionAt.getTime() > view.takenAt.getTime());
    assert.equal(
      view.networks.some((n) => n.name === 'later-net'),
      false,
    );
    await h.cloud.setDelays('instant');
  });
});

describe('Compute housekeeping', () => {
  let h: GcpHarness;
  before(async () => {
    h = await startGcp();
  });
  after(async () => h?.close());

  const rows = async (table: 'lc_gcp_resources' | 'lc_gcp_operations', where: ReturnType<typeof sql>) =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(h.testStore.store.db)).rows[0]!.n);

  test('a deleted resource is purged by a later request, and operations once their day of retention has passed', async () => {
    const consumer = await consumerNetwork(h);
    const firewall = { name: 'short-lived', network: 'global/networks/app-net', allowed: [{ IPProtocol: 'tcp', ports: ['27017'] }], sourceRanges: ['10.0.0.0/8'] };
    await consumer.done(consumer.firewalls.insert({ project: consumer.project, firewallResource: firewall }));
    await consumer.done(consumer.firewalls.delete({ project: consumer.project, firewall: 'short-lived' }));
    // Any later request does the housekeeping that fell due (the delete is instant here).
    await consumer.networks.get({ project: consumer.project, network: 'app-net' });
    assert.equal(await rows('lc_gcp_resources', sql`name = 'short-lived'`), 0);
    assert.ok((await rows('lc_gcp_operations', sql`true`)) > 0);
    // Nothing else falls due for a day; then the operations made before are forgotten.
    await consumer.networks.get({ project: consumer.project, network: 'app-net' });
    h.advance(24 * 3_600_000 + 1_000);
    await consumer.networks.get({ project: consumer.project, network: 'app-net' });
    assert.equal(await rows('lc_gcp_operations', sql`true`), 0);
  });
});
