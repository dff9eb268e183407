import { sql, type QueryExecutorProvider, type Transaction } from 'kysely';
import type { Schema } from '../../store/schema.js';
import type { Store } from '../../store/database.js';

/**
 * Advisory lock keys, one per emulator: requests of one emulator never interleave, while
 * emulators of different clouds do not wait for each other (they share no rows).
 */
export const EMULATOR_LOCK_KEYS = { AWS: 7_311_001, AZURE: 7_311_002, GCP: 7_311_003 } as const;
export type EmulatorLockKey = (typeof EMULATOR_LOCK_KEYS)[keyof typeof EMULATOR_LOCK_KEYS];

/**
 * Takes an emulator's transaction-scoped advisory lock: every request and snapshot runs under
 * it, so processes sharing one PostgreSQL never interleave (slot and IP allocation, quotas,
 * idempotency tokens, lazy transitions). Released at commit or rollback. Call first in a
 * transaction; `inEmulatorTransaction` does both.
 */
export async function takeEmulatorLock(trx: QueryExecutorProvider, key: EmulatorLockKey, notice?: CommitNotice): Promise<void> {
  // Written as literals (no parameters): on PostgreSQL the transaction's BEGIN then rides with
  // this statement in one round trip (pg-begin-rides.ts). With `notice`, NOTIFY is queued by the
  // same statement (PostgreSQL delivers it at commit).
  const notify = notice ? sql`, pg_notify(${sql.lit(notice.channel)}, ${sql.lit(notice.payload)})` : sql``;
  await sql`select pg_advisory_xact_lock(${sql.lit(key)})${notify}`.execute(trx);
}

/** Per store and emulator: the settling of the last request queued for its lock in this process. */
const queues = new WeakMap<Store, Map<EmulatorLockKey, Promise<void>>>();

/** A notification to send (Store.notify) once the transaction commits, and only then. */
export interface CommitNotice {
  readonly channel: string;
  readonly payload: string;
}

/**
 * Runs `work` in one transaction of the store under the emulator's lock (`takeEmulatorLock`).
 * The requests of one process first wait their turn here, in arrival order, and only then take a
 * pooled connection: a burst of emulator requests (they run one at a time anyway) waits in memory
 * instead of holding every connection of the pool while it waits for the advisory lock, which
 * would leave the Admin API and the reconciler waiting for a connection behind it. Do not call it
 * again inside `work` (it would wait for itself).
 *
 * With `notice`, the notification goes out if and when the transaction commits (not if `work`
 * throws). On PostgreSQL it is queued by the statement that takes the lock (NOTIFY is delivered at
 * commit), so it costs neither a statement nor a transaction of its own; on PGlite, whose
 * notifications are in-process, it is sent after the commit.
 */
export async function inEmulatorTransaction<T>(store: Store, key: EmulatorLockKey, work: (trx: Transaction<Schema>) => Promise<T>, notice?: CommitNotice): Promise<T> {
  let byKey = queues.get(store);
  if (!byKey) queues.set(store, (byKey = new Map()));
  const before = byKey.get(key);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  byKey.set(key, mine);
  const atCommit = notice && store.backend === 'postgres' ? notice : undefined;
  let result: T;
  try {
    await before;
    result = await store.transaction(async (trx) => {
      await takeEmulatorLock(trx, key, atCommit);
      return work(trx);
    });
  } finally {
    release();
    if (byKey.get(key) === mine) byKey.delete(key);
  }
  if (notice && !atCommit) await store.notify(notice.channel, notice.payload);
  return result;
}
