import type { PrivlinkConfig } from '../../../config/config.js';
import { appContext } from '../../../app/app-context.js';
import { claimBootstrapKey, resetBootstrapKey } from '../../../app/bootstrap.service.js';
import { bootstrapFilePath, readBootstrapFile, writeBootstrapFile, type BootstrapFile } from '../../../store/bootstrap-file.js';
import { DataDirLockedError } from '../../../store/data-dir-lock.js';
import { secureDataDir } from '../../../store/data-dir-permissions.js';
import { openStore, storeLocation } from '../../../store/database.js';
import { CliError } from '../../framework/cli-errors.js';

/**
 * Rotates the bootstrap key in the configured store and writes the new credentials to
 * `<data-dir>/bootstrap.json`, keeping the URLs and local cloud credentials a server wrote there
 * (the next start refreshes them). The key stays pending in the store until the file is written,
 * so an interruption in between is repaired by the next start.
 *
 * @throws CliError when a server holds the embedded data directory
 */
export async function resetBootstrapCredentials(config: PrivlinkConfig): Promise<{ file: BootstrapFile; path: string }> {
  secureDataDir(config.dataDir);
  let store;
  try {
    store = await openStore(storeLocation(config));
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new CliError(`${config.dataDir} is in use by a running privlink server (pid ${error.holderPid}); stop it, then run this command again.`);
    }
    throw error;
  }
  try {
    const ctx = appContext(store, { domain: config.domain, providers: ['AWS'] });
    const key = await resetBootstrapKey(ctx);
    let previous: BootstrapFile | null = null;
    try {
      previous = readBootstrapFile(config.dataDir);
    } catch {
      previous = null; // unreadable: replaced below
    }
    const file: BootstrapFile = {
      orgId: key.orgId,
      projectId: key.projectId,
      apiKeyId: key.apiKeyId,
      publicKey: key.publicKey,
      privateKey: key.privateKey,
      baseUrl: previous?.baseUrl ?? config.publicUrl ?? `http://${config.host}:${config.port}`,
      ...(previous?.dns ? { dns: previous.dns } : {}),
      ...(previous?.localCloud ? { localCloud: previous.localCloud } : {}),
    };
    writeBootstrapFile(config.dataDir, file);
    await claimBootstrapKey(ctx, key);
    return { file, path: bootstrapFilePath(config.dataDir) };
  } finally {
    await store.close();
  }
}
