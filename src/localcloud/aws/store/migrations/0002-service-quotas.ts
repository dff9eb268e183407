import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * AWS Service Quotas in the local cloud: the applied value of a quota that an approved increase
 * changed (`lc_quota_values`; quotas without a row keep AWS's default), and the increase requests
 * (`lc_quota_requests`), which are approved lazily once `approve_at` has passed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table if not exists lc_quota_values (
      account_id text not null references lc_accounts(account_id),
      region text not null,
      service_code text not null,
      quota_code text not null,
      value double precision not null,
      primary key (account_id, region, service_code, quota_code)
    );
    create table if not exists lc_quota_requests (
      id text primary key,
      case_id text not null,
      account_id text not null references lc_accounts(account_id),
      region text not null,
      service_code text not null,
      quota_code text not null,
      desired_value double precision not null,
      status text not null,
      created_at timestamptz not null,
      approve_at timestamptz not null
    );
    create index if not exists lc_quota_requests_quota on lc_quota_requests (account_id, region, service_code, quota_code);
  `,
  );
}
