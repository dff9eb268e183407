import * as events from '../../../app/events.service.js';
import type { EventRecord } from '../../../domain/event.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { iso } from '../serializers/identity.serializer.js';
import type { PaginatedWire } from '../wire/common.wire.js';
import type { EventWire } from '../wire/events.wire.js';

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
  r.get('/groups/:groupId/events/:eventId', async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: eventJson(await events.getProjectEvent(ctx, principal, params.groupId!, params.eventId!), base),
  }));
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
