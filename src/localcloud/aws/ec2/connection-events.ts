import type { ActionContext } from '../action-context.js';
import type { VpcEndpoint } from '../model.js';
import { deliverToSubscribers } from '../sns/topic-delivery.js';

/** The endpoint events a connection notification can subscribe to (EC2 `ConnectionEvents`). */
export const CONNECTION_EVENTS = ['Accept', 'Connect', 'Delete', 'Reject'] as const;
export type ConnectionEvent = (typeof CONNECTION_EVENTS)[number];

/**
 * Announces one event on a customer's endpoint to every enabled connection notification of its
 * endpoint service (or of the endpoint itself) that subscribes to the event: the notification is
 * published to the notification's SNS topic, in the caller's transaction, so it is sent exactly
 * when the change commits. `state` is the endpoint's state after the event.
 *
 * The message names the endpoint, its owner, the service, the event and the state, with a
 * subject `Endpoint <id> Connection State Update`.
 */
export async function announceConnectionEvent(ctx: ActionContext, endpoint: VpcEndpoint, event: ConnectionEvent, state: string): Promise<void> {
  const notifications = await ctx.repos.messaging.notificationsFor(endpoint.serviceId, endpoint.vpcEndpointId);
  for (const notification of notifications) {
    if (notification.state !== 'Enabled' || !notification.events.includes(event)) continue;
    const message = {
      subject: `Endpoint ${endpoint.vpcEndpointId} Connection State Update`,
      time: ctx.now.toISOString(),
      region: endpoint.region,
      eventType: event,
      vpcEndpointId: endpoint.vpcEndpointId,
      vpcEndpointOwner: endpoint.accountId,
      serviceId: endpoint.serviceId,
      serviceName: endpoint.serviceName,
      vpcEndpointState: state,
      connectionNotificationId: notification.notificationId,
    };
    await deliverToSubscribers(ctx.repos, notification.topicArn, { subject: 'Endpoint Connection State Update', message: JSON.stringify(message) }, ctx.now);
  }
}
