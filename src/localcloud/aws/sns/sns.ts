import { randomUUID } from 'node:crypto';
import type { Store } from '../../../store/database.js';
import { requestId as newRequestId } from '../ids.js';
import { authenticateMessaging, MessagingAuthError } from '../messaging-auth.js';
import { carriesNul, NUL_REFUSED } from '../../common/nul-character.js';
import type { Account } from '../model.js';
import { QueryParams } from '../query-params.js';
import type { SignedRequest } from '../sigv4.js';
import type { Repositories } from '../store/repositories.js';
import { repositories } from '../store/repositories.js';
import { inLocalCloudTransaction } from '../store/schema.js';
import { escapeXml, leaf, list, xml, type Xml } from '../xml.js';
import { deliverToSubscribers } from './topic-delivery.js';

/** The SNS Query API version; the SigV4 service is `sns`. */
export const SNS_VERSION = '2010-03-31';
const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/** An SNS error: Query-protocol `Code`, `Message`, HTTP status. */
class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface SnsAnswer {
  readonly status: number;
  readonly body: string;
  readonly requestId: string;
  readonly internalError?: unknown;
}

interface SnsContext {
  readonly repos: Repositories;
  readonly account: Account;
  readonly region: string;
  readonly now: Date;
  readonly params: QueryParams;
}

type SnsAction = (ctx: SnsContext) => Promise<Xml>;

function required(params: QueryParams, name: string): string {
  const value = params.get(name);
  if (!value) throw new SnsError('InvalidParameter', `Invalid parameter: ${name}`);
  return value;
}

async function knownTopic(ctx: SnsContext, topicArn: string) {
  const topic = await ctx.repos.messaging.findTopic(topicArn);
  if (!topic || topic.accountId !== ctx.account.accountId || topic.region !== ctx.region) throw new SnsError('NotFound', 'Topic does not exist', 404);
  return topic;
}

const ACTIONS: Readonly<Record<string, SnsAction>> = {
  /** CreateTopic: `Name`; creating an existing topic answers its ARN (idempotent). */
  async CreateTopic(ctx) {
    const name = required(ctx.params, 'Name');
    if (!TOPIC_NAME.test(name)) throw new SnsError('InvalidParameter', 'Invalid parameter: Topic Name');
    const topicArn = `arn:aws:sns:${ctx.region}:${ctx.account.accountId}:${name}`;
    await ctx.repos.messaging.insertTopic({ topicArn, accountId: ctx.account.accountId, region: ctx.region, name }, ctx.now);
    return leaf('TopicArn', topicArn);
  },
  /** DeleteTopic: `TopicArn`; its subscriptions go with it. Deleting a missing topic succeeds. */
  async DeleteTopic(ctx) {
    await ctx.repos.messaging.deleteTopic(required(ctx.params, 'TopicArn'));
    return '' as Xml;
  },
  /**
   * Subscribe: `TopicArn`, `Protocol` (only `sqs` is delivered), `Endpoint` (the queue ARN),
   * `Attributes.entry.N` (`RawMessageDelivery`). SQS subscriptions are confirmed at once; the same
   * endpoint subscribed twice answers the same subscription.
   */
  async Subscribe(ctx) {
    const topic = await knownTopic(ctx, required(ctx.params, 'TopicArn'));
    const protocol = required(ctx.params, 'Protocol');
    const endpoint = required(ctx.params, 'Endpoint');
    if (protocol !== 'sqs') throw new SnsError('InvalidParameter', `Invalid parameter: Protocol (the local cloud delivers to sqs only, not ${protocol})`);
    if (!(await ctx.repos.messaging.findQueueByArn(endpoint))) throw new SnsError('InvalidParameter', 'Invalid parameter: SQS endpoint ARN');
    const existing = (await ctx.repos.messaging.subscriptionsOf(topic.topicArn)).find((s) => s.protocol === protocol && s.endpoint === endpoint);
    if (existing) return leaf('SubscriptionArn', existing.subscriptionArn);
    let raw = false;
    for (const entry of ctx.params.structs('Attributes.entry')) if (entry.get('key') === 'RawMessageDelivery') raw = entry.get('value') === 'true';
    const subscriptionArn = `${topic.topicArn}:${randomUUID()}`;
    await ctx.repos.messaging.insertSubscription({ subscriptionArn, topicArn: topic.topicArn, protocol, endpoint, rawDelivery: raw }, ctx.now);
    return leaf('SubscriptionArn', subscriptionArn);
  },
  /** ListSubscriptionsByTopic: `TopicArn`; every subscription in one page. */
  async ListSubscriptionsByTopic(ctx) {
    const topic = await knownTopic(ctx, required(ctx.params, 'TopicArn'));
    const subscriptions = await ctx.repos.messaging.subscriptionsOf(topic.topicArn);
    return list('Subscriptions', 'member', subscriptions, (s) =>
      xml(leaf('SubscriptionArn', s.subscriptionArn), leaf('Owner', topic.accountId), leaf('Protocol', s.protocol), leaf('Endpoint', s.endpoint), leaf('TopicArn', s.topicArn)),
    );
  },
  /** Publish: `TopicArn`, `Message`, `Subject`; delivered to the subscribed queues at once. */
  async Publish(ctx) {
    const topic = await knownTopic(ctx, required(ctx.params, 'TopicArn'));
    const message = ctx.params.get('Message');
    if (message === undefined || message === '') throw new SnsError('InvalidParameter', 'Invalid parameter: Empty message');
    const messageId = await deliverToSubscribers(ctx.repos, topic.topicArn, { subject: ctx.params.get('Subject'), message }, ctx.now);
    return leaf('MessageId', messageId);
  },
};

