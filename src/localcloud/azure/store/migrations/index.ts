import { Migrator, type Kysely, type Migration } from 'kysely';
import * as azureEmulation from './0001-azure-emulation.js';
import * as loopbackSlots from './0002-loopback-slots.js';

/**
 * The Azure emulation's own migrations, apart from the product's and the AWS emulation's:
 * tracked in `lc_azure_migration` (lock `lc_azure_migration_lock`), run when the emulation
 * starts. Forward-only.
 */
const AZURE_MIGRATIONS: Record<string, Migration> = {
  '0001-azure-emulation': azureEmulation,
  '0002-loopback-slots': loopbackSlots,
};

/** Brings the Azure emulation's tables to the newest migration (safe with several processes: Kysely locks). */
export async function migrateLocalCloudAzure(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => AZURE_MIGRATIONS },
    migrationTableName: 'lc_azure_migration',
    migrationLockTableName: 'lc_azure_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Local cloud Azure migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}
