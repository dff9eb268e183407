import { randomUUID } from 'node:crypto';
import type { Repositories } from '../store/repositories.js';

/** What one publish carries. */
export interface Publication {
  readonly subject: string | undefined;
  readonly message: string;
}

/**
 * Delivers one message published to `topicArn` to every SQS queue subscribed to the topic, inside
 * the caller's transaction: the queue gets SNS's JSON envelope (`Type: Notification`, `MessageId`,
 * `TopicArn`, `Subject`, `Message`, `Timestamp`, signature fields), or the bare message for a raw
 * subscription. Subscriptions to queues that no longer exist are skipped (SNS drops them too).
 * Returns the message id SNS answers Publish with.
 */
export async function deliverToSubscribers(repos: Repositories, topicArn: string, publication: Publication, now: Date): Promise<string> {
  const messageId = randomUUID();
  const region = topicArn.split(':')[3] ?? 'us-east-1';
  for (const subscription of await repos.messaging.subscriptionsOf(topicArn)) {
    if (subscription.protocol !== 'sqs') continue;
    const queue = await repos.messaging.findQueueByArn(subscription.endpoint);
    if (!queue) continue;
    const envelope = {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: topicArn,
      ...(publication.subject !== undefined ? { Subject: publication.subject } : {}),
      Message: publication.message,
      Timestamp: now.toISOString(),
      SignatureVersion: '1',
      Signature: Buffer.from(`local-cloud:${messageId}`).toString('base64'),
      SigningCertURL: `https://sns.${region}.amazonaws.com/SimpleNotificationService-local-cloud.pem`,
      UnsubscribeURL: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscription.subscriptionArn)}`,
    };
    await repos.messaging.insertMessage({
      messageId: randomUUID(),
      queueArn: queue.queueArn,
      body: subscription.rawDelivery ? publication.message : JSON.stringify(envelope),
      sentAt: now,
      visibleAt: now,
      receiptHandle: null,
      receiveCount: 0,
    });
  }
  return messageId;
}
