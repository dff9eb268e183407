import type { EventTransition } from './event-transition.js';

/** One activity-feed event (Atlas "event"). */
export interface EventRecord {
  readonly id: string;
  readonly orgId: string;
  readonly projectId: string | null;
  readonly eventType: string;
  readonly targetId: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Object, old and new status and sub-state (privlink payloads only; Atlas's event shape has none). */
  readonly transition: EventTransition;
  readonly createdAt: Date;
}
