import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/database.js';
import type { DueMemory } from './due-memory.js';
import type { CommitNotice } from './emulator-lock.js';

/**
 * An emulator's change notifications on its store channel, shared by the processes on one
 * PostgreSQL. Each names the emulator that sent it: one from another process makes `due` forget
 * what it remembered (that change may have made something due sooner), then the listeners are told.
 */
export interface ChangeChannel {
  /** This emulator's notification, to send as a transaction commits (inEmulatorTransaction). */
  readonly notice: CommitNotice;
  /** Sends this emulator's notification now (after a commit). */
  changed(): Promise<void>;
  /** Calls `listener` after committed changes, in this process or another; returns an unsubscribe function. A listener's failure does not stop the others. */
  onChange(listener: () => void): () => void;
  /** Stops listening. */
  close(): Promise<void>;
}

export async function openChangeChannel(store: Store, channel: string, due: DueMemory): Promise<ChangeChannel> {
  const listeners = new Set<() => void>();
  const self = randomUUID();
  const unlisten = await store.listen(channel, (sender) => {
    if (sender !== self) due.forget();
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  });
  return {
    notice: { channel, payload: self },
    changed: () => store.notify(channel, self),
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await unlisten();
    },
  };
}
