import { sql, type QueryExecutorProvider } from 'kysely';

/**
 * Advisory lock keys, one per emulator: requests of one emulator never interleave, while
 * emulators of different clouds do not wait for each other (they share no rows).
 */
export const EMULATOR_LOCK_KEYS = { AWS: 7_311_001, AZURE: 7_311_002, GCP: 7_311_003 } as const;

/**
 * Takes an emulator's transaction-scoped advisory lock: every request and snapshot runs under
 * it, so processes sharing one PostgreSQL never interleave (slot and IP allocation, quotas,
 * idempotency tokens, lazy transitions). Released at commit or rollback. Call first in a
 * transaction.
 */
export async function takeEmulatorLock(trx: QueryExecutorProvider, key: (typeof EMULATOR_LOCK_KEYS)[keyof typeof EMULATOR_LOCK_KEYS]): Promise<void> {
  await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
}
