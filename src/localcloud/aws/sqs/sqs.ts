import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Store } from '../../../store/database.js';
import { requestId as newRequestId } from '../ids.js';
import { authenticateMessaging, MessagingAuthError } from '../messaging-auth.js';
import { carriesNul, NUL_REFUSED } from '../../common/nul-character.js';
import { valueAsText } from '../../common/value-as-text.js';
import type { Account } from '../model.js';
import type { SignedRequest } from '../sigv4.js';
import type { SqsMessage, SqsQueue } from '../store/messaging.repository.js';
import { repositories } from '../store/repositories.js';
import { inLocalCloudTransaction, localCloudDb } from '../store/schema.js';

/** The AWS JSON 1.0 target prefix of SQS (`X-Amz-Target: AmazonSQS.ReceiveMessage`). */
export const SQS_TARGET = 'AmazonSQS.';
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** How often a long poll looks for a message while it waits. */
const LONG_POLL_STEP_MS = 100;

/** An SQS error: `__type` (`com.amazonaws.sqs#<Code>`), its message, and the query-compatible code AWS sends in `x-amzn-query-error`. */
class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly queryCode: string = code,
    readonly status = 400,
  ) {
    super(message);
  }
}

const queueMissing = () => new SqsError('QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');

export interface SqsAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly requestId: string;
  readonly internalError?: unknown;
}

interface SqsContext {
  readonly store: Store;
  readonly account: Account;
  readonly region: string;
  readonly now: () => Date;
  readonly input: Record<string, unknown>;
  /** `http://<host>` the request came to: queue URLs point back at this endpoint. */
  readonly base: string;
  readonly closed: () => boolean;
}

type SqsAction = (ctx: SqsContext) => Promise<Record<string, unknown>>;

function text(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
  return value;
}

function integer(input: Record<string, unknown>, name: string, min: number, max: number, fallback: number): number {
  const value = input[name];
  if (value === undefined || value === null) return fallback;
  // A number or its text; anything else (an object, even one naming its own toString) is invalid.
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new SqsError('InvalidParameterValue', `Value ${valueAsText(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`);
  return n;
}

function md5(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

function queueUrl(ctx: SqsContext, queue: SqsQueue): string {
  return `${ctx.base}/${queue.accountId}/${queue.name}`;
}

/** The caller's queue named by `QueueUrl` (`…/<account>/<name>`). */
async function queueOf(ctx: SqsContext): Promise<SqsQueue> {
  const url = text(ctx.input, 'QueueUrl');
  const parts = url.replace(/\/+$/, '').split('/');
  const name = parts.at(-1) ?? '';
  const accountId = parts.at(-2) ?? '';
  if (accountId !== ctx.account.accountId) throw queueMissing();
  const queue = await repositories(localCloudDb(ctx.store)).messaging.findQueue(accountId, ctx.region, name);
  if (!queue) throw queueMissing();
  return queue;
}

/** Takes up to `max` visible messages of a queue and hides them for `visibility` seconds. */
async function take(ctx: SqsContext, queue: SqsQueue, max: number, visibility: number): Promise<Array<SqsMessage & { receiptHandle: string }>> {
  // A cheap look first, so an idle long poll does not take the emulator lock every step.
  if ((await repositories(localCloudDb(ctx.store)).messaging.visibleMessages(queue.queueArn, ctx.now(), 1)).length === 0) return [];
  return inLocalCloudTransaction(ctx.store, async (trx) => {
    const messaging = repositories(trx).messaging;
    const now = ctx.now();
    const taken: Array<SqsMessage & { receiptHandle: string }> = [];
    for (const message of await messaging.visibleMessages(queue.queueArn, now, max)) {
      const receiptHandle = randomBytes(48).toString('base64');
      await messaging.markReceived(message.messageId, receiptHandle, new Date(now.getTime() + visibility * 1000));
      taken.push({ ...message, receiptHandle, receiveCount: message.receiveCount + 1 });
    }
    return taken;
  });
}

const ACTIONS: Readonly<Record<string, SqsAction>> = {
  /** CreateQueue: `QueueName`, `Attributes.VisibilityTimeout` (default 30 s); an existing queue answers its URL. */
  async CreateQueue(ctx) {
    const name = text(ctx.input, 'QueueName');
    if (!QUEUE_NAME.test(name)) throw new SqsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    const attributes = (ctx.input.Attributes ?? {}) as Record<string, unknown>;
    const visibility = integer(attributes, 'VisibilityTimeout', 0, 43_200, 30);
    const queue = await inLocalCloudTransaction(ctx.store, async (trx) => {
      const messaging = repositories(trx).messaging;
      const existing = await messaging.findQueue(ctx.account.accountId, ctx.region, name);
      if (existing) return existing;
      const made: SqsQueue = {
        queueArn: `arn:aws:sqs:${ctx.region}:${ctx.account.accountId}:${name}`,
        accountId: ctx.account.accountId,
        region: ctx.region,
        name,
        visibilityTimeoutSeconds: visibility,
      };
      await messaging.insertQueue(made, ctx.now());
      return made;
    });
    return { QueueUrl: queueUrl(ctx, queue) };
  },
  /** GetQueueUrl: `QueueName`. */
  async GetQueueUrl(ctx) {
    const queue = await repositories(localCloudDb(ctx.store)).messaging.findQueue(ctx.account.accountId, ctx.region, text(ctx.input, 'QueueName'));
    if (!queue) throw queueMissing();
    return { QueueUrl: queueUrl(ctx, queue) };
  },
  /** GetQueueAttributes: `QueueUrl`; answers QueueArn and VisibilityTimeout. */
  async GetQueueAttributes(ctx) {
    const queue = await queueOf(ctx);
    return { Attributes: { QueueArn: queue.queueArn, VisibilityTimeout: String(queue.visibilityTimeoutSeconds) } };
  },
  /** SendMessage: `QueueUrl`, `MessageBody`, `DelaySeconds`. */
  async SendMessage(ctx) {
    const queue = await queueOf(ctx);
    const body = text(ctx.input, 'MessageBody');
    // A queue's default (and largest) MaximumMessageSize: 262,144 bytes (256 KiB).
    if (Buffer.byteLength(body) > 262_144) throw new SqsError('InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.');
    const delay = integer(ctx.input, 'DelaySeconds', 0, 900, 0);
    const now = ctx.now();
    const messageId = randomUUID();
    await inLocalCloudTransaction(ctx.store, async (trx) => {
      await repositories(trx).messaging.insertMessage({
        messageId,
        queueArn: queue.queueArn,
        body,
        sentAt: now,
        visibleAt: new Date(now.getTime() + delay * 1000),
        receiptHandle: null,
        receiveCount: 0,
      });
    });
    return { MessageId: messageId, MD5OfMessageBody: md5(body) };
  },
  /**
   * ReceiveMessage: `QueueUrl`, `MaxNumberOfMessages` (1–10, default 1), `WaitTimeSeconds` (0–20:
   * long polling, answering as soon as a message is visible), `VisibilityTimeout` (default the
   * queue's). A received message is hidden until its visibility timeout ends, then received again.
   */
  async ReceiveMessage(ctx) {
    const queue = await queueOf(ctx);
    const max = integer(ctx.input, 'MaxNumberOfMessages', 1, 10, 1);
    const wait = integer(ctx.input, 'WaitTimeSeconds', 0, 20, 0);
    const visibility = integer(ctx.input, 'VisibilityTimeout', 0, 43_200, queue.visibilityTimeoutSeconds);
    const deadline = Date.now() + wait * 1000;
    for (;;) {
      const taken = await take(ctx, queue, max, visibility);
      if (taken.length > 0) {
        return {
          Messages: taken.map((m) => ({
            MessageId: m.messageId,
            ReceiptHandle: m.receiptHandle,
            MD5OfBody: md5(m.body),
            Body: m.body,
            Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt.getTime()) },
          })),
        };
      }
      if (Date.now() >= deadline || ctx.closed()) return {};
      await new Promise((resolve) => setTimeout(resolve, Math.min(LONG_POLL_STEP_MS, Math.max(1, deadline - Date.now()))));
    }
  },
  /** DeleteMessage: `QueueUrl`, `ReceiptHandle` (of the latest receive of the message). Deleting a deleted message succeeds. */
  async DeleteMessage(ctx) {
    const queue = await queueOf(ctx);
    const handle = text(ctx.input, 'ReceiptHandle');
    if (!/^[A-Za-z0-9+/=]{16,}$/.test(handle)) throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
    await repositories(localCloudDb(ctx.store)).messaging.deleteByReceipt(queue.queueArn, handle);
    return {};
  },
};

