import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The project IP access list: one row per entry, keyed by project and canonical CIDR block (or
 * AWS security group id). Temporary entries carry `delete_after_date`; they stop admitting at
 * that instant and the expiry sweep removes them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table access_list_entries (
      project_id char(24) not null references projects(id) on delete cascade,
      entry_key text not null,
      kind text not null,
      comment text,
      delete_after_date timestamptz,
      created_at timestamptz not null default now(),
      primary key (project_id, entry_key)
    );
    create index access_list_entries_expiry on access_list_entries (delete_after_date) where delete_after_date is not null;
  `,
  );
}
