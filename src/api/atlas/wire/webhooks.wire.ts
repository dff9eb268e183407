/** privlink extension bodies: project webhooks and their delivery log (no Atlas equivalent). */

export interface WebhookWire {
  readonly id: string;
  readonly groupId: string;
  readonly url: string;
  /** False once disabled after repeated failed deliveries (see `disabledReason`). */
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  /** Failed delivery attempts since the last successful one. */
  readonly consecutiveFailures: number;
  readonly created: string;
  /** The signing secret: in the answer to the create request only, never again. */
  readonly secret?: string;
}

export interface WebhookAttemptWire {
  readonly id: string;
  readonly deliveryId: string;
  readonly eventId: string;
  readonly attempt: number;
  /** `SUCCESS` (the receiver answered 2xx) or `FAILURE`. */
  readonly outcome: string;
  readonly statusCode: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  readonly started: string;
}

export interface WebhookListWire<T> {
  readonly results: readonly T[];
  readonly totalCount: number;
}
