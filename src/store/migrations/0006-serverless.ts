import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Serverless instances and their private endpoints. An instance's name is unique in its project
 * among instances (and, checked by the use cases, among clusters). Each private endpoint carries
 * its own provider endpoint service (`provider_ref`, with the create-pending mark) and, once
 * registered, the customer's endpoint id, unique per cloud.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table serverless_instances (
      id char(24) primary key,
      project_id char(24) not null references projects(id),
      name text not null,
      spec jsonb not null,
      state_name text not null,
      delete_requested boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index serverless_instances_project_name on serverless_instances (project_id, lower(name));

    create table serverless_endpoints (
      id char(24) primary key,
      project_id char(24) not null references projects(id),
      instance_id char(24) not null references serverless_instances(id) on delete cascade,
      provider text not null,
      region_name text not null,
      status text not null,
      comment text,
      error_message text,
      endpoint_service_name text,
      service_detail jsonb not null default '{}'::jsonb,
      cloud_provider_endpoint_id text,
      private_endpoint_ip_address text,
      initiated_at timestamptz,
      pe_index integer not null,
      delete_requested boolean not null default false,
      provider_ref jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (instance_id, pe_index)
    );
    create unique index serverless_endpoints_cloud_id on serverless_endpoints (provider, cloud_provider_endpoint_id) where cloud_provider_endpoint_id is not null;
    create index serverless_endpoints_project on serverless_endpoints (project_id);
  `,
  );
}
