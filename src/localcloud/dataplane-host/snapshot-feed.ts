import type { Logger } from '../../logging/logger.js';
import type { DataPlaneSnapshot, SnapshotSource } from '../common/data-plane-snapshot.js';
import { CoalescedPass } from '../dataplane/coalesced-pass.js';
import { SnapshotDiffer, type SnapshotDiff } from './snapshot-diff.js';

/**
 * Takes the local cloud's data-plane snapshot whenever it may have changed — on every change
 * notification (the local cloud notifies through the database, so replicas on one PostgreSQL see
 * each other's changes), when the next lazy transition falls due, and every `pollMs` as a safety
 * net (5 s: each pass reads three clouds' tables, which an idle process should not do twice a
 * second) — and hands each one
 * that differs from the last (ignoring `takenAt`) to `publish`, with what changed since the last
 * one published (snapshot-diff.ts). Passes never overlap: a change
 * during a pass makes one more pass. Passes are paced once they get heavy: when passes took half
 * of the last second or more, the next one starts no sooner than the previous one's duration (at
 * most `MAX_REST_MS`) after it ended, so a stream of changes over a large cloud keeps the feed to
 * about half of a core instead of all of it. A small cloud's passes take milliseconds and are
 * never held back: a change shows in the data plane one pass after it is committed. `latest` is
 * the last snapshot taken.
 */
/** The longest rest between two passes, however long the last one took (ms). */
const MAX_REST_MS = 1000;
/** Passes rest only once they took at least this share of the last `BUSY_WINDOW_MS`. */
const BUSY_SHARE = 0.5;
const BUSY_WINDOW_MS = 1000;

export class SnapshotFeed {
  private lastPassMs = 0;
  private lastPassEnd = 0;
  /** Start and end of the recent passes (within BUSY_WINDOW_MS), oldest first. */
  private readonly recent: Array<{ start: number; end: number }> = [];
  private endRest: (() => void) | undefined;
  private current: DataPlaneSnapshot | undefined;
  private readonly differ = new SnapshotDiffer();
  private unsubscribe: (() => void) | undefined;
  private poll: NodeJS.Timeout | undefined;
  private transition: NodeJS.Timeout | undefined;
  private readonly passes = new CoalescedPass(
    () => this.pass(),
    (error) => this.log.warn('data-plane snapshot failed', { error: error.message }),
  );

  constructor(
    private readonly source: SnapshotSource,
    private readonly publish: (snapshot: DataPlaneSnapshot, diff: SnapshotDiff) => void,
    private readonly log: Logger,
    private readonly pollMs = 5000,
  ) {}

  /** Takes the first snapshot (published before this resolves) and starts following changes. */
  async start(): Promise<DataPlaneSnapshot> {
    this.unsubscribe = this.source.onChange(() => void this.refresh());
    this.poll = setInterval(() => void this.refresh(), this.pollMs);
    this.poll.unref();
    await this.refresh();
    if (!this.current) this.current = await this.source.snapshot();
    return this.current;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.poll);
    clearTimeout(this.transition);
    const stopping = this.passes.stop();
    this.endRest?.();
    await stopping;
  }

  /** The last snapshot taken (undefined before the first). */
  get latest(): DataPlaneSnapshot | undefined {
    return this.current;
  }

  /** Takes a snapshot now (coalesces concurrent calls). */
  refresh(): Promise<void> {
    return this.passes.run();
  }

  private async pass(): Promise<void> {
    const rest = this.busy() ? Math.min(this.lastPassMs, MAX_REST_MS) - (Date.now() - this.lastPassEnd) : 0;
    if (rest > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, rest);
        this.endRest = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.endRest = undefined;
      if (this.passes.isStopped) return;
    }
    const started = Date.now();
    try {
      await this.takeAndPublish();
    } finally {
      this.lastPassEnd = Date.now();
      this.lastPassMs = this.lastPassEnd - started;
      this.recent.push({ start: started, end: this.lastPassEnd });
    }
  }

  /** Whether passes took at least BUSY_SHARE of the last BUSY_WINDOW_MS. */
  private busy(): boolean {
    const since = Date.now() - BUSY_WINDOW_MS;
    while (this.recent.length > 0 && this.recent[0]!.end <= since) this.recent.shift();
    const busyMs = this.recent.reduce((sum, pass) => sum + (pass.end - Math.max(pass.start, since)), 0);
    return busyMs >= BUSY_SHARE * BUSY_WINDOW_MS;
  }

  private async takeAndPublish(): Promise<void> {
    const snapshot = await this.source.snapshot();
    this.current = snapshot;
    const diff = this.differ.diff(snapshot);
    if (diff) this.publish(snapshot, diff);
    clearTimeout(this.transition);
    if (snapshot.nextTransitionAt && !this.passes.isStopped) {
      const wait = Math.max(0, snapshot.nextTransitionAt.getTime() - Date.now()) + 5;
      if (wait < this.pollMs) {
        this.transition = setTimeout(() => void this.refresh(), wait);
        this.transition.unref();
      }
    }
  }
}
