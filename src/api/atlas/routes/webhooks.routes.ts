import * as webhooks from '../../../app/webhooks.service.js';
import type { Webhook, WebhookAttempt } from '../../../domain/webhook.js';
import { projectAccess } from '../../route-access.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { iso } from '../serializers/identity.serializer.js';
import type { WebhookAttemptWire, WebhookListWire, WebhookWire } from '../wire/webhooks.wire.js';

const LIST = '/groups/:groupId/privlink/webhooks';
const ONE = `${LIST}/:webhookId`;

/**
 * privlink extension (v2 only): project webhooks. Project Owner writes, Project Read Only reads.
 * `GET|POST /groups/{groupId}/privlink/webhooks`, `GET|DELETE …/webhooks/{webhookId}`,
 * `POST …/webhooks/{webhookId}/enable`, `GET …/webhooks/{webhookId}/deliveries` (the delivery log).
 */
export function webhooksRoutes(r: RouteRegistrar): void {
  const v2Only = true;
  r.get(
    LIST,
    async ({ ctx, principal, params }) => {
      const list = (await webhooks.listWebhooks(ctx, principal, params.groupId!)).map((w) => webhookJson(w));
      const body: WebhookListWire<WebhookWire> = { results: list, totalCount: list.length };
      return { status: 200, body };
    },
    { v2Only },
  );
  r.post(
    LIST,
    async ({ ctx, principal, params, body }) => {
      const created = await webhooks.createWebhook(ctx, principal, params.groupId!, webhooks.parseWebhookInput(body));
      return { status: 201, body: webhookJson(created, created.secret) };
    },
    { v2Only, access: projectAccess('write') },
  );
  r.get(ONE, async ({ ctx, principal, params }) => ({ status: 200, body: webhookJson(await webhooks.getWebhook(ctx, principal, params.groupId!, params.webhookId!)) }), {
    v2Only,
  });
  r.delete(
    ONE,
    async ({ ctx, principal, params }) => {
      await webhooks.deleteWebhook(ctx, principal, params.groupId!, params.webhookId!);
      return { status: 204 };
    },
    { v2Only },
  );
  r.post(
    `${ONE}/enable`,
    async ({ ctx, principal, params }) => ({ status: 200, body: webhookJson(await webhooks.enableWebhook(ctx, principal, params.groupId!, params.webhookId!)) }),
    { v2Only, access: projectAccess('write') },
  );
  r.get(
    `${ONE}/deliveries`,
    async ({ ctx, principal, params, query }) => {
      const page = await webhooks.listDeliveryAttempts(ctx, principal, params.groupId!, params.webhookId!, query as Record<string, string>);
      const body: WebhookListWire<WebhookAttemptWire> = { results: page.attempts.map(attemptJson), totalCount: page.total };
      return { status: 200, body };
    },
    { v2Only },
  );
}

function webhookJson(webhook: Webhook, secret?: string): WebhookWire {
  return {
    id: webhook.id,
    groupId: webhook.projectId,
    url: webhook.url,
    enabled: webhook.enabled,
    disabledReason: webhook.disabledReason,
    consecutiveFailures: webhook.consecutiveFailures,
    created: iso(webhook.createdAt),
    ...(secret !== undefined ? { secret } : {}),
  };
}

function attemptJson(attempt: WebhookAttempt): WebhookAttemptWire {
  return {
    id: attempt.id,
    deliveryId: attempt.deliveryId,
    eventId: attempt.eventId,
    attempt: attempt.attempt,
    outcome: attempt.outcome,
    statusCode: attempt.statusCode,
    durationMs: attempt.durationMs,
    error: attempt.error,
    started: iso(attempt.startedAt),
  };
}
