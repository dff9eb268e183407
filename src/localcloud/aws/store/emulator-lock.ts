import { sql } from 'kysely';
import type { LcExecutor } from './schema.js';

/** Advisory lock key of the AWS emulation. */
const LOCK_KEY = 7_311_001;

/**
 * Takes the emulation's transaction-scoped advisory lock: every request and snapshot runs under
 * it, so processes sharing one PostgreSQL never interleave (slot and IP allocation, quotas,
 * ClientTokens, lazy transitions). Released at commit or rollback. Call first in a transaction.
 */
export async function takeEmulatorLock(trx: LcExecutor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
}
