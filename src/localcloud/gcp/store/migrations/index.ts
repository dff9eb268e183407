import type { Kysely, Migration } from 'kysely';
import { migrateEmulator } from '../../../common/emulator-migrations.js';
import * as gcpEmulation from './0001-gcp-emulation.js';
import * as loopbackSlots from './0002-loopback-slots.js';

/**
 * The Compute Engine emulation's own migrations, apart from the product's and the other
 * emulators': tracked in `lc_gcp_migration` (lock `lc_gcp_migration_lock`), run when the
 * emulation starts. Forward-only.
 */
const GCP_MIGRATIONS: Record<string, Migration> = {
  '0001-gcp-emulation': gcpEmulation,
  '0002-loopback-slots': loopbackSlots,
};

/** Brings the GCP emulation's tables to the newest migration (safe with several processes: Kysely locks). */
export async function migrateLocalCloudGcp(db: Kysely<any>): Promise<void> {
  await migrateEmulator(db, {
    label: 'Local cloud (GCP)',
    migrations: GCP_MIGRATIONS,
    migrationTableName: 'lc_gcp_migration',
    migrationLockTableName: 'lc_gcp_migration_lock',
  });
}
