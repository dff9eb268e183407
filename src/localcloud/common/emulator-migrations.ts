import type { Kysely, Migration } from 'kysely';
import { migrateToLatest } from '../../store/migrate-to-latest.js';

/**
 * One emulator's own migrations, apart from the product's and from the other emulators': each
 * emulator has its own migration set and tracking tables (AWS: `lc_migration` and
 * `lc_migration_lock`; Azure: `lc_azure_migration`, …), run when that emulator starts, so a
 * deployment against real clouds creates none of the `lc_*` tables. Forward-only, like the
 * product's; a name once applied is never renamed.
 */
export interface EmulatorMigrations {
  /** Starts error messages, e.g. `Local cloud` (AWS) or `Local cloud (Azure)`. */
  readonly label: string;
  /** Migration name → migration, applied in name order. */
  readonly migrations: Readonly<Record<string, Migration>>;
  readonly migrationTableName: string;
  readonly migrationLockTableName: string;
}

/**
 * Brings an emulator's tables to its newest migration. Safe with several processes (Kysely takes
 * its lock) and idempotent. Throws naming the migration that failed.
 */
export async function migrateEmulator<DB>(db: Kysely<DB>, set: EmulatorMigrations): Promise<void> {
  await migrateToLatest(db, { ...set, label: `${set.label} migration` });
}
