import type { LcExecutor } from './schema.js';
import { json } from './schema.js';

/** A connection notification (EC2 `vpce-nfn-…`): endpoint events of one service or one endpoint, sent to an SNS topic. */
export interface ConnectionNotification {
  readonly notificationId: string;
  /** Creation order (paging). */
  readonly seq: number;
  readonly accountId: string;
  readonly region: string;
  readonly serviceId: string | null;
  readonly vpcEndpointId: string | null;
  readonly topicArn: string;
  readonly events: readonly string[];
  readonly state: 'Enabled' | 'Disabled';
  readonly createdAt: Date;
}

export interface SnsTopic {
  readonly topicArn: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
}

export interface SnsSubscription {
  readonly subscriptionArn: string;
  readonly topicArn: string;
  readonly protocol: string;
  /** For `sqs`: the queue's ARN. */
  readonly endpoint: string;
  readonly rawDelivery: boolean;
}

export interface SqsQueue {
  readonly queueArn: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly visibilityTimeoutSeconds: number;
}

export interface SqsMessage {
  readonly messageId: string;
  readonly queueArn: string;
  readonly body: string;
  readonly sentAt: Date;
  readonly visibleAt: Date;
  readonly receiptHandle: string | null;
  readonly receiveCount: number;
}

/** Connection notifications, SNS topics and subscriptions, SQS queues and messages. Thin queries. */
export class MessagingRepository {
  constructor(private readonly db: LcExecutor) {}

  async insertNotification(n: Omit<ConnectionNotification, 'seq'>): Promise<void> {
    await this.db
      .insertInto('lc_connection_notifications')
      .values({
        notification_id: n.notificationId,
        account_id: n.accountId,
        region: n.region,
        service_id: n.serviceId,
        vpc_endpoint_id: n.vpcEndpointId,
        topic_arn: n.topicArn,
        events: json(n.events),
        state: n.state,
        created_at: n.createdAt,
      })
      .execute();
  }

  /** The notifications an account made in a region, oldest first. */
  async listNotifications(accountId: string, region: string): Promise<ConnectionNotification[]> {
    const rows = await this.db.selectFrom('lc_connection_notifications').selectAll().where('account_id', '=', accountId).where('region', '=', region).orderBy('seq').execute();
    return rows.map(toNotification);
  }

  /** The notifications on one service or on one endpoint (every account). */
  async notificationsFor(serviceId: string, vpcEndpointId: string): Promise<ConnectionNotification[]> {
    const rows = await this.db
      .selectFrom('lc_connection_notifications')
      .selectAll()
      .where((eb) => eb.or([eb('service_id', '=', serviceId), eb('vpc_endpoint_id', '=', vpcEndpointId)]))
      .orderBy('seq')
      .execute();
    return rows.map(toNotification);
  }

  async deleteNotification(notificationId: string): Promise<void> {
    await this.db.deleteFrom('lc_connection_notifications').where('notification_id', '=', notificationId).execute();
  }

  async deleteNotificationsOfService(serviceId: string): Promise<void> {
    await this.db.deleteFrom('lc_connection_notifications').where('service_id', '=', serviceId).execute();
  }

  async findTopic(topicArn: string): Promise<SnsTopic | undefined> {
    const row = await this.db.selectFrom('lc_sns_topics').selectAll().where('topic_arn', '=', topicArn).executeTakeFirst();
    return row && { topicArn: row.topic_arn, accountId: row.account_id, region: row.region, name: row.name };
  }

  async insertTopic(topic: SnsTopic, now: Date): Promise<void> {
    await this.db
      .insertInto('lc_sns_topics')
      .values({ topic_arn: topic.topicArn, account_id: topic.accountId, region: topic.region, name: topic.name, created_at: now })
      .onConflict((oc) => oc.column('topic_arn').doNothing())
      .execute();
  }

  async deleteTopic(topicArn: string): Promise<void> {
    await this.db.deleteFrom('lc_sns_subscriptions').where('topic_arn', '=', topicArn).execute();
    await this.db.deleteFrom('lc_sns_topics').where('topic_arn', '=', topicArn).execute();
  }

  async subscriptionsOf(topicArn: string): Promise<SnsSubscription[]> {
    const rows = await this.db.selectFrom('lc_sns_subscriptions').selectAll().where('topic_arn', '=', topicArn).orderBy('seq').execute();
    return rows.map((r) => ({ subscriptionArn: r.subscription_arn, topicArn: r.topic_arn, protocol: r.protocol, endpoint: r.endpoint, rawDelivery: r.raw_delivery }));
  }

