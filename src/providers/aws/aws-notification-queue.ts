import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { aws } from './aws-errors.js';

/** What privlink takes from one VPC endpoint connection notification. */
export type ParsedConnectionNotification =
  | { readonly kind: 'endpoint'; readonly endpointId: string; readonly state: string; readonly event: string | undefined }
  | { readonly kind: 'malformed'; readonly reason: string };

/** One message read from the queue; `ack()` deletes it (call once it has been handled). */
export interface ReceivedNotification {
  readonly messageId: string;
  readonly notification: ParsedConnectionNotification;
  ack(): Promise<void>;
}

/** How the queue is reached: its URL, the SDK client's region, and (local cloud) endpoint and credentials. */
export interface NotificationQueueConnection {
  readonly queueUrl: string;
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
}

/** A VPC endpoint id (not a service `vpce-svc-…` nor a notification `vpce-nfn-…`). */
const ENDPOINT_ID = /\bvpce-(?!svc-|nfn-)[0-9a-f]{8,17}\b/;

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function firstString(source: Record<string, unknown>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = source[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/**
 * Parses one queue message: SNS's JSON envelope (`Type: Notification`, the notification in
 * `Message`), or the bare notification when the subscription delivers raw messages. The endpoint
 * is taken from `vpcEndpointId` (or `VpcEndpointId` / `endpointId`), else from the first VPC
 * endpoint id in the message text; the state from `vpcEndpointState` / `state`, the event from
 * `eventType` / `connectionEvent`. Anything without an endpoint id is `malformed`. Never throws.
 */
export function parseConnectionNotification(body: string): ParsedConnectionNotification {
  let outer: Record<string, unknown> | undefined;
  try {
    outer = record(JSON.parse(body));
  } catch {
    return { kind: 'malformed', reason: 'the message is not JSON' };
  }
  if (!outer) return { kind: 'malformed', reason: 'the message is not a JSON object' };
  let text = body;
  let inner: Record<string, unknown> = outer;
  if (outer.Type === 'Notification') {
    if (typeof outer.Message !== 'string') return { kind: 'malformed', reason: 'the SNS envelope has no Message' };
    text = outer.Message;
    try {
      inner = record(JSON.parse(text)) ?? {};
    } catch {
      inner = {};
    }
  } else if (typeof outer.Type === 'string') {
    return { kind: 'malformed', reason: `an SNS ${outer.Type} message, not a notification` };
  }
  const endpointId = firstString(inner, ['vpcEndpointId', 'VpcEndpointId', 'endpointId']) ?? ENDPOINT_ID.exec(text)?.[0];
  if (!endpointId || !/^vpce-[0-9a-z]+$/.test(endpointId)) return { kind: 'malformed', reason: 'no VPC endpoint id in the notification' };
  return {
    kind: 'endpoint',
    endpointId,
    state: firstString(inner, ['vpcEndpointState', 'VpcEndpointState', 'state']) ?? 'changed',
    event: firstString(inner, ['eventType', 'connectionEvent', 'ConnectionEvent']),
  };
}

/**
 * The SQS queue the connection notifications arrive in. `receive` long-polls (up to 20 s, up to
 * 10 messages) and hands each message back parsed with its `ack`; several replicas may read the
 * same queue: SQS hides a received message from the others for the visibility timeout, and a
 * message not acked in time is received again (handling one twice only enqueues twice).
 * Errors are thrown as ProviderError.
 */
export class AwsNotificationQueue {
  private readonly sqs: SQSClient;

  constructor(private readonly connection: NotificationQueueConnection) {
    this.sqs = new SQSClient({
      region: connection.region,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 30_000, connectionTimeout: 5_000 },
      ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
      ...(connection.credentials ? { credentials: connection.credentials } : {}),
    });
  }

  async receive(waitSeconds: number, signal: AbortSignal): Promise<ReceivedNotification[]> {
    const queueUrl = this.connection.queueUrl;
    const answer = await aws(() =>
      this.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: Math.min(20, Math.max(0, waitSeconds)) }), { abortSignal: signal }),
    );
    return (answer.Messages ?? []).map((message) => ({
      messageId: message.MessageId ?? '',
      notification: parseConnectionNotification(message.Body ?? ''),
      ack: async () => {
        if (message.ReceiptHandle) await aws(() => this.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle })));
      },
    }));
  }

  close(): void {
    this.sqs.destroy();
  }
}
