import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import type { EventRecord } from '../domain/event.js';
import { requireProject } from './access.js';
import { reader, type AppContext } from './app-context.js';

/** A page of events with the total count. */
export interface EventPage {
  readonly events: EventRecord[];
  readonly total: number;
  readonly pageNum: number;
  readonly itemsPerPage: number;
}

/**
 * A project's activity feed, newest first (Project Read Only): every transition of its clusters,
 * endpoint services, interface endpoints and connection strings, with its time.
 * Filters: `eventType` (repeatable), `minDate`, `maxDate` (ISO 8601); paging `itemsPerPage` (≤500), `pageNum`.
 */
export async function listProjectEvents(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  query: { eventType?: string | string[]; minDate?: string; maxDate?: string; itemsPerPage?: string; pageNum?: string },
): Promise<EventPage> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const itemsPerPage = intParam(query.itemsPerPage, 'itemsPerPage', 100, 1, 500);
  const pageNum = intParam(query.pageNum, 'pageNum', 1, 1, 1_000_000);
  const eventTypes = query.eventType === undefined ? undefined : Array.isArray(query.eventType) ? query.eventType : [query.eventType];
  const { events, total } = await repos.events.listByProject(projectId, {
    eventTypes,
    limit: itemsPerPage,
    offset: (pageNum - 1) * itemsPerPage,
    minDate: dateParam(query.minDate, 'minDate'),
    maxDate: dateParam(query.maxDate, 'maxDate'),
  });
  return { events, total, pageNum, itemsPerPage };
}

export async function getProjectEvent(ctx: AppContext, principal: Principal, projectId: string, eventId: string): Promise<EventRecord> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const event = await repos.events.findById(eventId);
  if (!event || event.projectId !== projectId) throw apiError('EVENT_NOT_FOUND', eventId);
  return event;
}

function intParam(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw apiError('INVALID_QUERY_PARAMETER', name);
  return n;
}

/** Latest date accepted; dates run from year 0001 to 9999 (PostgreSQL's range is narrower than JavaScript's). */
const MAX_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function dateParam(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw apiError('INVALID_QUERY_PARAMETER', name);
  const date = new Date(value);
  const time = date.getTime();
  if (Number.isNaN(time) || date.getUTCFullYear() < 1 || time > MAX_DATE) throw apiError('INVALID_QUERY_PARAMETER', name);
  return date;
}
