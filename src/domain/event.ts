/** One activity-feed event (Atlas "event"). */
export interface EventRecord {
  readonly id: string;
  readonly orgId: string;
  readonly projectId: string | null;
  readonly eventType: string;
  readonly targetId: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}
