import { sql, type Selectable } from 'kysely';
import type { EventRecord } from '../domain/event.js';
import { newObjectId } from '../domain/object-id.js';
import type { Webhook, WebhookAttempt, WebhookWithSecret } from '../domain/webhook.js';
import type { Executor } from './database.js';
import { EventsRepository } from './events.repository.js';
import type { WebhooksTable } from './schema.js';

/** A delivery due now: the oldest pending one of its webhook, with its event. */
export interface DueDelivery {
  readonly id: string;
  readonly eventId: string;
  /** Attempts made so far. */
  readonly attempts: number;
  readonly event: EventRecord | undefined;
}

/**
 * Webhooks, their delivery outbox and the delivery log. Deliveries of one webhook go out one at a
 * time, oldest event first: a worker leases the webhook (not single deliveries) with
 * `FOR UPDATE SKIP LOCKED`, so replicas share webhooks without ever reordering one's events.
 */
export class WebhooksRepository {
  constructor(private readonly db: Executor) {}

  async insert(webhook: WebhookWithSecret): Promise<void> {
    await this.db
      .insertInto('webhooks')
      .values({
        id: webhook.id,
        project_id: webhook.projectId,
        url: webhook.url,
        secret: webhook.secret,
        enabled: webhook.enabled,
        disabled_reason: webhook.disabledReason,
        consecutive_failures: webhook.consecutiveFailures,
        created_at: webhook.createdAt,
      })
      .execute();
  }

