import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Provider capacity: the pool of provider accounts endpoint services are placed in (AWS accounts;
 * a local-cloud account, access keys, or a role to assume), and one placement per endpoint service
 * (the account its load balancer and endpoint service live in). A placement goes with its service.
 * The last quota reading of each account and region is kept for the capacity report.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table provider_accounts (
      id char(24) primary key,
      provider text not null,
      name text not null,
      kind text not null,
      access_key_id text,
      secret_access_key text,
      role_arn text,
      state text not null default 'ACTIVE',
      created_at timestamptz not null default now(),
      unique (provider, name)
    );
    create table provider_placements (
      service_id char(24) primary key references endpoint_services(id) on delete cascade,
      account_id char(24) not null references provider_accounts(id),
      provider text not null,
      region_name text not null,
      project_id char(24) not null,
      created_at timestamptz not null default now()
    );
    create index provider_placements_account_region on provider_placements (account_id, region_name);
    create index provider_placements_project_region on provider_placements (project_id, provider, region_name);
    create table provider_quota_readings (
      account_id char(24) not null references provider_accounts(id),
      region_name text not null,
      reading jsonb not null,
      read_at timestamptz not null,
      primary key (account_id, region_name)
    );
  `,
  );
}
