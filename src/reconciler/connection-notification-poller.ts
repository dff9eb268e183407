import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/database.js';
import { enqueueChangedEndpoints } from './endpoint-change-enqueue.js';

/** One notification as the queue side parsed it: the customer endpoint it names, or why it names none. */
export type ParsedConnectionNotification =
  | { readonly kind: 'endpoint'; readonly endpointId: string; readonly state: string; readonly event: string | undefined }
  | { readonly kind: 'malformed'; readonly reason: string };

/** The queue side the poller needs (providers/aws/aws-notification-queue.ts implements it). */
export interface NotificationSource {
  /** Long-polls for up to `waitSeconds`; resolves to the messages received (maybe none). Rejects on failure or abort. */
  receive(waitSeconds: number, signal: AbortSignal): Promise<Array<{ readonly messageId: string; readonly notification: ParsedConnectionNotification; ack(): Promise<void> }>>;
}

export interface NotificationPollerOptions {
  /** Long-poll wait per receive (s, ≤ 20). */
  readonly waitSeconds: number;
  /** Pause after a failed receive (ms), doubled up to 30 s while failures last. */
  readonly retryMs: number;
}

/**
 * Reads VPC endpoint connection notifications from the queue until stopped: each names a
 * customer endpoint, whose registrations (interface endpoint, serverless private endpoint) are
 * enqueued at once, as the local cloud's in-process announcements do (endpoint-change-enqueue.ts).
 * A message is deleted only after its work was enqueued (a store failure leaves it to be received
 * again); a malformed one is logged and deleted. Never throws; returns `stop`, which ends the
 * current long poll and resolves when the loop has finished.
 */
export function startConnectionNotificationPoller(store: Store, source: NotificationSource, log: Logger, options: NotificationPollerOptions): () => Promise<void> {
  const abort = new AbortController();
  const loop = (async () => {
    let failures = 0;
    while (!abort.signal.aborted) {
      try {
        const messages = await source.receive(options.waitSeconds, abort.signal);
        failures = 0;
        for (const message of messages) {
          const notification = message.notification;
          if (notification.kind === 'malformed') {
            log.warn('connection notification ignored', { messageId: message.messageId, reason: notification.reason });
          } else {
            await enqueueChangedEndpoints(store, log, [{ cloud: 'AWS', endpointId: notification.endpointId, state: notification.state }]);
          }
          await message.ack();
        }
      } catch (error) {
        if (abort.signal.aborted) break;
        failures++;
        const pauseMs = Math.min(30_000, options.retryMs * 2 ** Math.min(failures - 1, 10));
        log.warn('could not read connection notifications (the resync still notices changes)', { error: (error as Error).message, retryInMs: pauseMs });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pauseMs);
          abort.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
    }
  })();
  return async () => {
    abort.abort();
    await loop;
  };
}
