import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from '../../framework/cli-errors.js';
import { defineCommand } from '../../framework/command-spec.js';
import { DATA_DIR_FLAG } from './admin-store.js';

/**
 * `privlink admin restore <file>`: puts a backup of `privlink admin backup` back. Embedded store:
 * into a new or empty data directory (never over a store, never while a server runs). PostgreSQL
 * (DATABASE_URL): `pg_restore` into an empty database. Start `privlink serve` on it afterwards: it
 * migrates an older backup and its reconciler brings the cloud to the restored state.
 */
export const restoreCommand = defineCommand({
  name: 'restore',
  summary: 'Restore a backup into a new or empty data directory (or, with DATABASE_URL, an empty database).',
  description:
    'The data directory must be missing or empty, so no server can run on it; its folders are made 0700 and its files 0600. ' +
    'With DATABASE_URL set, pg_restore loads a pg_dump archive into that database, which must hold no tables. ' +
    'Then start privlink serve: a backup made by an older version is migrated, and the reconciler brings the cloud to the restored state.',
  args: [{ name: 'file', description: 'A file written by privlink admin backup.' }],
  flags: [DATA_DIR_FLAG],
  examples: [
    'privlink admin restore /var/backups/privlink/2026-11-30.privlink.tar.gz --data-dir /var/lib/privlink',
    'createdb privlink_restored && DATABASE_URL=postgres://localhost/privlink_restored privlink admin restore privlink.dump',
  ],
  async run(ctx, args) {
    const { buildConfig, ConfigError } = await import('../../../config/config.js');
    const { BackupError, pgRestore, restoreDataDir } = await import('../../../store/backup-archive.js');
    let config;
    try {
      config = buildConfig({ dataDir: ctx.flag('dataDir') }, ctx.io.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
    const file = resolve(args[0]!);
    if (!existsSync(file)) throw new CliError(`${file} does not exist.`);
    try {
      if (config.databaseUrl) {
        await pgRestore(config.databaseUrl, file, ctx.io.env);
        ctx.err(`Restored ${file} into the PostgreSQL store. Start privlink serve on it.\n`);
        return;
      }
      await restoreDataDir(file, config.dataDir);
      ctx.err(`Restored ${file} into ${config.dataDir}. Start privlink serve --data-dir ${config.dataDir}.\n`);
    } catch (error) {
      if (error instanceof BackupError) throw new CliError(error.message);
      throw error;
    }
  },
});
