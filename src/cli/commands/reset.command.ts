import { CliError } from '../framework/cli-errors.js';
import { defineCommand, FORCE_FLAG } from '../framework/command-spec.js';

/** Entries of which at least one is in every data directory privlink has used. */
const DATA_DIR_MARKERS = ['PG_VERSION', 'bootstrap.json', 'privlink.lock', 'ca.pem'];

/**
 * `privlink reset [--data-dir <dir>] [--force]`: deletes an embedded data directory, so the next
 * `privlink serve` starts from scratch (new organization, project and key). Asks on a terminal,
 * needs --force elsewhere; refused while a server holds the directory (its lock), for a directory
 * that does not look like a privlink data directory, and when DATABASE_URL is set.
 */
export const resetCommand = defineCommand({
  name: 'reset',
  summary: 'Delete the embedded data directory (PGlite store, bootstrap.json, local CA) to start over.',
  description:
    'Everything privlink stored there is lost: organizations, projects, API keys, private endpoints, clusters and the local cloud. ' +
    'Refused while a server runs on the directory. With DATABASE_URL set, drop the PostgreSQL database instead.',
  flags: [{ syntax: '--data-dir <dir>', description: 'data directory (env PRIVLINK_DATA_DIR, default ./.privlink)' }, FORCE_FLAG],
  examples: ['privlink reset --data-dir .privlink', 'privlink reset --data-dir /var/lib/privlink --force'],
  async run(ctx) {
    const { existsSync, readdirSync, rmSync } = await import('node:fs');
    const { resolve } = await import('node:path');
    const { DataDirLockedError, lockDataDir } = await import('../../store/data-dir-lock.js');
    const dataDir = resolve(ctx.flag('dataDir') ?? (ctx.io.env.PRIVLINK_DATA_DIR || '.privlink'));
    if (ctx.io.env.DATABASE_URL) {
      throw new CliError('DATABASE_URL is set: privlink reset deletes only an embedded data directory. Drop the PostgreSQL database to start over, or unset DATABASE_URL.');
    }
    if (!existsSync(dataDir)) {
      ctx.err(`Nothing to reset: ${dataDir} does not exist\n`);
      return;
    }
    const entries = readdirSync(dataDir);
    if (entries.length > 0 && !DATA_DIR_MARKERS.some((marker) => entries.includes(marker))) {
      throw new CliError(`${dataDir} does not look like a privlink data directory (none of ${DATA_DIR_MARKERS.join(', ')}); not deleting it.`);
    }
    let unlock: () => void;
    try {
      unlock = lockDataDir(dataDir);
    } catch (error) {
      if (error instanceof DataDirLockedError) throw new CliError(`${dataDir} is in use by a running privlink server (pid ${error.holderPid}); stop it first.`);
      throw error;
    }
    try {
      await ctx.confirmDelete(dataDir, 'Data directory not deleted');
      rmSync(dataDir, { recursive: true, force: true });
    } finally {
      unlock();
    }
    ctx.out(`Data directory '${dataDir}' deleted\n`);
  },
});
