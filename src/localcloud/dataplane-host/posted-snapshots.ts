import type { DataPlaneSnapshot, SnapshotSource } from '../common/data-plane-snapshot.js';
import { SnapshotAssembler, type SnapshotDiff } from './snapshot-diff.js';

/**
 * A snapshot source fed by messages: `post(snapshot)` replaces the current snapshot, `apply(diff)`
 * moves it on by what changed (snapshot-diff.ts), and each tells every listener, so a gateway in
 * the data-plane worker follows the main thread's local cloud without reading the store itself.
 */
export class PostedSnapshots implements SnapshotSource {
  private readonly listeners = new Set<() => void>();
  private readonly assembler: SnapshotAssembler;

  constructor(first: DataPlaneSnapshot) {
    this.assembler = new SnapshotAssembler(first);
  }

  /** The snapshot posted or assembled last (or the first one). */
  get latest(): DataPlaneSnapshot {
    return this.assembler.latest;
  }

  post(snapshot: DataPlaneSnapshot): void {
    this.assembler.reset(snapshot);
    this.notify();
  }

  apply(diff: SnapshotDiff): void {
    this.assembler.apply(diff);
    this.notify();
  }

  snapshot(): Promise<DataPlaneSnapshot> {
    return Promise.resolve(this.assembler.latest);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
