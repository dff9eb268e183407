import { apiError } from '../domain/errors.js';
import type { EventRecord } from '../domain/event.js';
import type { Principal } from '../domain/identity.js';
import { isObjectId } from '../domain/object-id.js';
import { requireProject } from './access.js';
import { reader, type AppContext } from './app-context.js';

/** Where a live stream of a project's events stands: the last event sent (null: none yet, send every event). */
export interface EventCursor {
  readonly projectId: string;
  after: { createdAt: Date; id: string } | null;
}

/** Events read per poll at most (a stream that is behind catches up over several polls). */
const BATCH = 100;

/**
 * Opens a live stream of a project's activity feed (Project Read Only, as the feed itself). With
 * `lastEventId` (the SSE `Last-Event-ID` a reconnecting client sends) the stream resumes right
 * after that event; without it, it starts after the newest event, i.e. with what happens next.
 * An id that is not one of the project's events answers 404 EVENT_NOT_FOUND.
 */
export async function openEventStream(ctx: AppContext, principal: Principal, projectId: string, lastEventId: string | undefined): Promise<EventCursor> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  if (lastEventId !== undefined) {
    const event = isObjectId(lastEventId) ? await repos.events.findById(lastEventId) : undefined;
    if (!event || event.projectId !== projectId) throw apiError('EVENT_NOT_FOUND', lastEventId);
    return { projectId, after: { createdAt: event.createdAt, id: event.id } };
  }
  const latest = await repos.events.latest(projectId);
  return { projectId, after: latest ? { createdAt: latest.createdAt, id: latest.id } : null };
}

/** The events after the cursor, oldest first; advances the cursor past them. Idempotent when nothing happened. */
export async function nextEvents(ctx: AppContext, cursor: EventCursor): Promise<EventRecord[]> {
  const events = await reader(ctx).events.listAfter(cursor.projectId, cursor.after, BATCH);
  const last = events.at(-1);
  if (last) cursor.after = { createdAt: last.createdAt, id: last.id };
  return events;
}
