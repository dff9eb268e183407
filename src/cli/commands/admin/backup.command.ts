import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../../framework/cli-errors.js';
import { defineCommand } from '../../framework/command-spec.js';
import { DATA_DIR_FLAG } from './admin-store.js';

/**
 * `privlink admin backup <file>`: a consistent backup of the store. Embedded store: the whole data
 * directory (store, bootstrap.json, local CA) as one archive, taken by the running server through
 * its backup channel (see store/backup-channel.ts), or from the directory itself when no server
 * runs. PostgreSQL (DATABASE_URL): `pg_dump --format=custom`. The file is written 0600 (through
 * `<file>.partial`, so it is complete or absent); a missing folder is made 0700.
 */
export const backupCommand = defineCommand({
  name: 'backup',
  summary: 'Write a consistent backup of the store to a file (0600), while privlink serve runs or not.',
  description:
    'Embedded store (--data-dir): the running server takes the copy between two queries, so it is consistent; it holds the whole data directory (the store, bootstrap.json and the local CA). ' +
    'With DATABASE_URL set, pg_dump --format=custom is run (PostgreSQL client tools on PATH, or in PRIVLINK_PG_BIN). Restore with privlink admin restore.',
  args: [{ name: 'file', description: 'File to write (replaced if it exists).' }],
  flags: [DATA_DIR_FLAG],
  examples: [
    'privlink admin backup /var/backups/privlink/$(date +%F).privlink.tar.gz --data-dir /var/lib/privlink',
    'DATABASE_URL=postgres://localhost/privlink privlink admin backup privlink.dump',
  ],
  async run(ctx, args) {
    const { buildConfig, ConfigError } = await import('../../../config/config.js');
    const { BackupError, pgDumpBackup, writeBackupFile } = await import('../../../store/backup-archive.js');
    const { backupThroughChannel } = await import('../../../store/backup-channel.js');
    let config;
    try {
      config = buildConfig({ dataDir: ctx.flag('dataDir') }, ctx.io.env);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
    const file = resolve(args[0]!);
    try {
      if (config.databaseUrl) {
        await pgDumpBackup(config.databaseUrl, file, ctx.io.env);
        ctx.err(`Backup of the PostgreSQL store written to ${file} (pg_dump custom format).\n`);
        return;
      }
      const running = await backupThroughChannel(config.dataDir).catch((error: Error) => {
        throw new CliError(`${config.dataDir}: ${error.message}`);
      });
      if (running) {
        writeBackupFile(file, running);
        ctx.err(`Backup of ${config.dataDir} taken by the running server, written to ${file} (${running.length} bytes).\n`);
        return;
      }
      if (!existsSync(join(config.dataDir, 'PG_VERSION'))) throw new CliError(`${config.dataDir} holds no privlink store: nothing to back up.`);
      const bytes = await dumpStopped(config.dataDir);
      writeBackupFile(file, bytes);
      ctx.err(`Backup of ${config.dataDir} written to ${file} (${bytes.length} bytes).\n`);
    } catch (error) {
      if (error instanceof BackupError) throw new CliError(error.message);
      throw error;
    }
  },
});

/** The archive of a data directory no server holds (the lock keeps one from starting meanwhile). */
async function dumpStopped(dataDir: string): Promise<Buffer> {
  const { openStore } = await import('../../../store/database.js');
  const { DataDirLockedError } = await import('../../../store/data-dir-lock.js');
  let store;
  try {
    store = await openStore({ kind: 'pglite', dataDir }, { migrate: false });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new CliError(`${dataDir} is in use by privlink process ${error.holderPid}, which offers no backup channel (an older version?): stop it, then run this command again.`);
    }
    throw error;
  }
  try {
    return Buffer.from(await (await store.dumpDataDir!()).arrayBuffer());
  } finally {
    await store.close();
  }
}
