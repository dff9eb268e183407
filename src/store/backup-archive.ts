import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openAsBlob, openSync, readdirSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { secureDataDir } from './data-dir-permissions.js';
import { BACKUP_CHANNEL_FILE } from './backup-channel.js';

const run = promisify(execFile);

/** Raised when a backup or restore cannot be done as asked; the message says what to do instead. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Files a process leaves in a data directory while it runs: never part of a restored directory. */
const RUNTIME_FILES = ['privlink.lock', BACKUP_CHANNEL_FILE];

/**
 * Writes `bytes` to `file` (mode 0600) through `<file>.partial` and a rename, so a backup file is
 * either complete or absent. A missing folder is created with mode 0700.
 */
export function writeBackupFile(file: string, bytes: Uint8Array): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.partial`;
  writeFileSync(partial, bytes, { mode: 0o600 });
  renameSync(partial, file);
}

/** What a backup file holds, from its first bytes: an embedded store's archive, a pg_dump archive, or neither. */
export function backupKind(file: string): 'pglite' | 'pg_dump' | 'unknown' {
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
  if (head.toString('latin1') === 'PGDMP') return 'pg_dump';
  return 'unknown';
}

/**
 * Restores an embedded store's archive (from `privlink admin backup`) into `dataDir`, which must be
 * missing or empty: PGlite unpacks and opens it (so a damaged archive fails here, not at the next
 * start), the files a running process leaves (lock, backup channel) are dropped, and every entry
 * is made private (directories 0700, files 0600).
 *
 * @throws BackupError when the directory is not empty or the file is not such an archive
 */
export async function restoreDataDir(file: string, dataDir: string): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new BackupError(`${dataDir} is not empty: restore into a new or empty data directory (stop privlink serve, then move the directory aside).`);
  }
  const kind = backupKind(file);
  if (kind === 'pg_dump') throw new BackupError(`${file} is a pg_dump archive: restore it into an empty PostgreSQL database (set DATABASE_URL).`);
  if (kind !== 'pglite') throw new BackupError(`${file} is not a privlink backup (made by privlink admin backup).`);
  secureDataDir(dataDir);
  let lite: PGlite | undefined;
  try {
    lite = await PGlite.create(dataDir, { loadDataDir: await openAsBlob(file) });
    await lite.query('select count(*) from kysely_migration');
  } catch (error) {
    await lite?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw new BackupError(`${file} could not be restored (${(error as Error).message ?? String(error)}); ${dataDir} was left empty.`);
  }
  await lite.close();
  for (const name of RUNTIME_FILES) rmSync(join(dataDir, name), { force: true });
  secureDataDir(dataDir);
}

/** pg_dump/pg_restore, found on PATH (or PRIVLINK_PG_BIN), with a clear error when they are missing. */
async function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const bin = env.PRIVLINK_PG_BIN ? join(env.PRIVLINK_PG_BIN, tool) : tool;
  try {
    await run(bin, args, { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new BackupError(
        `${tool} was not found (PATH, or PRIVLINK_PG_BIN): install PostgreSQL's client tools (the same major version as the server or newer), or run ${tool} yourself (docs/operations.md#backup-and-restore).`,
      );
    }
    throw new BackupError(`${tool} failed: ${(failure.stderr ?? failure.message).trim()}`);
  }
}

/**
 * Backs up a PostgreSQL store with `pg_dump --format=custom` (a consistent snapshot, servers may
 * keep running) into `file` (0600, written through `<file>.partial`).
 */
export async function pgDumpBackup(url: string, file: string, env: NodeJS.ProcessEnv): Promise<void> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.partial`;
  writeFileSync(partial, '', { mode: 0o600 });
  try {
    await pgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, `--dbname=${url}`], env);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, file);
}

/**
 * Restores a `pg_dump` archive into the PostgreSQL database at `url`, which must hold no tables
 * (create it with `createdb` first).
 *
 * @throws BackupError when the database is not empty or the file is not a pg_dump archive
 */
export async function pgRestore(url: string, file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const kind = backupKind(file);
  if (kind === 'pglite') throw new BackupError(`${file} is an embedded store's archive: restore it into an empty data directory (without DATABASE_URL).`);
  if (kind !== 'pg_dump') throw new BackupError(`${file} is not a pg_dump archive.`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ n: string }>("select count(*) as n from information_schema.tables where table_schema = 'public'");
    if (Number(tables.rows[0]?.n ?? 0) > 0) throw new BackupError('The database of DATABASE_URL is not empty: restore into a new database (createdb), then point privlink at it.');
  } finally {
    await client.end();
  }
  await pgTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, file], env);
}
