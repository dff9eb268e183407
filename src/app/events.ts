import { eventTransition, type EventTransition } from '../domain/event-transition.js';
import { newObjectId } from '../domain/object-id.js';
import type { Repositories } from '../store/repositories.js';

/**
 * Activity-feed event types privlink records (Atlas enum names where Atlas has one).
 * Recorded in the same transaction as the change they describe.
 */
export type EventType =
  | 'GROUP_CREATED'
  | 'GROUP_DELETED'
  | 'CLUSTER_CREATED'
  | 'CLUSTER_READY'
  | 'CLUSTER_UPDATE_SUBMITTED'
  | 'CLUSTER_DELETE_SUBMITTED'
  | 'CLUSTER_DELETED'
  | 'ENDPOINT_SERVICE_CREATED'
  | 'ENDPOINT_SERVICE_AVAILABLE'
  | 'ENDPOINT_SERVICE_FAILED'
  | 'ENDPOINT_SERVICE_DELETE_REQUESTED'
  | 'ENDPOINT_SERVICE_DELETED'
  | 'INTERFACE_ENDPOINT_CREATED'
  | 'INTERFACE_ENDPOINT_STATUS_CHANGED'
  | 'INTERFACE_ENDPOINT_DELETE_REQUESTED'
  | 'INTERFACE_ENDPOINT_DELETED'
  | 'REGIONALIZED_PRIVATE_ENDPOINT_MODE_ENABLED'
  | 'REGIONALIZED_PRIVATE_ENDPOINT_MODE_DISABLED'
  | 'PRIVATE_ENDPOINT_CONNECTION_STRINGS_PUBLISHED'
  | 'PRIVATE_ENDPOINT_CONNECTION_STRINGS_WITHDRAWN'
  | 'PROJECT_LIMIT_UPDATED'
  | 'SERVERLESS_INSTANCE_CREATED'
  | 'SERVERLESS_INSTANCE_READY'
  | 'SERVERLESS_INSTANCE_UPDATED'
  | 'SERVERLESS_INSTANCE_DELETE_SUBMITTED'
  | 'SERVERLESS_INSTANCE_DELETED'
  | 'TENANT_ENDPOINT_CREATED'
  | 'TENANT_ENDPOINT_RESERVED'
  | 'TENANT_ENDPOINT_RESERVATION_FAILED'
  | 'TENANT_ENDPOINT_UPDATED'
  | 'TENANT_ENDPOINT_INITIATING'
  | 'TENANT_ENDPOINT_AVAILABLE'
  | 'TENANT_ENDPOINT_FAILED'
  | 'TENANT_ENDPOINT_DELETING'
  | 'TENANT_ENDPOINT_DELETED'
  | 'MONGODB_USER_ADDED'
  | 'MONGODB_USER_UPDATED'
  | 'MONGODB_USER_DELETED';

/**
 * Records an event and, in the same transaction, queues its delivery to each enabled webhook of
 * the project (so a delivery exists exactly when the event does). `transition` adds what the type
 * and payload do not say (the status before, a sub-state); see domain/event-transition.ts.
 */
export async function recordEvent(
  repos: Repositories,
  event: {
    orgId: string;
    projectId: string | null;
    type: EventType;
    targetId?: string | null;
    payload?: Record<string, unknown>;
    transition?: Partial<Pick<EventTransition, 'oldStatus' | 'newStatus' | 'subState'>>;
  },
  now: Date,
): Promise<void> {
  const id = newObjectId(now);
  const payload = event.payload ?? {};
  const targetId = event.targetId ?? null;
  const webhooks = await repos.events.insert({
    id,
    orgId: event.orgId,
    projectId: event.projectId,
    eventType: event.type,
    targetId,
    payload,
    transition: eventTransition(event.type, targetId, payload, event.transition),
    createdAt: now,
  });
  await repos.webhooks.queueDeliveries(webhooks, id, now);
}
