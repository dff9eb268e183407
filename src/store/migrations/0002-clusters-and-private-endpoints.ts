import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/** Clusters, endpoint services, interface endpoints, the reconcile queue and events. */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table clusters (
      id char(24) primary key,
      project_id char(24) not null references projects(id),
      name text not null,
      spec jsonb not null,
      state_name text not null,
      delete_requested boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index clusters_project_name on clusters (project_id, lower(name));

    create table endpoint_services (
      id char(24) primary key,
      project_id char(24) not null references projects(id),
      provider text not null,
      region_name text not null,
      status text not null,
      error_message text,
      endpoint_service_name text,
      delete_requested boolean not null default false,
      provider_ref jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (project_id, provider, region_name)
    );

    create table interface_endpoints (
      endpoint_service_id char(24) not null references endpoint_services(id) on delete cascade,
      endpoint_id text not null,
      project_id char(24) not null references projects(id),
      provider text not null,
      region_name text not null,
      status text not null,
      error_message text,
      delete_requested boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (endpoint_service_id, endpoint_id),
      unique (provider, endpoint_id)
    );
    create index interface_endpoints_project on interface_endpoints (project_id);

    create table reconcile_queue (
      kind text not null,
      key text not null,
      due_at timestamptz not null,
      generation integer not null default 1,
      lease_owner text,
      lease_until timestamptz,
      attempts integer not null default 0,
      last_error text,
      primary key (kind, key)
    );
    create index reconcile_queue_due on reconcile_queue (due_at);

    create table events (
      id char(24) primary key,
      org_id char(24) not null,
      project_id char(24),
      event_type text not null,
      target_id text,
      payload jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    );
    create index events_project_created on events (project_id, created_at);
  `,
  );
}
