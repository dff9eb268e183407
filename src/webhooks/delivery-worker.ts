import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { newObjectId } from '../domain/object-id.js';
import type { WebhookAllowList } from '../domain/webhook-allow-list.js';
import {
  DELIVERY_HEADER,
  DISABLE_AFTER_FAILURES,
  EVENT_HEADER,
  retryDelayMs,
  SIGNATURE_HEADER,
  signDelivery,
  TIMESTAMP_HEADER,
  webhookPayload,
  type RetryPolicy,
  type WebhookWithSecret,
} from '../domain/webhook.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../store/database.js';
import { repositories } from '../store/repositories.js';
import type { DueDelivery } from '../store/webhooks.repository.js';
import { resolveAllowedTarget } from './address-guard.js';

export interface WebhookDeliveryOptions {
  /** Webhooks delivered to at once by this process (each one's deliveries go out one at a time). */
  readonly workers: number;
  /** How often an idle worker looks for due deliveries. */
  readonly pollMs: number;
  /** One attempt's limit: connect, send, and the receiver's answer. */
  readonly timeoutMs: number;
  /** Lease on a claimed webhook; another replica takes it over after this. */
  readonly leaseMs: number;
  readonly retry: RetryPolicy;
  readonly allow: WebhookAllowList;
  /** Told of every attempt (the Prometheus metrics). */
  readonly observer?: { webhookAttempt(outcome: 'success' | 'failure', seconds: number, disabled: boolean): void };
}

/** Deliveries a worker sends for one webhook before it lets the webhook go (fairness between webhooks). */
const PER_CLAIM = 20;
/** Bytes of a receiver's answer read at most (the rest is dropped). */
const MAX_ANSWER_BYTES = 64 * 1024;

interface AttemptResult {
  readonly ok: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
}

/**
 * Sends queued webhook deliveries from the store. Workers lease whole webhooks
 * (`FOR UPDATE SKIP LOCKED`), so any number of replicas share them and a webhook's events go out
 * in order, one at a time; a replica that dies loses its leases when they lapse. Each attempt is
 * bounded by `timeoutMs`, connects only to an address the allow list admits (checked after DNS
 * resolution, connection pinned to it), is logged, and on failure is retried with exponential
 * backoff; `DISABLE_AFTER_FAILURES` failures in a row disable the webhook. Runs apart from the
 * reconciler and the API (its own workers), so a slow receiver holds up only its own webhook.
 * Returns the stop function (waits for attempts in flight, at most `timeoutMs`).
 */
