import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Web console sessions, kept in the store so that every replica knows them. The browser holds
 * only the random session token (an HttpOnly cookie); the store keeps its SHA-256, the API key
 * the session acts as (its roles are read afresh on every request, so revoking or re-roling the
 * key takes effect at once), the CSRF token writes must echo, and when the session was last used.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table console_sessions (
      token_sha256 text primary key,
      api_key_id char(24) not null references api_keys(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now()
    );
    create index console_sessions_api_key on console_sessions (api_key_id);
  `,
  );
}
