import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * App Services (the v3 Admin API): apps of a project, the Admin API sessions that refresh tokens
 * belong to, the endpoint services privlink runs for App Services (one per project, AWS region and
 * endpoint type `general` / `sync`, with the create-pending mark in `provider_ref`), and the apps'
 * private endpoints (a customer's `vpce-…` is registered with at most one live app endpoint).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table appservices_apps (
      id char(24) primary key,
      project_id char(24) not null references projects(id),
      name text not null,
      client_app_id text not null unique,
      deployment_model text not null,
      provider_region text not null,
      location text not null,
      environment text,
      product text not null,
      allow_non_vpc_client_requests boolean not null default false,
      data_source_id char(24) not null,
      data_source jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index appservices_apps_project_name on appservices_apps (project_id, lower(name));

    create table appservices_sessions (
      id char(24) primary key,
      api_key_id char(24) not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );

    create table appservices_endpoint_services (
      id char(24) primary key,
      project_id char(24) not null references projects(id),
      provider_region text not null,
      endpoint_type text not null,
      status text not null,
      error_message text,
      service_name text,
      delete_requested boolean not null default false,
      provider_ref jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index appservices_endpoint_services_key on appservices_endpoint_services (project_id, provider_region, endpoint_type);

    create table appservices_private_endpoints (
      id char(24) primary key,
      project_id char(24) not null references projects(id),
      app_id char(24) not null,
      endpoint_type text not null,
      cloud_provider_region text not null,
      cloud_provider_endpoint_id text not null,
      comment text,
      status text not null,
      status_message text,
      delete_requested boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index appservices_private_endpoints_vpce on appservices_private_endpoints (cloud_provider_endpoint_id) where not delete_requested;
    create index appservices_private_endpoints_app on appservices_private_endpoints (app_id);
  `,
  );
}
