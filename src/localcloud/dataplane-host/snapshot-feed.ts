import type { Logger } from '../../logging/logger.js';
import type { DataPlaneSnapshot, SnapshotSource } from '../common/data-plane-snapshot.js';
import { CoalescedPass } from '../dataplane/coalesced-pass.js';

/**
 * Takes the local cloud's data-plane snapshot whenever it may have changed — on every change
 * notification (the local cloud notifies through the database, so replicas on one PostgreSQL see
 * each other's changes), when the next lazy transition falls due, and every `pollMs` as a safety
 * net (5 s: each pass reads three clouds' tables, which an idle process should not do twice a
 * second) — and hands each one
 * that differs from the last (ignoring `takenAt`) to `publish`. Passes never overlap: a change
 * during a pass makes one more pass. `latest` is the last snapshot taken.
 */
export class SnapshotFeed {
  private current: DataPlaneSnapshot | undefined;
  private published: string | undefined;
  private unsubscribe: (() => void) | undefined;
  private poll: NodeJS.Timeout | undefined;
  private transition: NodeJS.Timeout | undefined;
  private readonly passes = new CoalescedPass(
    () => this.pass(),
    (error) => this.log.warn('data-plane snapshot failed', { error: error.message }),
  );

  constructor(
    private readonly source: SnapshotSource,
    private readonly publish: (snapshot: DataPlaneSnapshot) => void,
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
    await this.passes.stop();
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
    const snapshot = await this.source.snapshot();
    this.current = snapshot;
    const shape = JSON.stringify({ ...snapshot, takenAt: undefined });
    if (shape !== this.published) {
      this.published = shape;
      this.publish(snapshot);
    }
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
