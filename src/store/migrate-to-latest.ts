import { Migrator, sql, type Kysely, type Migration } from 'kysely';

/** One migration set and where it is tracked (Kysely's `kysely_migration` tables by default). */
export interface MigrationSet {
  /** Starts error messages, e.g. `Migration` (privlink's) or `Local cloud (Azure) migration`. */
  readonly label: string;
  /** Migration name → migration, applied in name order. */
  readonly migrations: Readonly<Record<string, Migration>>;
  readonly migrationTableName?: string;
  readonly migrationLockTableName?: string;
}

/**
 * Brings a migration set to its newest migration. Safe with several processes (Kysely takes its
 * lock) and idempotent; throws naming the migration that failed.
 *
 * An up-to-date store (every start but the first after an upgrade) is recognised with two cheap
 * queries: Kysely's own check reads the columns of every table in the database first, which on
 * PGlite costs a tenth of a second per set and start. Only when the tracking table holds exactly
 * the set's names is the Migrator skipped; anything else (a pending migration, a name this version
 * does not know) goes through it, with its lock and its errors.
 */
export async function migrateToLatest(db: Kysely<any>, set: MigrationSet): Promise<void> {
  if (await upToDate(db, set)) return;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...set.migrations }) },
    ...(set.migrationTableName ? { migrationTableName: set.migrationTableName } : {}),
    ...(set.migrationLockTableName ? { migrationLockTableName: set.migrationLockTableName } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`${set.label} ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}

/** True when the set's tracking table records exactly its migrations' names. */
async function upToDate(db: Kysely<any>, set: MigrationSet): Promise<boolean> {
  const table = set.migrationTableName ?? 'kysely_migration';
  const exists = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(db);
  if (!exists.rows[0]?.found) return false;
  const applied = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db);
  const names = new Set(Object.keys(set.migrations));
  return applied.rows.length === names.size && applied.rows.every((row) => names.has(row.name));
}
