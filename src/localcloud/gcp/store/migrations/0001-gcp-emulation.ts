import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * The local cloud's Compute Engine emulation, first migration of its own chain
 * (`lc_gcp_migration`): projects with their service-account keys, issued access tokens (hashed),
 * settings and faults, every Compute resource as one JSON document per row, keyed by
 * (project, scope, collection, name) where scope is `global`, `regions/{r}` or `zones/{z}`, and
 * operations. A resource is visible from `ready_at` (its insert operation is DONE) until
 * `gone_at` (its delete operation is DONE); `ref` is the resource path a row points at when
 * others look it up by that link (a PSC forwarding rule's service attachment). `seq` orders
 * listings and pages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table lc_gcp_settings (
      key text primary key,
      value text not null
    );
    create table lc_gcp_faults (
      operation text primary key,
      fault jsonb not null,
      remaining integer
    );
    create table lc_gcp_projects (
      role text primary key,
      project_id text not null unique,
      project_number text not null unique,
      client_email text not null unique,
      client_id text not null,
      private_key_id text not null unique,
      private_key text not null,
      public_key text not null,
      refresh_token text not null,
      created_at timestamptz not null default now()
    );
    create table lc_gcp_tokens (
      token_hash text primary key,
      project_id text not null,
      expires_at timestamptz not null
    );
    create index lc_gcp_tokens_expiry on lc_gcp_tokens (expires_at);
    create table lc_gcp_resources (
      project text not null,
      scope text not null,
      collection text not null,
      name text not null,
      seq integer generated always as identity,
      id text not null unique,
      body jsonb not null,
      ref text,
      ready_at timestamptz not null,
      gone_at timestamptz,
      created_at timestamptz not null,
      primary key (project, scope, collection, name)
    );
    create index lc_gcp_resources_list on lc_gcp_resources (project, collection, scope, seq);
    create index lc_gcp_resources_ref on lc_gcp_resources (ref) where ref is not null;
    create index lc_gcp_resources_gone on lc_gcp_resources (gone_at) where gone_at is not null;
    create table lc_gcp_operations (
      name text primary key,
      project text not null,
      scope text not null,
      request_id text,
      body jsonb not null,
      due_at timestamptz not null,
      created_at timestamptz not null
    );
    create unique index lc_gcp_operations_request on lc_gcp_operations (project, request_id) where request_id is not null;
    create index lc_gcp_operations_created on lc_gcp_operations (created_at)
    `,
  );
}