  async insertSubscription(s: SnsSubscription, now: Date): Promise<void> {
    await this.db
      .insertInto('lc_sns_subscriptions')
      .values({ subscription_arn: s.subscriptionArn, topic_arn: s.topicArn, protocol: s.protocol, endpoint: s.endpoint, raw_delivery: s.rawDelivery, created_at: now })
      .execute();
  }

  async findQueue(accountId: string, region: string, name: string): Promise<SqsQueue | undefined> {
    const row = await this.db.selectFrom('lc_sqs_queues').selectAll().where('account_id', '=', accountId).where('region', '=', region).where('name', '=', name).executeTakeFirst();
    return row && toQueue(row);
  }

  async findQueueByArn(queueArn: string): Promise<SqsQueue | undefined> {
    const row = await this.db.selectFrom('lc_sqs_queues').selectAll().where('queue_arn', '=', queueArn).executeTakeFirst();
    return row && toQueue(row);
  }

  async insertQueue(queue: SqsQueue, now: Date): Promise<void> {
    await this.db
      .insertInto('lc_sqs_queues')
      .values({
        queue_arn: queue.queueArn,
        account_id: queue.accountId,
        region: queue.region,
        name: queue.name,
        visibility_timeout_seconds: queue.visibilityTimeoutSeconds,
        created_at: now,
      })
      .execute();
  }

  async insertMessage(message: SqsMessage): Promise<void> {
    await this.db
      .insertInto('lc_sqs_messages')
      .values({
        message_id: message.messageId,
        queue_arn: message.queueArn,
        body: message.body,
        sent_at: message.sentAt,
        visible_at: message.visibleAt,
        receipt_handle: message.receiptHandle,
        receive_count: message.receiveCount,
      })
      .execute();
  }

  /** Up to `limit` messages of a queue visible at `now`, oldest first. */
  async visibleMessages(queueArn: string, now: Date, limit: number): Promise<SqsMessage[]> {
    const rows = await this.db.selectFrom('lc_sqs_messages').selectAll().where('queue_arn', '=', queueArn).where('visible_at', '<=', now).orderBy('seq').limit(limit).execute();
    return rows.map(toMessage);
  }

  /** Marks a message received: hidden until `visibleAt`, with a new receipt handle. */
  async markReceived(messageId: string, receiptHandle: string, visibleAt: Date): Promise<void> {
    await this.db
      .updateTable('lc_sqs_messages')
      .set((eb) => ({ receipt_handle: receiptHandle, visible_at: visibleAt, receive_count: eb('receive_count', '+', 1) }))
      .where('message_id', '=', messageId)
      .execute();
  }

  /** Deletes the message a receipt handle was issued for; whether one was deleted. */
  async deleteByReceipt(queueArn: string, receiptHandle: string): Promise<boolean> {
    const result = await this.db.deleteFrom('lc_sqs_messages').where('queue_arn', '=', queueArn).where('receipt_handle', '=', receiptHandle).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function toNotification(row: {
  notification_id: string;
  seq: number;
  account_id: string;
  region: string;
  service_id: string | null;
  vpc_endpoint_id: string | null;
  topic_arn: string;
  events: string[];
  state: string;
  created_at: Date;
}): ConnectionNotification {
  return {
    notificationId: row.notification_id,
    seq: row.seq,
    accountId: row.account_id,
    region: row.region,
    serviceId: row.service_id,
    vpcEndpointId: row.vpc_endpoint_id,
    topicArn: row.topic_arn,
    events: row.events,
    state: row.state === 'Disabled' ? 'Disabled' : 'Enabled',
    createdAt: row.created_at,
  };
}

function toQueue(row: { queue_arn: string; account_id: string; region: string; name: string; visibility_timeout_seconds: number }): SqsQueue {
  return { queueArn: row.queue_arn, accountId: row.account_id, region: row.region, name: row.name, visibilityTimeoutSeconds: row.visibility_timeout_seconds };
}

function toMessage(row: {
  message_id: string;
  queue_arn: string;
  body: string;
  sent_at: Date;
  visible_at: Date;
  receipt_handle: string | null;
  receive_count: number;
}): SqsMessage {
  return {
    messageId: row.message_id,
    queueArn: row.queue_arn,
    body: row.body,
    sentAt: row.sent_at,
    visibleAt: row.visible_at,
    receiptHandle: row.receipt_handle,
    receiveCount: row.receive_count,
  };
}
