import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  AcceptVpcEndpointConnectionsCommand,
  CreateVpcEndpointConnectionNotificationCommand,
  DeleteVpcEndpointConnectionNotificationsCommand,
  DeleteVpcEndpointsCommand,
  DescribeVpcEndpointConnectionNotificationsCommand,
} from '@aws-sdk/client-ec2';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { after, before, describe, test } from 'node:test';
import { AwsClientPool } from '../../src/providers/aws/aws-clients.js';
import { ensureServiceNotification, serviceNotifications } from '../../src/providers/aws/aws-notifications.js';
import { parseConnectionNotification } from '../../src/providers/aws/aws-notification-queue.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { providerService, rejectsWith, startHarness, type Harness, type ProviderService } from './harness.js';

describe('connection notifications, SNS and SQS on the local cloud (official SDK)', () => {
  let h: Harness;
  let svc: ProviderService;
  let sns: SNSClient;
  let sqs: SQSClient;
  let topicArn: string;
  let queueUrl: string;

  before(async () => {
    h = await startHarness();
    svc = await providerService(h);
    const p = h.cloud.accounts.provider;
    const config = { endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey }, maxAttempts: 1 };
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'vpce-events' }))).TopicArn!;
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'vpce-events', Attributes: { VisibilityTimeout: '1' } }))).QueueUrl!;
    const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  });
  after(async () => {
    sns?.destroy();
    sqs?.destroy();
    await h?.close();
  });

  test('SNS and SQS answer in their shapes: topic ARN, queue URL, subscription list, long poll, MD5-checked bodies, delete', async () => {
    assert.match(topicArn, new RegExp(`^arn:aws:sns:us-east-1:${h.cloud.accounts.provider.accountId}:vpce-events$`));
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'vpce-events' }))).QueueUrl, queueUrl);
    await rejectsWith(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })), 'AWS.SimpleQueueService.NonExistentQueue');
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    assert.equal(subs.Subscriptions?.length, 1);
    assert.equal(subs.Subscriptions![0]!.Protocol, 'sqs');
    await rejectsWith(sns.send(new PublishCommand({ TopicArn: `${topicArn}-missing`, Message: 'x' })), 'NotFound');
    // An empty queue holds a long poll, then answers with no messages.
    const started = Date.now();
    const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    assert.equal(empty.Messages, undefined);
    assert.ok(Date.now() - started >= 900, 'the long poll waited');
    // A message sent during a long poll is answered at once (the SDK checks the MD5 of the body).
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 10 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'hello' }));
    const got = await polling;
    assert.equal(got.Messages?.[0]?.Body, 'hello');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: got.Messages![0]!.ReceiptHandle! }));
    // Published to the topic: SNS's envelope in the queue.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm1', Subject: 's1' }));
    const published = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    const envelope = JSON.parse(published.Messages![0]!.Body!);
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.TopicArn, topicArn);
    assert.equal(envelope.Message, 'm1');
    assert.equal(envelope.Subject, 's1');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: published.Messages![0]!.ReceiptHandle! }));
  });

  test('EC2 connection notifications: create, describe (filter), errors, delete (unsuccessful for unknown ids)', async () => {
    const ec2 = h.ec2(h.cloud.accounts.provider);
    const created = await ec2.send(
      new CreateVpcEndpointConnectionNotificationCommand({
        ServiceId: svc.serviceId,
        ConnectionNotificationArn: topicArn,
        ConnectionEvents: ['Connect', 'Accept', 'Reject', 'Delete'],
      }),
    );
    const n = created.ConnectionNotification!;
    assert.match(n.ConnectionNotificationId!, /^vpce-nfn-[0-9a-f]{17}$/);
    assert.equal(n.ConnectionNotificationState, 'Enabled');
    assert.equal(n.ConnectionNotificationType, 'Topic');
    assert.equal(n.ServiceId, svc.serviceId);
    const described = await ec2.send(new DescribeVpcEndpointConnectionNotificationsCommand({ Filters: [{ Name: 'service-id', Values: [svc.serviceId] }] }));
    assert.deepEqual(
      described.ConnectionNotificationSet?.map((x) => x.ConnectionNotificationId),
      [n.ConnectionNotificationId],
    );
    await rejectsWith(
      ec2.send(new CreateVpcEndpointConnectionNotificationCommand({ ServiceId: svc.serviceId, ConnectionNotificationArn: topicArn, ConnectionEvents: ['Explode'] })),
      'InvalidParameterValue',
    );
    await rejectsWith(
      ec2.send(new CreateVpcEndpointConnectionNotificationCommand({ ServiceId: 'vpce-svc-00000000000000000', ConnectionNotificationArn: topicArn, ConnectionEvents: ['Connect'] })),
      'InvalidVpcEndpointServiceId.NotFound',
    );
    await rejectsWith(ec2.send(new DescribeVpcEndpointConnectionNotificationsCommand({ ConnectionNotificationId: 'vpce-nfn-00000000000000000' })), 'InvalidConnectionNotification');
    const other = await ec2.send(
      new CreateVpcEndpointConnectionNotificationCommand({ ServiceId: svc.serviceId, ConnectionNotificationArn: topicArn, ConnectionEvents: ['Accept'] }),
    );
    const deleted = await ec2.send(
      new DeleteVpcEndpointConnectionNotificationsCommand({ ConnectionNotificationIds: [other.ConnectionNotification!.ConnectionNotificationId!, 'vpce-nfn-00000000000000000'] }),
    );
    assert.deepEqual(
      deleted.Unsuccessful?.map((u) => [u.ResourceId, u.Error?.Code]),
      [['vpce-nfn-00000000000000000', 'InvalidConnectionNotification']],
    );
  });

  test("a customer's connect, the provider's accept and the customer's delete are published through the topic to the queue", async () => {
    const vpce = await customerEndpoint(h.ec2(h.cloud.accounts.customer), svc.serviceName);
    await h.ec2(h.cloud.accounts.provider).send(new AcceptVpcEndpointConnectionsCommand({ ServiceId: svc.serviceId, VpcEndpointIds: [vpce] }));
    await h.ec2(h.cloud.accounts.customer).send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [vpce] }));
    const events: Array<{ event: string | undefined; state: string }> = [];
    for (let i = 0; i < 5 && events.length < 3; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
      for (const message of got.Messages ?? []) {
        const parsed = parseConnectionNotification(message.Body!);
        assert.equal(parsed.kind, 'endpoint', message.Body);
        if (parsed.kind === 'endpoint') {
          assert.equal(parsed.endpointId, vpce);
          events.push({ event: parsed.event, state: parsed.state });
        }
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! }));
      }
    }
    assert.deepEqual(events, [
      { event: 'Connect', state: 'pendingAcceptance' },
      { event: 'Accept', state: 'pending' },
      { event: 'Delete', state: 'deleting' },
    ]);
  });

  test('the adapter keeps exactly one notification per service across restarts and replicas, and removes duplicates', async () => {
    const service = await providerService(h, { name: 'second' });
    const p = h.cloud.accounts.provider;
    const pools = [0, 1, 2].map(
      () => new AwsClientPool({ endpoint: h.url, credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey }, requestTimeoutMs: 10_000 }),
    );
    try {
      // Three processes one after the other (a restart, another replica): one notification.
      for (const pool of pools) await ensureServiceNotification(pool.forRegion('us-east-1'), service.serviceId, topicArn);
      assert.equal((await serviceNotifications(pools[0]!.forRegion('us-east-1'), service.serviceId, topicArn)).length, 1);
      // A duplicate (e.g. from a create whose answer was lost) is removed by the next pass.
      await h.ec2(p).send(new CreateVpcEndpointConnectionNotificationCommand({ ServiceId: service.serviceId, ConnectionNotificationArn: topicArn, ConnectionEvents: ['Connect'] }));
      await ensureServiceNotification(pools[1]!.forRegion('us-east-1'), service.serviceId, topicArn);
      assert.equal((await serviceNotifications(pools[0]!.forRegion('us-east-1'), service.serviceId, topicArn)).length, 1);
    } finally {
      for (const pool of pools) pool.destroy();
    }
  });

  test('/usr/bin/aws describes the notifications', async () => {
    const p = h.cloud.accounts.provider;
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: p.accessKeyId,
      AWS_SECRET_ACCESS_KEY: p.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    });
    const run = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile('/usr/bin/aws', [...args, '--endpoint-url', h.url, '--region', 'us-east-1', '--output', 'json'], { env, timeout: 60_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(stderr)) : resolve(stdout),
        ),
      );
    const listed = JSON.parse(await run(['ec2', 'describe-vpc-endpoint-connection-notifications', '--filters', `Name=service-id,Values=${svc.serviceId}`]));
    assert.equal(listed.ConnectionNotificationSet.length, 1);
    assert.equal(listed.ConnectionNotificationSet[0].ConnectionNotificationArn, topicArn);
  });
});
