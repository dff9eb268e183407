import { sql } from 'kysely';
import { currentContext } from '../observability/request-context.js';
import { inSpan, SpanKind, traceparentOf } from '../observability/tracing.js';
import type { Executor } from './database.js';

/** A claimed work item: the key to reconcile and the generation it was claimed at. */
export interface ClaimedItem {
  readonly kind: string;
  readonly key: string;
  readonly generation: number;
  readonly attempts: number;
  /** True when another owner's lease on the item had lapsed (a takeover from a dead or stalled process). */
  readonly takenOver?: boolean;
  /** `X-Request-Id` of the Admin API request that last enqueued the item, if one did. */
  readonly requestId?: string;
  /** W3C `traceparent` of the span that last enqueued the item (tracing on), the parent of the passes' spans. */
  readonly traceParent?: string;
}

/** Rows per statement of `enqueueMany` (three parameters each, far below PostgreSQL's 65 535). */
const ENQUEUE_BATCH = 500;

/**
 * The reconcile queue: one row per (kind, key) that needs a pass, with a due time and a lease.
 * All times come from the database clock (`now()`), so replicas on different hosts agree.
 */
export class WorkQueueRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Makes (kind, key) due after `delayMs` (0 = now). An existing row keeps the earlier due time and
   * gets a new generation, so a pass in flight will not drop this wake-up. Idempotent. Inside an
   * Admin API request the item records that request's id (a resync keeps the one recorded); with
   * tracing on, a producer span `enqueue <kind>` whose `traceparent` the item keeps.
   */
  async enqueue(kind: string, key: string, delayMs = 0): Promise<void> {
    const requestId = currentContext()?.requestId ?? null;
    await inSpan(`enqueue ${kind}`, { kind: SpanKind.PRODUCER, attributes: { 'privlink.work_kind': kind, 'privlink.object_id': key } }, async (span) => {
      const traceParent = traceparentOf(span);
      await sql`
        insert into reconcile_queue (kind, key, due_at, request_id, trace_parent)
        values (${kind}, ${key}, now() + make_interval(secs => ${delayMs / 1000}), ${requestId}, ${traceParent})
        on conflict (kind, key) do update
          set due_at = least(reconcile_queue.due_at, excluded.due_at),
              generation = reconcile_queue.generation + 1,
              request_id = coalesce(excluded.request_id, reconcile_queue.request_id),
              trace_parent = coalesce(excluded.trace_parent, reconcile_queue.trace_parent)`.execute(this.db);
    });
  }

  /**
   * `enqueue` for many keys of one kind at once (the periodic resync), each after its own delay, in
   * a few statements instead of one per key. Keeps any recorded request id and trace.
   */
  async enqueueMany(kind: string, items: ReadonlyArray<{ readonly key: string; readonly delayMs: number }>): Promise<void> {
    for (let start = 0; start < items.length; start += ENQUEUE_BATCH) {
      const rows = items.slice(start, start + ENQUEUE_BATCH).map((item) => sql`(${kind}, ${item.key}, now() + make_interval(secs => ${item.delayMs / 1000}))`);
      await sql`
        insert into reconcile_queue (kind, key, due_at)
        values ${sql.join(rows)}
        on conflict (kind, key) do update
          set due_at = least(reconcile_queue.due_at, excluded.due_at),
              generation = reconcile_queue.generation + 1`.execute(this.db);
    }
  }

  /**
   * Leases up to `limit` due items to `owner` for `leaseMs`. `FOR UPDATE SKIP LOCKED` lets any
   * number of replicas claim concurrently without blocking or double-claiming; an expired lease
   * (a replica that died) makes its items claimable again.
   */
  async claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedItem[]> {
    const result = await sql<{ kind: string; key: string; generation: number; attempts: number; taken_over: boolean; request_id: string | null; trace_parent: string | null }>`
      update reconcile_queue q
         set lease_owner = ${owner}, lease_until = now() + make_interval(secs => ${leaseMs / 1000})
        from (select kind, key, lease_owner is not null as taken_over from reconcile_queue
               where due_at <= now() and (lease_until is null or lease_until < now())
               order by due_at
               limit ${limit}
               for update skip locked) c
       where q.kind = c.kind and q.key = c.key
      returning q.kind, q.key, q.generation, q.attempts, c.taken_over, q.request_id, q.trace_parent`.execute(this.db);
    return result.rows.map((row) => ({
      kind: row.kind,
      key: row.key,
      generation: Number(row.generation),
      attempts: Number(row.attempts),
      ...(row.taken_over ? { takenOver: true } : {}),
      ...(row.request_id ? { requestId: row.request_id } : {}),
      ...(row.trace_parent ? { traceParent: row.trace_parent } : {}),
    }));
  }

  /** Removes the item if nothing re-enqueued it since it was claimed; otherwise releases it (due again). */
  async complete(item: ClaimedItem, owner: string): Promise<void> {
    const deleted = await this.db
      .deleteFrom('reconcile_queue')
      .where('kind', '=', item.kind)
      .where('key', '=', item.key)
      .where('generation', '=', item.generation)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) await this.release(item, owner, 0, null, true);
  }

  /**
   * Releases the lease and schedules the next pass after `delayMs`, unless a newer wake-up came in
   * meanwhile (then it stays due now). `error` records a failed attempt; `resetAttempts` a success.
   */
  async release(item: ClaimedItem, owner: string, delayMs: number, error: string | null, resetAttempts: boolean): Promise<void> {
    await sql`
      update reconcile_queue
         set lease_owner = null,
             lease_until = null,
             due_at = case when generation = ${item.generation} then now() + make_interval(secs => ${delayMs / 1000}) else due_at end,
             attempts = ${resetAttempts ? sql`0` : sql`attempts + 1`},
             last_error = ${error}
       where kind = ${item.kind} and key = ${item.key} and lease_owner = ${owner}`.execute(this.db);
  }

  /** Extends the lease of an item still being worked on. */
  async renew(item: ClaimedItem, owner: string, leaseMs: number): Promise<void> {
    await sql`
      update reconcile_queue set lease_until = now() + make_interval(secs => ${leaseMs / 1000})
       where kind = ${item.kind} and key = ${item.key} and lease_owner = ${owner}`.execute(this.db);
  }

  /** Milliseconds until the next unleased item is due (0 if one is due now), or undefined if none. */
  async msUntilNextDue(): Promise<number | undefined> {
    // Not greatest(0, …): GREATEST ignores NULLs, so an empty queue would read as "due now".
    const result = await sql<{ ms: number | null }>`
      select (extract(epoch from (min(due_at) - now())) * 1000)::float8 as ms
        from reconcile_queue where lease_until is null or lease_until < now()`.execute(this.db);
    const ms = result.rows[0]?.ms;
    return ms === null || ms === undefined ? undefined : Math.max(0, Number(ms));
  }

  /** Drops every lease (start of a process that knows it is alone, i.e. PGlite behind its lock). */
  async releaseAllLeases(): Promise<void> {
    await this.db.updateTable('reconcile_queue').set({ lease_owner: null, lease_until: null }).where('lease_owner', 'is not', null).execute();
  }

  async list(): Promise<Array<{ kind: string; key: string; attempts: number; lastError: string | null }>> {
    const rows = await this.db.selectFrom('reconcile_queue').select(['kind', 'key', 'attempts', 'last_error']).orderBy('due_at').execute();
    return rows.map((row) => ({ kind: row.kind, key: row.key, attempts: Number(row.attempts), lastError: row.last_error }));
  }
}
