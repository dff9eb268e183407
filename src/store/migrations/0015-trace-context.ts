import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Trace context: a queued reconcile item remembers the W3C `traceparent` of the span that last
 * enqueued it (with tracing on), so the reconcile passes it causes join that request's trace.
 * Null with tracing off, and for work the periodic resync enqueued.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table reconcile_queue add column trace_parent text;
    `,
  );
}
