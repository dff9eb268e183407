import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * The local cloud's Azure Resource Manager emulation, first migration of its own chain
 * (`lc_azure_migration`): service principals and their tokens, settings and faults, resource
 * groups, every Microsoft.Network resource as one ARM document per row (child resources such as
 * subnets and private endpoint connections included, linked to their parent), private IP
 * allocations per subnet, and long-running operations. Keys (`*_key`) are lower-cased ids:
 * ARM resolves ids case-insensitively. `seq` orders listings and pages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table lc_azure_settings (
      key text primary key,
      value text not null
    );
    create table lc_azure_faults (
      operation text primary key,
      fault jsonb not null,
      remaining integer
    );
    create table lc_azure_accounts (
      name text primary key,
      tenant_id text not null,
      subscription_id text not null unique,
      client_id text not null unique,
      client_secret text not null,
      created_at timestamptz not null default now()
    );
    create table lc_azure_tokens (
      token_hash text primary key,
      tenant_id text not null,
      client_id text not null,
      expires_at timestamptz not null
    );
    create index lc_azure_tokens_expiry on lc_azure_tokens (expires_at);
    create table lc_azure_resource_groups (
      subscription_id text not null,
      name_key text not null,
      seq integer generated always as identity,
      name text not null,
      location text not null,
      tags jsonb not null,
      created_at timestamptz not null,
      primary key (subscription_id, name_key)
    );
    create table lc_azure_resources (
      id_key text primary key,
      seq integer generated always as identity,
      id text not null,
      subscription_id text not null,
      resource_group_key text not null,
      type text not null,
      parent_key text,
      name text not null,
      location text,
      tags jsonb not null,
      etag text not null,
      properties jsonb not null,
      provisioning_state text not null,
      next_state text,
      next_state_at timestamptz,
      created_at timestamptz not null
    );
    create index lc_azure_resources_list on lc_azure_resources (subscription_id, type, resource_group_key, seq);
    create index lc_azure_resources_parent on lc_azure_resources (parent_key);
    create index lc_azure_resources_due on lc_azure_resources (next_state_at) where next_state_at is not null;
    create table lc_azure_ip_allocations (
      subnet_key text not null,
      ip text not null,
      owner_key text not null,
      primary key (subnet_key, ip)
    );
    create index lc_azure_ip_allocations_owner on lc_azure_ip_allocations (owner_key);
    create table lc_azure_operations (
      operation_id text primary key,
      subscription_id text not null,
      location text not null,
      resource_key text not null,
      kind text not null,
      status text not null,
      error jsonb,
      due_at timestamptz not null,
      created_at timestamptz not null
    )
    `,
  );
}
