import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/** Mode of the data directory and every directory in it: owner only. */
const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file in the data directory: owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes files this process creates from now on private to its user (umask 077). PGlite writes
 * its files through Node's fs with the default modes (0666/0777), so the umask is what keeps the
 * write-ahead log (API key hashes, the local cloud's secret keys) from being readable by others.
 * A worker thread cannot change the umask; there the start-up pass of `secureDataDir` does the work.
 */
export function restrictUmask(): void {
  if (isMainThread) process.umask(0o077);
}

/**
 * Prepares a data directory at start: restricts the umask, creates the directory with mode 0700
 * when missing, and brings every entry under it (the directory itself included) to 0700 for
 * directories and 0600 for files. Symbolic links are left alone (their targets are not ours).
 *
 * @returns how many entries had their mode changed (0 for a fresh or already private directory)
 */
export function secureDataDir(dataDir: string): number {
  restrictUmask();
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  return fixModes(dataDir);
}

function fixModes(path: string): number {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0;
  const wanted = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
  let fixed = 0;
  if ((stat.mode & 0o7777) !== wanted) {
    chmodSync(path, wanted);
    fixed++;
  }
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) fixed += fixModes(join(path, entry));
  }
  return fixed;
}
