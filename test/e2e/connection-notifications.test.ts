import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { DeleteVpcEndpointsCommand, DescribeVpcEndpointConnectionNotificationsCommand } from '@aws-sdk/client-ec2';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { after, before, describe, test } from 'node:test';
import { createLocalCloudAws } from '../../src/localcloud/aws/local-cloud-aws.js';
import { openStore } from '../../src/store/database.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { clusterWithAvailableService, startStack, until, type Stack } from '../support/full-stack.js';
import { newStoreLocation } from '../support/test-store.js';

/** A port free right now (the local cloud must come back on it: the queue URL names it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Against real AWS privlink learns of a customer's change to its endpoint from VPC endpoint
// connection notifications (SNS topic → SQS queue). Here the topic and queue are made on the
// local cloud beforehand, and the local cloud's in-process announcements are off, so only the
// notification path can make the 2 s.
let stack: Stack;
let serviceId: string;
let serviceName: string;
let topicArn: string;

before(async () => {
  const store = await newStoreLocation();
  const port = await freePort();
  // The operator's setup, on the local cloud of the store privlink will use: topic, queue, subscription.
  const opened = await openStore(store.location);
  const cloud = await createLocalCloudAws({ store: opened, delays: 'instant', loopbackBase: 100 });
  const served = await cloud.listen('127.0.0.1', port);
  const credentials = { accessKeyId: cloud.accounts.provider.accessKeyId, secretAccessKey: cloud.accounts.provider.secretAccessKey };
  const sns = new SNSClient({ endpoint: served.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const sqs = new SQSClient({ endpoint: served.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'privlink-connections' }))).TopicArn!;
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'privlink-connections' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  sns.destroy();
  sqs.destroy();
  await served.close();
  await cloud.close();
  await opened.close();

  stack = await startStack(
    {
      PRIVLINK_LOCALCLOUD_PORT: String(port),
      PRIVLINK_AZURE: 'off',
      PRIVLINK_GCP: 'off',
      // A resync far away and no in-process announcements: only a notification can make the 2 s.
      PRIVLINK_RECONCILER_RESYNC_MS: '600000',
      PRIVLINK_TEST_LOCALCLOUD_ANNOUNCE: 'off',
      PRIVLINK_AWS_NOTIFICATION_TOPIC: topicArn,
      PRIVLINK_AWS_NOTIFICATION_QUEUE: queueUrl,
    },
    {},
    { store },
  );
  ({ serviceId, serviceName } = await clusterWithAvailableService(stack));
});

after(async () => {
  await stack?.close();
});

describe('VPC endpoint connection notifications (the path privlink uses against real AWS)', () => {
  test('the endpoint service privlink made has exactly one notification to the topic, for every event', async () => {
    const id = serviceName.split('.').at(-1)!;
    const found = await stack.providerEc2().send(new DescribeVpcEndpointConnectionNotificationsCommand({ Filters: [{ Name: 'service-id', Values: [id] }] }));
    const set = found.ConnectionNotificationSet ?? [];
    assert.equal(set.length, 1, JSON.stringify(set));
    assert.equal(set[0]!.ConnectionNotificationArn, topicArn);
    assert.deepEqual([...(set[0]!.ConnectionEvents ?? [])].sort(), ['Accept', 'Connect', 'Delete', 'Reject']);
    assert.match(set[0]!.ConnectionNotificationId!, /^vpce-nfn-[0-9a-f]{17}$/);
  });

  test('the customer deletes its endpoint with the SDK: the registration leaves AVAILABLE within 2 s', async () => {
    const vpce = await customerEndpoint(stack.customerEc2(), serviceName, { openToVpc: true });
    assert.equal((await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce })).status, 201);
    const path = `${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint/${vpce}`;
    await until(
      () => stack.owner.get(path),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'AVAILABLE',
    );
    await stack.customerEc2().send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [vpce] }));
    const deletedAt = Date.now();
    const changed = await until(
      () => stack.owner.get(path),
      (r) => (r.json as { connectionStatus: string }).connectionStatus !== 'AVAILABLE',
      2000,
    );
    const elapsed = Date.now() - deletedAt;
    assert.ok(elapsed < 2000, `noticed after ${elapsed} ms`);
    // Noticed: the registration left AVAILABLE. Depending on whether the reconciler's pass saw the
    // endpoint as deleted or already gone, it is REJECTED at once or first waits out the
    // not-found grace as PENDING_ACCEPTANCE; either way it ends REJECTED, with no resync.
    const status = (changed.json as { connectionStatus: string }).connectionStatus;
    assert.ok(status === 'REJECTED' || status === 'PENDING_ACCEPTANCE', changed.text);
    await until(
      () => stack.owner.get(path),
      (r) => (r.json as { connectionStatus: string }).connectionStatus === 'REJECTED',
      15_000,
    );
  });
});
