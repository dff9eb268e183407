import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * VPC endpoint connection notifications and the two services they are delivered through:
 * `lc_connection_notifications` (EC2's `vpce-nfn-…`, on an endpoint service or an endpoint, to an
 * SNS topic), SNS topics and their subscriptions (`lc_sns_topics`, `lc_sns_subscriptions`), and
 * SQS queues with their messages (`lc_sqs_queues`, `lc_sqs_messages`; a message is invisible
 * until `visible_at`, and `receipt_handle` is the handle of its latest receive).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table if not exists lc_connection_notifications (
      notification_id text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      service_id text,
      vpc_endpoint_id text,
      topic_arn text not null,
      events jsonb not null,
      state text not null,
      created_at timestamptz not null
    );
    create index if not exists lc_connection_notifications_service on lc_connection_notifications (service_id);
    create table if not exists lc_sns_topics (
      topic_arn text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      name text not null,
      created_at timestamptz not null
    );
    create table if not exists lc_sns_subscriptions (
      subscription_arn text primary key,
      seq integer generated always as identity,
      topic_arn text not null,
      protocol text not null,
      endpoint text not null,
      raw_delivery boolean not null,
      created_at timestamptz not null
    );
    create table if not exists lc_sqs_queues (
      queue_arn text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      name text not null,
      visibility_timeout_seconds integer not null,
      created_at timestamptz not null
    );
    create table if not exists lc_sqs_messages (
      message_id text primary key,
      seq integer generated always as identity,
      queue_arn text not null,
      body text not null,
      sent_at timestamptz not null,
      visible_at timestamptz not null,
      receipt_handle text,
      receive_count integer not null
    );
    create index if not exists lc_sqs_messages_queue on lc_sqs_messages (queue_arn, visible_at);
  `,
  );
}
