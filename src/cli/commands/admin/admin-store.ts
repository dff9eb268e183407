import type { AppContext } from '../../../app/app-context.js';
import { CliError } from '../../framework/cli-errors.js';
import type { CommandContext } from '../../framework/command-context.js';

/**
 * Opens the store the admin commands work on (`--data-dir`, or DATABASE_URL), runs `work` with an
 * application context on it and closes it. Refused while a server holds an embedded data
 * directory: use the Admin API then (the running server sees the change at once).
 */
export async function withAdminStore<T>(ctx: CommandContext, work: (app: AppContext) => Promise<T>): Promise<T> {
  const { buildConfig, ConfigError } = await import('../../../config/config.js');
  const { appContext } = await import('../../../app/app-context.js');
  const { openStore, storeLocation } = await import('../../../store/database.js');
  const { DataDirLockedError } = await import('../../../store/data-dir-lock.js');
  const { secureDataDir } = await import('../../../store/data-dir-permissions.js');
  let config;
  try {
    config = buildConfig({ dataDir: ctx.flag('dataDir') }, ctx.io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  secureDataDir(config.dataDir);
  let store;
  try {
    store = await openStore(storeLocation(config));
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new CliError(
        `${config.dataDir} is in use by a running privlink server (pid ${error.holderPid}); use the Admin API (/api/atlas/v2/orgs/{orgId}/privlink/…) while it runs, or stop it first.`,
      );
    }
    throw error;
  }
  try {
    return await work(appContext(store, { domain: config.domain, providers: ['AWS'] }));
  } finally {
    await store.close();
  }
}

export const DATA_DIR_FLAG = {
  syntax: '--data-dir <dir>',
  description: 'data directory (env PRIVLINK_DATA_DIR, default ./.privlink); with DATABASE_URL set, the PostgreSQL store is used',
};
