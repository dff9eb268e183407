import { CliError } from '../framework/cli-errors.js';
import { defineCommand } from '../framework/command-spec.js';

/**
 * `privlink migrate [--dry-run] [--data-dir <dir>]`: brings the store's schema to this version
 * (what `privlink serve` also does at start), or with `--dry-run` only lists the migrations that
 * would run, one per line on stdout, changing nothing. For upgrades: run the new version's
 * `migrate --dry-run` against the store (PostgreSQL: next to the running servers) to see what the
 * upgrade will change.
 */
export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'Apply pending store migrations, or list them with --dry-run.',
  description:
    'Opens the store of --data-dir (refused while a server runs on it) or of DATABASE_URL. Migrations are forward-only; `privlink serve` applies them at start too. ' +
    'With --dry-run nothing is changed: the pending migrations are printed, one per line, oldest first.',
  flags: [
    { syntax: '--dry-run', description: 'list the pending migrations without applying them' },
    { syntax: '--data-dir <dir>', description: 'data directory (env PRIVLINK_DATA_DIR, default ./.privlink)' },
  ],
  examples: ['privlink migrate --dry-run --data-dir .privlink', 'DATABASE_URL=postgres://localhost/privlink privlink migrate'],
  async run(ctx) {
    const { buildConfig, ConfigError } = await import('../../config/config.js');
    const { migrate, openStore, pendingMigrations, storeLocation } = await import('../../store/database.js');
    let config;
    try {
      config = buildConfig({ dataDir: ctx.flag('dataDir') }, ctx.io.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
    const store = await openStore(storeLocation(config), { migrate: false });
    try {
      const pending = await pendingMigrations(store.db);
      if (ctx.bool('dryRun')) {
        for (const name of pending) ctx.out(`${name}\n`);
        ctx.err(pending.length === 0 ? 'The store is up to date: no pending migrations.\n' : `${pending.length} pending migration(s); nothing was changed (--dry-run).\n`);
        return;
      }
      await migrate(store.db);
      for (const name of pending) ctx.out(`${name}\n`);
      ctx.err(pending.length === 0 ? 'The store is up to date: no pending migrations.\n' : `Applied ${pending.length} migration(s).\n`);
    } finally {
      await store.close();
    }
  },
});
