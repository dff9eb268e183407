import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EventRecord } from './event.js';

/**
 * Project webhooks (a privlink extension): every event of the project's activity feed is POSTed as
 * JSON to each enabled webhook, signed with the webhook's secret. Delivery is at least once, in
 * event order per webhook; a receiver deduplicates on the `X-Privlink-Delivery` id.
 */
export interface Webhook {
  readonly id: string;
  readonly projectId: string;
  readonly url: string;
  readonly enabled: boolean;
  /** Why the webhook was disabled (null while enabled). */
  readonly disabledReason: string | null;
  /** Failed attempts since the last delivered one. */
  readonly consecutiveFailures: number;
  readonly createdAt: Date;
}

/** A webhook with its signing secret (the store and the delivery worker only). */
export interface WebhookWithSecret extends Webhook {
  readonly secret: string;
}

/** One HTTP attempt of one delivery (a row of the delivery log). */
export interface WebhookAttempt {
  readonly id: string;
  readonly webhookId: string;
  readonly deliveryId: string;
  readonly eventId: string;
  /** 1 for the first try of the delivery, then 2, 3, … */
  readonly attempt: number;
  readonly outcome: 'SUCCESS' | 'FAILURE';
  /** The receiver's HTTP status; null when no answer came (refused, timed out, address not allowed). */
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly startedAt: Date;
}

/** Headers of a delivery. */
export const SIGNATURE_HEADER = 'X-Privlink-Signature';
export const TIMESTAMP_HEADER = 'X-Privlink-Timestamp';
export const DELIVERY_HEADER = 'X-Privlink-Delivery';
export const EVENT_HEADER = 'X-Privlink-Event';

/** A webhook is disabled after this many failed attempts in a row (no 2xx in between). */
export const DISABLE_AFTER_FAILURES = 10;
/** Webhooks per project at most. */
export const MAX_WEBHOOKS_PER_PROJECT = 10;

/**
 * The signature of a delivery: `sha256=` and the lower-case hex HMAC-SHA256, keyed with the
 * webhook's secret, of `<timestamp>.<raw body>` (the timestamp is the `X-Privlink-Timestamp`
 * header, Unix seconds). Signing the timestamp lets a receiver refuse replays of old deliveries.
 */
export function signDelivery(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Constant-time check of a signature header against the body and timestamp (what a receiver does). */
export function verifyDelivery(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signDelivery(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** How delivery retries are paced. */
export interface RetryPolicy {
  /** Delay before the second attempt; each further one doubles it. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts of one delivery before it is given up (FAILED). */
  readonly maxAttempts: number;
}

/** Delay after the `attempts`-th failed attempt: base · 2^(attempts−1), capped. */
export function retryDelayMs(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(30, attempts - 1)));
}

/**
 * The JSON body of a delivery: the event as the activity feed names it, plus what privlink adds
 * (the object, its old and new status, the sub-state) and the delivery's id.
 */
export interface WebhookPayload {
  readonly deliveryId: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventTypeName: string;
  readonly groupId: string | null;
  readonly orgId: string;
  readonly targetId: string | null;
  /** When the event happened (ISO 8601). */
  readonly created: string;
  readonly object: { readonly type: string; readonly id: string | null };
  readonly oldStatus: string | null;
  readonly newStatus: string | null;
  readonly subState: string | null;
  /** The event's own fields (as the activity feed shows them). */
  readonly details: Readonly<Record<string, unknown>>;
}

export function webhookPayload(event: EventRecord, webhookId: string, deliveryId: string): WebhookPayload {
  return {
    deliveryId,
    webhookId,
    eventId: event.id,
    eventTypeName: event.eventType,
    groupId: event.projectId,
    orgId: event.orgId,
    targetId: event.targetId,
    created: event.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    object: { type: event.transition.objectType, id: event.transition.objectId },
    oldStatus: event.transition.oldStatus,
    newStatus: event.transition.newStatus,
    subState: event.transition.subState,
    details: event.payload,
  };
}
