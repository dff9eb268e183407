import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/** Organizations, projects, API keys and their roles, and server settings. */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table settings (
      key text primary key,
      value text not null
    );
    create table organizations (
      id char(24) primary key,
      name text not null,
      payment_on_file boolean not null default false,
      created_at timestamptz not null default now()
    );
    create table projects (
      id char(24) primary key,
      org_id char(24) not null references organizations(id),
      name text not null,
      host_suffix text not null unique,
      regionalized_private_endpoints boolean not null default false,
      nodes_per_private_link_region integer not null default 30,
      nodes_per_private_link_region_raised boolean not null default false,
      created_at timestamptz not null default now(),
      unique (org_id, name)
    );
    create table api_keys (
      id char(24) primary key,
      org_id char(24) not null references organizations(id),
      public_key text not null unique,
      ha1_md5 text not null,
      ha1_sha256 text not null,
      description text not null default '',
      created_at timestamptz not null default now()
    );
    create table api_key_org_roles (
      api_key_id char(24) not null references api_keys(id) on delete cascade,
      role text not null,
      primary key (api_key_id, role)
    );
    create table api_key_project_roles (
      api_key_id char(24) not null references api_keys(id) on delete cascade,
      project_id char(24) not null references projects(id) on delete cascade,
      role text not null,
      primary key (api_key_id, project_id, role)
    );
    create index api_key_project_roles_project on api_key_project_roles (project_id);
  `,
  );
}