  async listByProject(projectId: string): Promise<Webhook[]> {
    const rows = await this.db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toWebhook);
  }

  async find(projectId: string, id: string): Promise<Webhook | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return row && toWebhook(row);
  }

  /** Removes a webhook with its pending deliveries and its log; false when there was none. */
  async delete(projectId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('webhooks').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Queues a delivery of an event to each of these webhooks (its project's enabled ones, in the event's transaction). */
  async queueDeliveries(webhookIds: readonly string[], eventId: string, now: Date): Promise<void> {
    if (webhookIds.length === 0) return;
    await this.db
      .insertInto('webhook_deliveries')
      .values(webhookIds.map((id) => ({ id: newObjectId(now), webhook_id: id, event_id: eventId, state: 'PENDING', attempts: 0, due_at: now, created_at: now })))
      .execute();
  }

  /**
   * Leases up to `limit` enabled webhooks whose oldest pending delivery is due, and that no live
   * lease holds, to `owner` for `leaseMs`. Returns them with their secrets.
   */
  /**
   * Whether any delivery is pending and due: a read, so idle delivery workers poll without writing
   * (a write would move the store's write counter and drop the data plane's cached answers).
   */
  async anyDue(): Promise<boolean> {
    const result = await sql`select 1 from webhook_deliveries where state = 'PENDING' and due_at <= now() limit 1`.execute(this.db);
    return result.rows.length > 0;
  }

  async claim(owner: string, limit: number, leaseMs: number): Promise<WebhookWithSecret[]> {
    const result = await sql<Selectable<WebhooksTable>>`
      update webhooks w
         set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${leaseMs / 1000})
        from (select h.id from webhooks h
               where h.enabled and (h.lease_until is null or h.lease_until < now())
                 and (select d.due_at from webhook_deliveries d
                       where d.webhook_id = h.id and d.state = 'PENDING'
                       order by d.created_at, d.event_id limit 1) <= now()
               order by h.id
               limit ${limit}
               for update skip locked) c
       where w.id = c.id
      returning w.*`.execute(this.db);
    return result.rows.map((row) => ({ ...toWebhook(row), secret: row.secret }));
  }

  /** Extends the lease; false when it was lost (another owner took the webhook over, or it was deleted or disabled). */
  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const result = await sql`
      update webhooks set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
       where id = ${id} and lease_owner = ${owner} and enabled`.execute(this.db);
    return Number(result.numAffectedRows ?? 0) > 0;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db.updateTable('webhooks').set({ lease_owner: null, lease_until: null }).where('id', '=', id).where('lease_owner', '=', owner).execute();
  }

  /** Drops every lease (start of a process that knows it is alone: PGlite behind its lock). */
  async releaseAllLeases(): Promise<void> {
    await this.db.updateTable('webhooks').set({ lease_owner: null, lease_until: null }).where('lease_owner', 'is not', null).execute();
  }

  /** The webhook's oldest pending delivery when it is due now (a later one never overtakes it). */
  async nextDue(webhookId: string): Promise<DueDelivery | undefined> {
    const row = await sql<{ id: string; event_id: string; attempts: number; due: boolean }>`
      select id, event_id, attempts, due_at <= now() as due from webhook_deliveries
       where webhook_id = ${webhookId} and state = 'PENDING'
       order by created_at, event_id limit 1`.execute(this.db);
    const head = row.rows[0];
    if (!head || !head.due) return undefined;
    return { id: head.id, eventId: head.event_id, attempts: Number(head.attempts), event: await new EventsRepository(this.db).findById(head.event_id) };
  }

  /** Records one attempt in the log. */
  async recordAttempt(attempt: WebhookAttempt): Promise<void> {
    await this.db
      .insertInto('webhook_attempts')
      .values({
        id: attempt.id,
        webhook_id: attempt.webhookId,
        delivery_id: attempt.deliveryId,
        event_id: attempt.eventId,
        attempt: attempt.attempt,
        outcome: attempt.outcome,
        status_code: attempt.statusCode,
        duration_ms: attempt.durationMs,
        error: attempt.error,
        started_at: attempt.startedAt,
      })
      .execute();
  }

  /** The delivery is done: delivered (2xx) and the webhook's failure streak ends. */
  async delivered(webhookId: string, deliveryId: string, attempts: number): Promise<void> {
    await sql`update webhook_deliveries set state = 'DELIVERED', attempts = ${attempts}, last_error = null, finished_at = now() where id = ${deliveryId}`.execute(this.db);
    await this.db.updateTable('webhooks').set({ consecutive_failures: 0 }).where('id', '=', webhookId).execute();
  }

  /**
   * A failed attempt: the delivery is retried after `retryInMs`, or given up (FAILED) when null;
   * the webhook's failure streak grows, and at `disableAt` the webhook is disabled with `reason`.
   * Returns the streak and whether this call disabled the webhook.
   */
  async failed(
    webhookId: string,
    deliveryId: string,
    attempts: number,
    error: string,
    retryInMs: number | null,
    disableAt: number,
    reason: (streak: number) => string,
  ): Promise<{ streak: number; disabled: boolean }> {
    if (retryInMs === null) {
      await sql`update webhook_deliveries set state = 'FAILED', attempts = ${attempts}, last_error = ${error}, finished_at = now() where id = ${deliveryId}`.execute(this.db);
    } else {
      await sql`update webhook_deliveries set attempts = ${attempts}, last_error = ${error}, due_at = now() + make_interval(secs => ${retryInMs / 1000}) where id = ${deliveryId}`.execute(
        this.db,
      );
    }
    const row = await sql<{ consecutive_failures: number }>`
      update webhooks set consecutive_failures = consecutive_failures + 1 where id = ${webhookId} returning consecutive_failures`.execute(this.db);
    const streak = Number(row.rows[0]?.consecutive_failures ?? 0);
    if (streak < disableAt) return { streak, disabled: false };
    const disabled = await sql`update webhooks set enabled = false, disabled_reason = ${reason(streak)} where id = ${webhookId} and enabled`.execute(this.db);
    return { streak, disabled: Number(disabled.numAffectedRows ?? 0) > 0 };
  }

  /** Turns a disabled webhook back on; its pending deliveries go out again from the oldest. */
  async enable(projectId: string, id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhooks')
      .set({ enabled: true, disabled_reason: null, consecutive_failures: 0 })
      .where('project_id', '=', projectId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** A page of a webhook's delivery log, newest attempt first, with the total. */
  async listAttempts(webhookId: string, limit: number, offset: number): Promise<{ attempts: WebhookAttempt[]; total: number }> {
    const total = await this.db
      .selectFrom('webhook_attempts')
      .where('webhook_id', '=', webhookId)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return {
      total: Number(total.n),
      attempts: rows.map((r) => ({
        id: r.id,
        webhookId: r.webhook_id,
        deliveryId: r.delivery_id,
        eventId: r.event_id,
        attempt: Number(r.attempt),
        outcome: r.outcome as WebhookAttempt['outcome'],
        statusCode: r.status_code === null ? null : Number(r.status_code),
        durationMs: Number(r.duration_ms),
        error: r.error,
        startedAt: r.started_at,
      })),
    };
  }
}

function toWebhook(row: Selectable<WebhooksTable>): Webhook {
  return {
    id: row.id,
    projectId: row.project_id,
    url: row.url,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    consecutiveFailures: Number(row.consecutive_failures),
    createdAt: row.created_at,
  };
}
