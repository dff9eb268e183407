import { randomBytes } from 'node:crypto';
import { WORK_CHANNEL } from '../domain/work-kinds.js';
import type { Logger } from '../logging/logger.js';
import { runWithContext } from '../observability/request-context.js';
import { failed, SpanKind, startSpan, type Tracer } from '../observability/tracing.js';
import { ProviderError } from '../providers/cloud-provider.js';
import type { Store } from '../store/database.js';
import { WorkQueueRepository, type ClaimedItem } from '../store/work-queue.repository.js';
import type { ReconcileFunction } from './outcome.js';

export interface ControllerOptions {
  /** Concurrent passes in this process. */
  readonly workers: number;
  /** Lease on a claimed key; renewed while a pass runs, taken over by another replica when it lapses. */
  readonly leaseMs: number;
  /** How often every resource is enqueued again (level-triggered safety net). */
  readonly resyncMs: number;
  /**
   * Enqueues every resource: on start with `spreadMs` 0 (everything due now), then every
   * `resyncMs` with `spreadMs` = `resyncMs` (each resource due at its own moment within the period).
   */
  readonly resync: (spreadMs: number) => Promise<void>;
  /** Told of every pass and lease takeover (metrics); must not throw. */
  readonly observer?: ControllerObserver;
  /** With tracing on: each pass is a consumer span, a child of the span that enqueued the item (its saved `traceparent`). */
  readonly tracer?: Tracer;
  /** The longest an idle process waits before it asks the store for due work again (default 1,000 ms). */
  readonly idleCheckMs?: number;
}

/** What the controller reports as it works, for any work kind in the registry. */
export interface ControllerObserver {
  /** A pass of a key of `kind` ended: converged, requeued, failed (retried with backoff) or dropped (no reconciler). */
  pass(kind: string, outcome: 'done' | 'requeue' | 'error' | 'dropped', seconds: number): void;
  /** An item was claimed after another owner's lease on it lapsed. */
  leaseTakeover(kind: string): void;
}

/**
 * The reconcile loop of one process (controller-runtime's controller over a Postgres queue).
 * Workers claim due keys with leases (`FOR UPDATE SKIP LOCKED`), so any number of processes share
 * the work and a key is never reconciled twice at once; a dead process's keys are taken over when
 * their leases lapse. One switch turns outcomes into queue operations:
 * done → remove (unless re-enqueued meanwhile), requeue → due later, error → backoff
 * (throttling honours Retry-After). Wake-ups come from LISTEN/NOTIFY (PostgreSQL) or in-process
 * (PGlite); a timer covers the next due time. Of the idle workers only one holds that timer (and
 * asks the store when work is next due); a worker that claims an item wakes one other, so a run of
 * due items is taken up by as many workers as it needs, and an idle process asks the store about
 * twice a second, not twice per worker.
 */
export class Controller {
  private readonly owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly queue: WorkQueueRepository;
  private active = false;
  private readonly waiters = new Set<() => void>();
  /** True while an idle worker holds the timer for the next due time. */
  private timerHeld = false;
  /** That worker's timer once armed: when it fires, and how to move it earlier. */
  private timer: { dueAt: number; fire: () => void; handle: NodeJS.Timeout } | undefined;
  /** The earliest due time of an item this process released while the timer was not yet armed. */
  private releasedDueAt = Infinity;
  private pending = false;
  private loops: Promise<void>[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;

  constructor(
    private readonly store: Store,
    private readonly handlers: Readonly<Record<string, ReconcileFunction>>,
    private readonly options: ControllerOptions,
    private readonly log: Logger,
  ) {
    this.queue = new WorkQueueRepository(store.db);
  }

  /** True between `start()` and `stop()`: the workers are claiming work. */
  get running(): boolean {
    return this.active;
  }

  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    // PGlite: this process holds the data-dir lock, so every lease in the table is from a dead process.
    if (this.store.backend === 'pglite') await this.queue.releaseAllLeases();
    this.unlisten = await this.store.listen(WORK_CHANNEL, () => this.wake());
    await this.options.resync(0).catch((error) => this.log.error('resync failed', { error: String(error) }));
    this.resyncTimer = setInterval(() => {
      void this.options.resync(this.options.resyncMs).then(
        () => this.wake(),
        (error) => this.log.error('resync failed', { error: String(error) }),
      );
    }, this.options.resyncMs);
    this.resyncTimer.unref();
    for (let i = 0; i < this.options.workers; i++) this.loops.push(this.loop(i));
  }

  /** Stops claiming; waits for passes in flight. */
  async stop(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    clearInterval(this.resyncTimer);
    this.wakeAll();
    await Promise.all(this.loops);
    this.loops = [];
    await this.unlisten?.();
  }

  /**
   * Asks the workers to look at the queue now: one idle worker is woken (it wakes another if it
   * claims an item, and so on while items are due), and a busy one looks again before it sleeps.
   * Waking every idle worker for each wake-up would send one claim per worker to the store for
   * every item enqueued, all but one of them finding nothing.
   */
  wake(): void {
    this.pending = true;
    this.wakeOne();
  }