export function startWebhookDelivery(store: Store, options: WebhookDeliveryOptions, log: Logger): () => Promise<void> {
  const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const stopping = new AbortController();
  const repos = repositories(store.db);
  const ready = store.backend === 'pglite' ? repos.webhooks.releaseAllLeases() : Promise.resolve();

  // Idle workers share one look for due deliveries: "nothing due" holds for `pollMs`, or until this
  // process writes to the store (a delivery queued here is looked for by the next worker to wake).
  let nothingDue: { readonly until: number; readonly generation: number } | undefined;
  const anyDue = async (): Promise<boolean> => {
    const now = Date.now();
    if (nothingDue && nothingDue.until > now && nothingDue.generation === store.writes.value) return false;
    const generation = store.writes.value;
    const due = await repos.webhooks.anyDue();
    nothingDue = due ? undefined : { until: now + options.pollMs, generation };
    return due;
  };

  const loop = async () => {
    await ready.catch(() => undefined);
    while (!stopping.signal.aborted) {
      let worked = false;
      try {
        const [webhook] = (await anyDue()) ? await repos.webhooks.claim(owner, 1, options.leaseMs) : [];
        if (webhook) {
          worked = true;
          await deliverQueued(webhook);
        }
      } catch (error) {
        if (!stopping.signal.aborted) log.warn('webhook delivery pass failed; retrying', { error: String(error) });
      }
      if (!worked) await pause(options.pollMs, stopping.signal);
    }
  };

  const deliverQueued = async (webhook: WebhookWithSecret) => {
    try {
      for (let sent = 0; sent < PER_CLAIM && !stopping.signal.aborted; sent++) {
        const due = await repos.webhooks.nextDue(webhook.id);
        if (!due) return;
        const keep = await deliverOne(webhook, due);
        if (!keep || !(await repos.webhooks.renew(webhook.id, owner, options.leaseMs))) return;
      }
    } finally {
      await repos.webhooks.release(webhook.id, owner).catch(() => undefined);
    }
  };

  /** One attempt of one delivery; true when the worker may go on with the webhook's next delivery. */
  const deliverOne = async (webhook: WebhookWithSecret, due: DueDelivery): Promise<boolean> => {
    const attempt = due.attempts + 1;
    const startedAt = new Date();
    const started = performance.now();
    const result: AttemptResult = due.event
      ? await send(webhook, due.id, JSON.stringify(webhookPayload(due.event, webhook.id, due.id)), due.event.eventType)
      : { ok: false, statusCode: null, error: 'the event no longer exists' };
    const durationMs = Math.round(performance.now() - started);
    const fields = { webhookId: webhook.id, projectId: webhook.projectId, deliveryId: due.id, eventId: due.eventId, attempt };
    return store.transaction(async (trx) => {
      const tx = repositories(trx).webhooks;
      await tx.recordAttempt({
        id: newObjectId(startedAt),
        webhookId: webhook.id,
        deliveryId: due.id,
        eventId: due.eventId,
        attempt,
        outcome: result.ok ? 'SUCCESS' : 'FAILURE',
        statusCode: result.statusCode,
        durationMs,
        error: result.error,
        startedAt,
      });
      if (result.ok) {
        await tx.delivered(webhook.id, due.id, attempt);
        options.observer?.webhookAttempt('success', durationMs / 1000, false);
        log.debug('webhook delivered', { ...fields, statusCode: result.statusCode, durationMs });
        return true;
      }
      const giveUp = !due.event || attempt >= options.retry.maxAttempts;
      const retryIn = giveUp ? null : retryDelayMs(options.retry, attempt);
      const { streak, disabled } = await tx.failed(
        webhook.id,
        due.id,
        attempt,
        result.error ?? 'failed',
        retryIn,
        DISABLE_AFTER_FAILURES,
        (n) => `Disabled after ${n} consecutive failed delivery attempts; the last: ${result.error ?? 'failed'}.`,
      );
      options.observer?.webhookAttempt('failure', durationMs / 1000, disabled);
      log.info('webhook delivery failed', { ...fields, error: result.error, retryInMs: retryIn, consecutiveFailures: streak });
      if (disabled) log.warn('webhook disabled after repeated failed deliveries', { ...fields, consecutiveFailures: streak });
      return false;
    });
  };

  /** POSTs the body to the webhook's URL, pinned to an allowed address; never throws. */
  const send = async (webhook: WebhookWithSecret, deliveryId: string, body: string, eventType: string): Promise<AttemptResult> => {
    const url = new URL(webhook.url);
    const target = await resolveAllowedTarget(options.allow, url).catch((error: unknown) => ({ refused: String(error) }));
    if ('refused' in target) return { ok: false, statusCode: null, error: `destination not allowed: ${target.refused}` };
    const timestamp = String(Math.floor(Date.now() / 1000));
    const pinned: LookupFunction = (_host, opts, callback) => {
      if ((opts as { all?: boolean }).all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [target]);
      else callback(null, target.address, target.family);
    };
    const make = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = make(
        url,
        {
          method: 'POST',
          lookup: pinned,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'privlink-webhooks',
            [SIGNATURE_HEADER]: signDelivery(webhook.secret, timestamp, body),
            [TIMESTAMP_HEADER]: timestamp,
            [DELIVERY_HEADER]: deliveryId,
            [EVENT_HEADER]: eventType,
          },
        },
        (res: IncomingMessage) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          const status = res.statusCode ?? 0;
          const done = () => finish(status >= 200 && status < 300 ? { ok: true, statusCode: status, error: null } : { ok: false, statusCode: status, error: `HTTP ${status}` });
          res.on('end', done);
          res.on('close', done);
          res.on('error', done);
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        finish({ ok: false, statusCode: null, error: `timed out after ${options.timeoutMs} ms` });
      }, options.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, statusCode: null, error: error.code ? `${error.code}: ${error.message}` : error.message }));
      req.end(body);
    });
  };

  const loops = Array.from({ length: options.workers }, () => loop());
  return async () => {
    stopping.abort();
    await Promise.all(loops);
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
