import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD_PATH = fileURLToPath(new URL('./pglite-initdb.child.js', import.meta.url));

/**
 * Initialises a PGlite data directory that has none yet (no `PG_VERSION`), in a child process;
 * does nothing on an initialised one. Returns whether it initialised.
 *
 * Why a process: PGlite's `initdb` grows its WebAssembly memory to about 600 MB, and a
 * WebAssembly memory never shrinks while its instance lives. In this process that memory would
 * stay until the collector happened to free the closed instance (nothing prompts it: the memory is
 * not on V8's heap), and even a worker thread leaves part of it with the process's allocator. A
 * child's memory goes back to the system when it exits, so the store then opens at its working
 * size. It costs starting Node once more, on the first start only.
 */
export async function initialisePGliteDataDir(dataDir: string, startParams: readonly string[]): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return false;
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [CHILD_PATH, JSON.stringify({ dataDir, startParams })], (error, _stdout, stderr) => {
      if (error) reject(new Error(`PGlite could not initialise ${dataDir}: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
  return true;
}
