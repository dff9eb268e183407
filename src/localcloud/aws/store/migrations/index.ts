import { Migrator, type Kysely, type Migration } from 'kysely';
import * as awsEmulation from './0001-aws-emulation.js';

/**
 * The local cloud's own migrations, apart from the product's: tracked in `lc_migration` (lock
 * `lc_migration_lock`), run when the emulation starts, so a deployment against real AWS creates
 * none of the `lc_*` tables. Forward-only, like the product's.
 */
const LOCAL_CLOUD_MIGRATIONS: Record<string, Migration> = {
  '0001-aws-emulation': awsEmulation,
};

/** Brings the local cloud's tables to the newest migration (safe with several processes: Kysely locks). */
export async function migrateLocalCloud(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => LOCAL_CLOUD_MIGRATIONS },
    migrationTableName: 'lc_migration',
    migrationLockTableName: 'lc_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Local cloud migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}
