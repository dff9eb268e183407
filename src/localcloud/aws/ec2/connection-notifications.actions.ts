import type { ActionContext } from '../action-context.js';
import { AwsQueryError } from '../aws-query-error.js';
import { ec2Id } from '../ids.js';
import { parseFilters } from '../query-params.js';
import type { ConnectionNotification } from '../store/messaging.repository.js';
import { element, leaf, list, scalarList, xml, type Xml } from '../xml.js';
import { checkClientToken } from './client-token.js';
import { CONNECTION_EVENTS } from './connection-events.js';
import { checkVpcEndpointId, invalidParameter, invalidParameterValue, missingParameter, required } from './ec2-errors.js';
import type { UnsuccessfulItem } from './ec2-render.js';
import { renderUnsuccessful } from './ec2-render.js';
import { ownService } from './endpoint-services.actions.js';
import { applyFilters } from './filters.js';
import { paginate } from './paging.js';

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function notificationNotFound(id: string): AwsQueryError {
  return new AwsQueryError('InvalidConnectionNotification', `The connection notification '${id}' does not exist`);
}

function renderNotification(n: Omit<ConnectionNotification, 'seq'>): Xml {
  return xml(
    leaf('connectionNotificationId', n.notificationId),
    leaf('serviceId', n.serviceId),
    leaf('vpcEndpointId', n.vpcEndpointId),
    leaf('connectionNotificationType', 'Topic'),
    leaf('connectionNotificationArn', n.topicArn),
    scalarList('connectionEvents', 'item', n.events),
    leaf('connectionNotificationState', n.state),
    leaf('serviceRegion', n.region),
  );
}

/**
 * CreateVpcEndpointConnectionNotification: `ServiceId` (one of the caller's services) or
 * `VpcEndpointId` (one of its endpoints), `ConnectionNotificationArn` (an SNS topic ARN),
 * `ConnectionEvents.N` (Accept, Connect, Delete, Reject), `ClientToken`. The notification is
 * `Enabled` at once; its id is `vpce-nfn-` + 17 hex.
 */
export async function createVpcEndpointConnectionNotification(ctx: ActionContext): Promise<Xml> {
  const topicArn = required(ctx.params, 'ConnectionNotificationArn');
  const events = ctx.params.list('ConnectionEvents');
  if (events.length === 0) throw missingParameter('ConnectionEvents');
  for (const event of events) {
    if (!(CONNECTION_EVENTS as readonly string[]).includes(event))
      throw invalidParameterValue(`Invalid connection event: ${event}. Valid values are Accept, Connect, Delete and Reject.`);
  }
  if (!TOPIC_ARN.test(topicArn)) throw invalidParameterValue(`Invalid SNS topic ARN: ${topicArn}`);
  const serviceId = ctx.params.get('ServiceId');
  const vpcEndpointId = ctx.params.get('VpcEndpointId');
  if (Boolean(serviceId) === Boolean(vpcEndpointId)) throw invalidParameter('Specify either a VPC endpoint ID or a VPC endpoint service ID, but not both.');
  const idempotency = await checkClientToken(ctx);
  if (idempotency.existingId) {
    const earlier = (await ctx.repos.messaging.listNotifications(ctx.account.accountId, ctx.region.regionName)).find((n) => n.notificationId === idempotency.existingId);
    if (earlier) return xml(element('connectionNotification', renderNotification(earlier)), leaf('clientToken', idempotency.token));
  }
  if (serviceId) await ownService(ctx, serviceId);
  if (vpcEndpointId) {
    checkVpcEndpointId(vpcEndpointId);
    const endpoint = await ctx.repos.endpoints.findEndpoint(vpcEndpointId);
    if (!endpoint || endpoint.accountId !== ctx.account.accountId || endpoint.region !== ctx.region.regionName) {
      throw new AwsQueryError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${vpcEndpointId}' does not exist`);
    }
  }
  const notification: Omit<ConnectionNotification, 'seq'> = {
    notificationId: ec2Id('vpce-nfn'),
    accountId: ctx.account.accountId,
    region: ctx.region.regionName,
    serviceId: serviceId ?? null,
    vpcEndpointId: vpcEndpointId ?? null,
    topicArn,
    events: [...new Set(events)],
    state: 'Enabled',
    createdAt: ctx.now,
  };
  await ctx.repos.messaging.insertNotification(notification);
  await idempotency.remember(notification.notificationId);
  return xml(element('connectionNotification', renderNotification(notification)), leaf('clientToken', idempotency.token));
}

/**
 * DescribeVpcEndpointConnectionNotifications: the caller's notifications in the region;
 * `ConnectionNotificationId` (unknown: InvalidConnectionNotification), filters
 * connection-notification-arn, connection-notification-id, connection-notification-state,
 * connection-notification-type, service-id, vpc-endpoint-id; paging (≤1000).
 */
export async function describeVpcEndpointConnectionNotifications(ctx: ActionContext): Promise<Xml> {
  let notifications = await ctx.repos.messaging.listNotifications(ctx.account.accountId, ctx.region.regionName);
  const wanted = ctx.params.get('ConnectionNotificationId');
  if (wanted) {
    notifications = notifications.filter((n) => n.notificationId === wanted);
    if (notifications.length === 0) throw notificationNotFound(wanted);
  }
  notifications = applyFilters(notifications, parseFilters(ctx.params), {
    'connection-notification-arn': (n) => n.topicArn,
    'connection-notification-id': (n) => n.notificationId,
    'connection-notification-state': (n) => n.state,
    'connection-notification-type': () => 'Topic',
    'service-id': (n) => n.serviceId ?? undefined,
    'vpc-endpoint-id': (n) => n.vpcEndpointId ?? undefined,
  });
  const { page, nextToken } = await paginate(notifications, ctx.params, { min: 5, max: 1000, clampAboveMax: true });
  return xml(list('connectionNotificationSet', 'item', page, renderNotification), leaf('nextToken', nextToken));
}

/** DeleteVpcEndpointConnectionNotifications: `ConnectionNotificationId.N`; unknown ids come back in `unsuccessful`. */
export async function deleteVpcEndpointConnectionNotifications(ctx: ActionContext): Promise<Xml> {
  const ids = ctx.params.list('ConnectionNotificationId');
  if (ids.length === 0) throw missingParameter('ConnectionNotificationId');
  const mine = new Set((await ctx.repos.messaging.listNotifications(ctx.account.accountId, ctx.region.regionName)).map((n) => n.notificationId));
  const unsuccessful: UnsuccessfulItem[] = [];
  for (const id of ids) {
    if (!mine.has(id)) {
      unsuccessful.push({ resourceId: id, code: 'InvalidConnectionNotification', message: notificationNotFound(id).message });
      continue;
    }
    await ctx.repos.messaging.deleteNotification(id);
  }
  return renderUnsuccessful(unsuccessful);
}
