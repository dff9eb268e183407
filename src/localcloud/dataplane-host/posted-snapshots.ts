import type { DataPlaneSnapshot, SnapshotSource } from '../common/data-plane-snapshot.js';

/**
 * A snapshot source fed by messages: `post(snapshot)` replaces the current snapshot and tells
 * every listener, so a gateway in the data-plane worker follows the main thread's local cloud
 * without reading the store itself.
 */
export class PostedSnapshots implements SnapshotSource {
  private readonly listeners = new Set<() => void>();

  constructor(private current: DataPlaneSnapshot) {}

  /** The snapshot posted last (or the first one). */
  get latest(): DataPlaneSnapshot {
    return this.current;
  }

  post(snapshot: DataPlaneSnapshot): void {
    this.current = snapshot;
    for (const listener of [...this.listeners]) listener();
  }

  snapshot(): Promise<DataPlaneSnapshot> {
    return Promise.resolve(this.current);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