  /** Wakes every idle worker (stopping). */
  private wakeAll(): void {
    this.pending = true;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  /** True when nothing is being reconciled in this process right now (tests, benchmarks). */
  get idle(): boolean {
    return this.inFlight === 0;
  }

  private async loop(worker: number): Promise<void> {
    while (this.active) {
      this.pending = false;
      let items: ClaimedItem[] = [];
      try {
        items = await this.queue.claim(this.owner, 1, this.options.leaseMs);
      } catch (error) {
        this.log.error('claim failed', { worker, error: String(error) });
      }
      if (items.length === 0) {
        await this.sleep();
        continue;
      }
      this.wakeOne();
      for (const item of items) await this.process(item);
    }
  }

  private async process(item: ClaimedItem): Promise<void> {
    const handler = this.handlers[item.kind];
    const observer = this.options.observer;
    const started = performance.now();
    const report = (outcome: 'done' | 'requeue' | 'error' | 'dropped') => observer?.pass(item.kind, outcome, (performance.now() - started) / 1000);
    if (item.takenOver) observer?.leaseTakeover(item.kind);
    this.inFlight++;
    const renew = setInterval(() => void this.queue.renew(item, this.owner, this.options.leaseMs).catch(() => undefined), this.options.leaseMs / 3);
    try {
      if (!handler) {
        this.log.warn('no reconciler for kind; dropping', { kind: item.kind, key: item.key });
        await this.queue.complete(item, this.owner);
        report('dropped');
        return;
      }
      const span = startSpan(this.options.tracer, `reconcile ${item.kind}`, {
        kind: SpanKind.CONSUMER,
        parent: item.traceParent,
        attributes: {
          'privlink.work_kind': item.kind,
          'privlink.object_id': item.key,
          'privlink.attempt': item.attempts + 1,
          ...(item.requestId ? { 'privlink.request_id': item.requestId } : {}),
        },
      });
      let outcome;
      try {
        outcome = await runWithContext(
          { ...(item.requestId ? { requestId: item.requestId } : {}), workKind: item.kind, objectId: item.key, ...(span ? { tracer: this.options.tracer, span } : {}) },
          () => handler(item.key),
        );
        span?.setAttribute('privlink.outcome', outcome.kind);
      } catch (error) {
        if (span) failed(span, error);
        throw error;
      } finally {
        span?.end();
      }
      if (outcome.kind === 'done') await this.queue.complete(item, this.owner);
      else {
        await this.queue.release(item, this.owner, outcome.afterMs, null, true);
        this.dueIn(outcome.afterMs);
      }
      report(outcome.kind);
    } catch (error) {
      report('error');
      const delay = backoff(item.attempts, error);
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.log[error instanceof ProviderError && error.retryable ? 'info' : 'warn']('reconcile failed; will retry', {
        kind: item.kind,
        key: item.key,
        ...(item.requestId ? { requestId: item.requestId } : {}),
        attempt: item.attempts + 1,
        retryInMs: delay,
        error: message,
      });
      await this.queue.release(item, this.owner, delay, message.slice(0, 2000), false).then(
        () => this.dueIn(delay),
        () => undefined,
      );
    } finally {
      clearInterval(renew);
      this.inFlight--;
    }
  }

  /** Wakes one idle worker (another item may be due). */
  private wakeOne(): void {
    const [first] = this.waiters;
    first?.();
  }

  /**
   * An item this process released falls due in `ms`: the idle worker holding the timer wakes by
   * then. It may have armed its timer (up to `idleCheckMs` away) before the release, when nothing was
   * due soon; the worker that released the item sleeps without a timer of its own when another
   * holds it, so without this the item would wait for that timer (a requeue of 25 ms took a second).
   */
  private dueIn(ms: number): void {
    const dueAt = performance.now() + ms + 2;
    const timer = this.timer;
    if (!timer) {
      this.releasedDueAt = Math.min(this.releasedDueAt, dueAt);
      return;
    }
    if (dueAt >= timer.dueAt) return;
    clearTimeout(timer.handle);
    timer.dueAt = dueAt;
    timer.handle = setTimeout(timer.fire, Math.max(0, dueAt - performance.now()));
  }

  /**
   * Waits for a wake-up; the first idle worker also for the next due time (at most `idleCheckMs`),
   * or for an item this process releases due sooner (`dueIn`).
   */
  private async sleep(): Promise<void> {
    if (this.pending || !this.active) return;
    const timed = !this.timerHeld;
    if (timed) this.timerHeld = true;
    try {
      let wait = this.options.idleCheckMs ?? 1000;
      if (timed) {
        try {
          const next = await this.queue.msUntilNextDue();
          if (next !== undefined) wait = Math.max(5, Math.min(wait, next + 2));
        } catch {
          // keep the default
        }
        // An item released while the store was asked (its answer may predate the release).
        wait = Math.max(0, Math.min(wait, this.releasedDueAt - performance.now()));
        this.releasedDueAt = Infinity;
      }
      if (this.pending || !this.active) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          if (this.timer?.fire === done) {
            clearTimeout(this.timer.handle);
            this.timer = undefined;
          }
          this.waiters.delete(done);
          resolve();
        };
        if (timed) this.timer = { dueAt: performance.now() + wait, fire: done, handle: setTimeout(done, wait) };
        this.waiters.add(done);
      });
    } finally {
      if (timed) this.timerHeld = false;
    }
  }
}

/**
 * Exponential backoff with jitter: 200 ms doubling, up to 5 s for a provider conflict (another
 * operation in progress: it clears quickly) and 60 s otherwise; a provider's Retry-After wins.
 */
export function backoff(attempts: number, error: unknown): number {
  if (error instanceof ProviderError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const cap = error instanceof ProviderError && error.kind === 'conflict' ? 5_000 : 60_000;
  const base = Math.min(cap, 200 * 2 ** Math.min(attempts, 12));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
