import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { consumerNetwork, producerService, pscEndpoint, REGION, startGcp, type ComputeClients, type GcpHarness, type ProducerService } from './harness.js';

describe('Private Service Connect through the official Compute client', () => {
  let h: GcpHarness;
  let service: ProducerService;
  let consumer: ComputeClients;
  let producer: ComputeClients;
  before(async () => {
    h = await startGcp();
    service = await producerService(h);
    consumer = await consumerNetwork(h);
    producer = h.clients(h.cloud.projects.producer);
  });
  after(async () => h?.close());

  test('the producer’s ILB gets an address of its subnet and the attachment starts with no endpoints', async () => {
    assert.equal(service.ilbIp, '10.10.1.2');
    assert.match(service.attachmentUrl, new RegExp(`^${h.cloud.url}/compute/v1/projects/${producer.project}/regions/${REGION}/serviceAttachments/svc$`));
    const [attachment] = await producer.serviceAttachments.get({ project: producer.project, region: REGION, serviceAttachment: 'svc' });
    assert.equal(attachment.connectionPreference, 'ACCEPT_MANUAL');
    assert.equal(attachment.enableProxyProtocol, true);
    assert.equal(attachment.targetService, service.ilbUrl);
    assert.deepEqual(attachment.connectedEndpoints, []);
    assert.match(attachment.fingerprint!, /^[A-Za-z0-9+/]{11}=$/);
    assert.match(String(attachment.id), /^\d{16,19}$/);
  });

  test('a consumer not on the accept list gets its forwarding rule PENDING, on both sides', async () => {
    await pscEndpoint(consumer, 'atlas-ep', service.attachmentUrl);
    const [rule] = await consumer.forwardingRules.get({ project: consumer.project, region: REGION, forwardingRule: 'atlas-ep' });
    assert.equal(rule.pscConnectionStatus, 'PENDING');
    assert.equal(rule.IPAddress, '10.20.1.2');
    assert.equal(rule.target, service.attachmentUrl);
    assert.equal(rule.loadBalancingScheme, '');
    assert.match(String(rule.pscConnectionId), /^\d+$/);
    const [address] = await consumer.addresses.get({ project: consumer.project, region: REGION, address: 'atlas-ep-ip' });
    assert.equal(address.status, 'IN_USE');
    assert.deepEqual(address.users, [rule.selfLink]);
    const [attachment] = await producer.serviceAttachments.get({ project: producer.project, region: REGION, serviceAttachment: 'svc' });
    assert.equal(attachment.connectedEndpoints!.length, 1);
    assert.equal(attachment.connectedEndpoints![0]!.endpoint, rule.selfLink);
    assert.equal(attachment.connectedEndpoints![0]!.status, 'PENDING');
    assert.equal(String(attachment.connectedEndpoints![0]!.pscConnectionId), String(rule.pscConnectionId));
  });

  test('patching the accept list (with the fingerprint) accepts it on both sides', async () => {
    const [before] = await producer.serviceAttachments.get({ project: producer.project, region: REGION, serviceAttachment: 'svc' });
    await producer.done(
      producer.serviceAttachments.patch({
        project: producer.project,
        region: REGION,
        serviceAttachment: 'svc',
        serviceAttachmentResource: { fingerprint: before.fingerprint, consumerAcceptLists: [{ projectIdOrNum: consumer.project, connectionLimit: 10 }] },
      }),
    );
    const [rule] = await consumer.forwardingRules.get({ project: consumer.project, region: REGION, forwardingRule: 'atlas-ep' });
    assert.equal(rule.pscConnectionStatus, 'ACCEPTED');
    const [after] = await producer.serviceAttachments.get({ project: producer.project, region: REGION, serviceAttachment: 'svc' });
    assert.equal(after.connectedEndpoints![0]!.status, 'ACCEPTED');
    assert.notEqual(after.fingerprint, before.fingerprint);
  });

  test('the reject list (with reconcileConnections) rejects the accepted endpoint', async () => {
    const [current] = await producer.serviceAttachments.get({ project: producer.project, region: REGION, serviceAttachment: 'svc' });
    await producer.done(
      producer.serviceAttachments.patch({
        project: producer.project,
        region: REGION,
        serviceAttachment: 'svc',
        serviceAttachmentResource: { fingerprint: current.fingerprint, consumerRejectLists: [h.cloud.projects.consumer.projectNumber], reconcileConnections: true },
      }),
    );
    const [rule] = await consumer.forwardingRules.get({ project: consumer.project, region: REGION, forwardingRule: 'atlas-ep' });
    assert.equal(rule.pscConnectionStatus, 'REJECTED');
  });

  test('the view shows the ILB with its targets, the attachment and the endpoint', async () => {
    const view = await h.cloud.view();
    const ilb = view.internalLoadBalancers.find((l) => l.name === 'svc-ilb')!;
    assert.deepEqual(ilb.ports, [27017]);
    assert.deepEqual(
      ilb.targets.map((t) => `${t.ipAddress}:${t.port}`),
      ['10.10.1.10:27017', '10.10.1.11:27017'],
    );
    const attachment = view.serviceAttachments.find((a) => a.name === 'svc')!;
    assert.equal(attachment.enableProxyProtocol, true);
    assert.equal(attachment.connectedEndpoints[0]!.status, 'REJECTED');
    const endpoint = view.pscEndpoints.find((e) => e.name === 'atlas-ep')!;
    assert.equal(endpoint.ipAddress, '10.20.1.2');
    assert.equal(endpoint.network, `projects/${consumer.project}/global/networks/app-net`);
    assert.equal(endpoint.target, `projects/${producer.project}/regions/${REGION}/serviceAttachments/svc`);
    assert.equal(view.networks.find((n) => n.name === 'app-net')!.subnetworks[0]!.ipCidrRange, '10.20.1.0/24');
  });

  test('deleting the attachment closes the connection; the rule stays', async () => {
    const [lro] = (await producer.serviceAttachments.delete({ project: producer.project, region: REGION, serviceAttachment: 'svc' })) as unknown as [
      { latestResponse: { name: string } },
    ];
    const [op] = await producer.regionOperations.wait({ project: producer.project, region: REGION, operation: lro.latestResponse.name });
    assert.deepEqual([op.status, op.operationType, op.targetLink], ['DONE', 'delete', service.attachmentUrl]);
    const [rule] = await consumer.forwardingRules.get({ project: consumer.project, region: REGION, forwardingRule: 'atlas-ep' });
    assert.equal(rule.pscConnectionStatus, 'CLOSED');
    assert.equal((await h.cloud.view()).pscEndpoints[0]!.status, 'CLOSED');
  });
});
