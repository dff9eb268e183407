import * as eventsUseCases from '../../../app/events.service.js';
import { nextEvents, openEventStream } from '../../../app/event-stream.service.js';
import type { EventRecord } from '../../../domain/event.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { iso } from '../serializers/identity.serializer.js';
import type { PaginatedWire } from '../wire/common.wire.js';
import type { EventWire } from '../wire/events.wire.js';
import { tracedUseCases } from '../../../observability/tracing.js';

const events = tracedUseCases(eventsUseCases);

/** `GET /groups/{groupId}/events[/{eventId}]` in Atlas's activity-feed shape. */
export function eventsRoutes(r: RouteRegistrar): void {
  r.get('/groups/:groupId/events', async ({ ctx, principal, params, query, base }) => {
    const page = await events.listProjectEvents(ctx, principal, params.groupId!, query as Record<string, string>);
    const self = `${base}/groups/${params.groupId}/events`;
    const links = [{ href: `${self}?pageNum=${page.pageNum}&itemsPerPage=${page.itemsPerPage}`, rel: 'self' }];
    if (page.pageNum * page.itemsPerPage < page.total) links.push({ href: `${self}?pageNum=${page.pageNum + 1}&itemsPerPage=${page.itemsPerPage}`, rel: 'next' });
    const body: PaginatedWire<EventWire> = { links, results: page.events.map((e) => eventJson(e, base)), totalCount: page.total };
    return { status: 200, body };
  });
  // privlink extension: the same feed, live, as server-sent events (oldest first; resumable).
  r.get(
    '/groups/:groupId/events/stream',
    async ({ ctx, principal, params, headers, base }) => {
      const lastEventId = typeof headers['last-event-id'] === 'string' && headers['last-event-id'] !== '' ? headers['last-event-id'] : undefined;
      const cursor = await openEventStream(ctx, principal, params.groupId!, lastEventId);
      return {
        status: 200,
        stream: async (write, signal) => {
          write(`retry: ${STREAM_RETRY_MS}\n\n`);
          const ends = Date.now() + STREAM_MAX_MS;
          let quietSince = Date.now();
          while (!signal.aborted && Date.now() < ends) {
            const batch = await nextEvents(ctx, cursor);
            for (const event of batch) write(`id: ${event.id}\nevent: ${event.eventType}\ndata: ${JSON.stringify(streamedEventJson(event, base))}\n\n`);
            if (batch.length > 0) quietSince = Date.now();
            else if (Date.now() - quietSince >= STREAM_HEARTBEAT_MS) {
              write(': keep-alive\n\n');
              quietSince = Date.now();
            }
            await pause(STREAM_POLL_MS, signal);
          }
        },
      };
    },
    { eventStream: true },
  );
  r.get('/groups/:groupId/events/:eventId', async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: eventJson(await events.getProjectEvent(ctx, principal, params.groupId!, params.eventId!), base),
  }));
}

/** How often a stream looks for new events, sends a comment when idle, what reconnection delay it asks for, and how long it lasts. */
const STREAM_POLL_MS = 250;
const STREAM_HEARTBEAT_MS = 15_000;
const STREAM_RETRY_MS = 1000;
/** A stream ends after this; the client reconnects with Last-Event-ID, and its key's access is checked again. */
const STREAM_MAX_MS = 10 * 60_000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * An event as the live stream sends it: the feed's (Atlas's) shape plus what privlink knows of the
 * change — the object, its old and new status and the sub-state — as webhooks deliver them too.
 */
function streamedEventJson(event: EventRecord, base: string): EventWire & Record<string, unknown> {
  const { objectType, objectId, oldStatus, newStatus, subState } = event.transition;
  return { ...eventJson(event, base), object: { type: objectType, id: objectId }, oldStatus, newStatus, subState };
}

function eventJson(event: EventRecord, base: string): EventWire {
  return {
    ...event.payload,
    created: iso(event.createdAt),
    eventTypeName: event.eventType,
    groupId: event.projectId,
    id: event.id,
    isGlobalAdmin: false,
    links: [{ href: `${base}/groups/${event.projectId}/events/${event.id}`, rel: 'self' }],
    orgId: event.orgId,
    targetId: event.targetId,
  };
}
