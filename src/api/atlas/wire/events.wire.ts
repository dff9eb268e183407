import type { LinkWire } from './common.wire.js';

/**
 * One activity-feed event (`EventViewForNdsGroup`): the common fields, plus the fields of its
 * event type (e.g. an endpoint service's `provider` and `regionName`).
 */
export interface EventWire {
  readonly created: string;
  readonly eventTypeName: string;
  readonly groupId: string | null;
  readonly id: string;
  readonly isGlobalAdmin: boolean;
  readonly links: readonly LinkWire[];
  readonly orgId: string;
  readonly targetId: string | null;
  readonly [field: string]: unknown;
}