function errorBody(error: SnsError, requestId: string): string {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>\n`
  );
}

function authError(error: MessagingAuthError): SnsError {
  const failure = error.failure;
  switch (failure.kind) {
    case 'missing':
      return new SnsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'malformed':
      return new SnsError('IncompleteSignature', failure.detail, 403);
    case 'scope':
      return new SnsError('SignatureDoesNotMatch', failure.detail, 403);
    case 'unknownKey':
      return new SnsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    case 'mismatch':
      return new SnsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.', 403);
  }
}

/**
 * Answers one SNS Query request (POST form, Version 2010-03-31, SigV4 scoped to `sns`):
 * CreateTopic, DeleteTopic, Subscribe (sqs), ListSubscriptionsByTopic, Publish. Topics and
 * subscriptions are stored with the emulation's other resources.
 */
export async function answerSns(store: Store, now: () => Date, request: SignedRequest): Promise<SnsAnswer> {
  const requestId = newRequestId();
  try {
    const params = QueryParams.parse(request.method.toUpperCase() === 'POST' ? request.body.toString('utf8') : '', request.query);
    const { account, region } = await authenticateMessaging(store, request, 'sns').catch((error: unknown) => {
      throw error instanceof MessagingAuthError ? authError(error) : error;
    });
    if (carriesNul(request.path, request.query, request.headers['content-type'], request.body)) throw new SnsError('InvalidParameter', NUL_REFUSED);
    const action = params.get('Action') ?? '';
    const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler) throw new SnsError('InvalidAction', `The action ${action} is not valid for this web service.`);
    const result = await inLocalCloudTransaction(store, async (trx) => {
      return handler({ repos: repositories(trx), account, region, now: now(), params });
    });
    const resultXml = result.length === 0 ? `<${action}Result/>` : `<${action}Result>${result}</${action}Result>`;
    const body = `<${action}Response xmlns="${SNS_XMLNS}">${resultXml}<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>\n`;
    return { status: 200, body, requestId };
  } catch (error) {
    if (error instanceof SnsError) return { status: error.status, body: errorBody(error, requestId), requestId };
    return { status: 500, body: errorBody(new SnsError('InternalError', 'An internal error has occurred', 500), requestId), requestId, internalError: error };
  }
}
