import type { Kysely, Migration } from 'kysely';
import { migrateEmulator } from '../../../common/emulator-migrations.js';
import * as azureEmulation from './0001-azure-emulation.js';
import * as loopbackSlots from './0002-loopback-slots.js';
import * as operationsIndexes from './0003-operations-indexes.js';

/**
 * The Azure emulation's own migrations, apart from the product's and the AWS emulation's:
 * tracked in `lc_azure_migration` (lock `lc_azure_migration_lock`), run when the emulation
 * starts. Forward-only.
 */
const AZURE_MIGRATIONS: Record<string, Migration> = {
  '0001-azure-emulation': azureEmulation,
  '0002-loopback-slots': loopbackSlots,
  '0003-operations-indexes': operationsIndexes,
};

/** Brings the Azure emulation's tables to the newest migration (safe with several processes: Kysely locks). */
export async function migrateLocalCloudAzure(db: Kysely<any>): Promise<void> {
  await migrateEmulator(db, {
    label: 'Local cloud (Azure)',
    migrations: AZURE_MIGRATIONS,
    migrationTableName: 'lc_azure_migration',
    migrationLockTableName: 'lc_azure_migration_lock',
  });
}
