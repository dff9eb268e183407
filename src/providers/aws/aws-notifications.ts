import {
  CreateVpcEndpointConnectionNotificationCommand,
  DeleteVpcEndpointConnectionNotificationsCommand,
  DescribeVpcEndpointConnectionNotificationsCommand,
  type ConnectionNotification,
} from '@aws-sdk/client-ec2';
import type { RegionClients } from './aws-clients.js';
import { aws } from './aws-errors.js';

/** Every event AWS announces for an endpoint service's connections. */
const EVENTS = ['Accept', 'Connect', 'Delete', 'Reject'];

/** The region of an SNS topic ARN (`arn:aws:sns:<region>:<account>:<name>`). */
export function topicRegion(topicArn: string): string {
  return topicArn.split(':')[3] ?? '';
}

/** The connection notifications of one endpoint service that publish to `topicArn`. */
export async function serviceNotifications(clients: RegionClients, serviceId: string, topicArn: string): Promise<ConnectionNotification[]> {
  const out: ConnectionNotification[] = [];
  let token: string | undefined;
  do {
    const page = await aws(() =>
      clients.ec2.send(new DescribeVpcEndpointConnectionNotificationsCommand({ Filters: [{ Name: 'service-id', Values: [serviceId] }], NextToken: token, MaxResults: 1000 })),
    );
    out.push(...(page.ConnectionNotificationSet ?? []).filter((n) => n.ServiceId === serviceId && n.ConnectionNotificationArn === topicArn));
    token = page.NextToken;
  } while (token);
  return out;
}

/**
 * Makes sure endpoint service `serviceId` has exactly one connection notification to `topicArn`
 * for every event. Idempotent and crash-safe without any stored state: it reads first (by the
 * service-id filter), creates only when none exists, and removes extras (two replicas never
 * reconcile one service at once, but a notification made by a pass whose answer was lost is
 * found here). Notifications of the service to other topics are left alone (an operator's own).
 */
export async function ensureServiceNotification(clients: RegionClients, serviceId: string, topicArn: string): Promise<void> {
  const existing = await serviceNotifications(clients, serviceId, topicArn);
  if (existing.length === 0) {
    await aws(() =>
      clients.ec2.send(
        new CreateVpcEndpointConnectionNotificationCommand({
          ServiceId: serviceId,
          ConnectionNotificationArn: topicArn,
          ConnectionEvents: EVENTS,
        }),
      ),
    );
    return;
  }
  const extras = existing.slice(1).map((n) => n.ConnectionNotificationId!);
  if (extras.length > 0) await aws(() => clients.ec2.send(new DeleteVpcEndpointConnectionNotificationsCommand({ ConnectionNotificationIds: extras })));
}

/** Whether the service has its notification to `topicArn` (read-only). */
export async function hasServiceNotification(clients: RegionClients, serviceId: string, topicArn: string): Promise<boolean> {
  return (await serviceNotifications(clients, serviceId, topicArn)).length === 1;
}

/** Removes the service's notifications to `topicArn` (before the service is deleted). */
export async function removeServiceNotifications(clients: RegionClients, serviceId: string, topicArn: string): Promise<void> {
  const ids = (await serviceNotifications(clients, serviceId, topicArn)).map((n) => n.ConnectionNotificationId!);
  if (ids.length > 0) await aws(() => clients.ec2.send(new DeleteVpcEndpointConnectionNotificationsCommand({ ConnectionNotificationIds: ids })));
}
