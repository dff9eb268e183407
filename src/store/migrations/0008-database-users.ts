import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Database users of projects (SCRAM only). A username is unique per project (authentication
 * database `admin`), case-sensitively, as MongoDB compares usernames. `credentials` holds the
 * SCRAM-SHA-1 and SCRAM-SHA-256 credentials (salt, iteration count, StoredKey, ServerKey): the
 * password itself is never stored. `spec` holds roles, scopes, labels, description and
 * deleteAfterDate (the latter also as a column, so expired users are filtered in SQL).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table database_users (
      id char(24) primary key,
      project_id char(24) not null references projects(id) on delete cascade,
      database_name text not null,
      username text not null,
      spec jsonb not null,
      credentials jsonb not null,
      delete_after_date timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (project_id, database_name, username)
    );
  `,
  );
}
