import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Operations: a queued reconcile item remembers the Admin API request that last asked for it
 * (`request_id`, the `X-Request-Id` of that answer), so the reconciler's log lines name the request
 * that caused the work. Null for work the periodic resync or the reconciler itself enqueued.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table reconcile_queue add column request_id text;
    `,
  );
}