function authError(error: MessagingAuthError): SqsError {
  const failure = error.failure;
  switch (failure.kind) {
    case 'missing':
      return new SqsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 'MissingAuthenticationToken', 403);
    case 'malformed':
      return new SqsError('IncompleteSignature', failure.detail, 'IncompleteSignature', 403);
    case 'scope':
      return new SqsError('SignatureDoesNotMatch', failure.detail, 'SignatureDoesNotMatch', 403);
    case 'unknownKey':
      return new SqsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 'InvalidClientTokenId', 403);
    case 'mismatch':
      return new SqsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', 'SignatureDoesNotMatch', 403);
  }
}

/**
 * Answers one SQS request in the AWS JSON 1.0 protocol the SDK v3 speaks (`X-Amz-Target:
 * AmazonSQS.<Operation>`, SigV4 scoped to `sqs`): CreateQueue, GetQueueUrl, GetQueueAttributes,
 * SendMessage, ReceiveMessage (long polling), DeleteMessage. `closed` ends held long polls early.
 */
export async function answerSqs(store: Store, now: () => Date, request: SignedRequest, closed: () => boolean): Promise<SqsAnswer> {
  const requestId = newRequestId();
  const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': requestId };
  try {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.slice(SQS_TARGET.length);
    const { account, region } = await authenticateMessaging(store, request, 'sqs').catch((error: unknown) => {
      throw error instanceof MessagingAuthError ? authError(error) : error;
    });
    const action = Object.hasOwn(ACTIONS, operation) ? ACTIONS[operation] : undefined;
    if (!action) throw new SqsError('UnsupportedOperation', `The operation ${operation} is not supported.`, 'AWS.SimpleQueueService.UnsupportedOperation');
    if (carriesNul(request.path, request.query, request.headers['content-type'], request.body)) throw new SqsError('InvalidParameterValue', NUL_REFUSED);
    let input: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(request.body.toString('utf8') || '{}');
      input = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new SqsError('InvalidParameterValue', 'The request body is not valid JSON.');
    }
    const host = String(request.headers.host ?? '127.0.0.1');
    const body = await action({ store, account, region, now, input, base: `http://${host}`, closed });
    return { status: 200, headers, body: JSON.stringify(body), requestId };
  } catch (error) {
    const failure = error instanceof SqsError ? error : new SqsError('InternalError', 'An internal error has occurred.', 'InternalError', 500);
    return {
      status: failure.status,
      headers: { ...headers, 'x-amzn-query-error': `${failure.queryCode};${failure.status >= 500 ? 'Receiver' : 'Sender'}` },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${failure.code}`, message: failure.message }),
      requestId,
      ...(error instanceof SqsError ? {} : { internalError: error }),
    };
  }
}
