import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Project webhooks and their outbox. `webhooks` holds each endpoint (URL, signing secret, whether
 * it is enabled and why not); `webhook_deliveries` one row per (webhook, event), written in the
 * transaction that records the event and claimed by delivery workers of any replica with
 * `FOR UPDATE SKIP LOCKED`; `webhook_attempts` one row per HTTP attempt (the delivery log).
 * `events.transition` adds what the webhook and stream payloads carry beyond Atlas's event shape
 * (object kind, old and new status, sub-state); older rows have none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table events add column transition jsonb;
    create table webhooks (
      id char(24) primary key,
      project_id char(24) not null references projects(id) on delete cascade,
      url text not null,
      secret text not null,
      enabled boolean not null default true,
      disabled_reason text,
      consecutive_failures integer not null default 0,
      lease_owner text,
      lease_until timestamptz,
      created_at timestamptz not null default now()
    );
    create index webhooks_project on webhooks (project_id);
    create table webhook_deliveries (
      id char(24) primary key,
      webhook_id char(24) not null references webhooks(id) on delete cascade,
      event_id char(24) not null,
      state text not null default 'PENDING',
      attempts integer not null default 0,
      due_at timestamptz not null default now(),
      last_error text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    );
    create index webhook_deliveries_pending on webhook_deliveries (webhook_id, created_at, id) where state = 'PENDING';
    create table webhook_attempts (
      id char(24) primary key,
      webhook_id char(24) not null references webhooks(id) on delete cascade,
      delivery_id char(24) not null references webhook_deliveries(id) on delete cascade,
      event_id char(24) not null,
      attempt integer not null,
      outcome text not null,
      status_code integer,
      duration_ms integer not null,
      error text,
      started_at timestamptz not null
    );
    create index webhook_attempts_webhook on webhook_attempts (webhook_id, started_at desc, id desc);
  `,
  );
}
