import type { EventRecord } from '../domain/event.js';
import { eventTransition, type EventTransition } from '../domain/event-transition.js';
import type { Executor } from './database.js';

/** Activity events, newest last by insertion. */
export class EventsRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Inserts the event and returns the ids of its project's enabled webhooks (none for an event
   * without a project), in one statement: the caller queues a delivery to each in the same
   * transaction.
   */
  async insert(event: EventRecord): Promise<string[]> {
    const rows = await this.db
      .with('inserted', (db) =>
        db
          .insertInto('events')
          .values({
            id: event.id,
            org_id: event.orgId,
            project_id: event.projectId,
            event_type: event.eventType,
            target_id: event.targetId,
            payload: JSON.stringify(event.payload),
            transition: JSON.stringify(event.transition),
            created_at: event.createdAt,
          })
          .returning('project_id'),
      )
      .selectFrom('webhooks')
      .innerJoin('inserted', 'inserted.project_id', 'webhooks.project_id')
      .select('webhooks.id')
      .where('webhooks.enabled', '=', true)
      .orderBy('webhooks.id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** A page of a project's events, newest first, with the total. */
  async listByProject(
    projectId: string,
    options: { eventTypes?: readonly string[]; limit: number; offset: number; minDate?: Date; maxDate?: Date },
  ): Promise<{ events: EventRecord[]; total: number }> {
    let query = this.db.selectFrom('events').where('project_id', '=', projectId);
    if (options.eventTypes && options.eventTypes.length > 0) query = query.where('event_type', 'in', options.eventTypes);
    if (options.minDate) query = query.where('created_at', '>=', options.minDate);
    if (options.maxDate) query = query.where('created_at', '<=', options.maxDate);
    const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).offset(options.offset).execute();
    return { total: Number(total.n), events: rows.map(toEvent) };
  }

  /**
   * A project's events after `after` (by time, then id), oldest first, at most `limit`; from the
   * start when `after` is null. The live stream reads with it.
   */
  async listAfter(projectId: string, after: { createdAt: Date; id: string } | null, limit: number): Promise<EventRecord[]> {
    let query = this.db.selectFrom('events').selectAll().where('project_id', '=', projectId);
    if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    const rows = await query.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
    return rows.map(toEvent);
  }

  /** A project's newest event (where a live stream without Last-Event-ID starts), if any. */
  async latest(projectId: string): Promise<EventRecord | undefined> {
    const row = await this.db.selectFrom('events').selectAll().where('project_id', '=', projectId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row && toEvent(row);
  }

  async findById(id: string): Promise<EventRecord | undefined> {
    const row = await this.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEvent(row);
  }
}

function toEvent(row: {
  id: string;
  org_id: string;
  project_id: string | null;
  event_type: string;
  target_id: string | null;
  payload: unknown;
  transition: unknown;
  created_at: Date;
}): EventRecord {
  const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>;
  const stored = (typeof row.transition === 'string' ? JSON.parse(row.transition) : row.transition) as EventTransition | null;
  return {
    id: row.id,
    orgId: row.org_id,
    projectId: row.project_id,
    eventType: row.event_type,
    targetId: row.target_id,
    payload,
    // Rows recorded before transitions were stored: what the type and payload tell.
    transition: stored ?? eventTransition(row.event_type, row.target_id, payload),
    createdAt: row.created_at,
  };
}
