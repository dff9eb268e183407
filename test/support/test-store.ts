import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import pg from 'pg';
import { migrateLocalCloud } from '../../src/localcloud/aws/store/migrations/index.js';
import { migrateLocalCloudAzure } from '../../src/localcloud/azure/store/migrations/index.js';
import { migrateLocalCloudGcp } from '../../src/localcloud/gcp/store/migrations/index.js';
import { openStore, type Store, type StoreLocation } from '../../src/store/database.js';

/**
 * Test stores on the backend this run uses: PGlite (default) or PostgreSQL (when DATABASE_URL
 * is set). Every call gives a fresh, migrated, empty store of its own and a cleanup function.
 */
export interface TestStore {
  readonly store: Store;
  readonly location: StoreLocation;
  /** Closes the store (if still open) and deletes its data directory or database. */
  cleanup(): Promise<void>;
}

/** Which backend this test run uses. */
export function testBackend(): 'pglite' | 'postgres' {
  return process.env.DATABASE_URL ? 'postgres' : 'pglite';
}

/** Makes the migrated PGlite template directory (called once per run by scripts/run-tests.mjs). */
export async function prepareTemplate(dir: string): Promise<string> {
  await migrateAll({ kind: 'pglite', dataDir: dir });
  return dir;
}

/**
 * Makes a migrated PostgreSQL template database `name` on the DATABASE_URL server (called once per
 * run by scripts/run-tests.mjs): every test database is then created from it, a copy in a tenth of
 * the time its migrations take. Returns a function that drops it.
 */
export async function preparePostgresTemplate(name: string): Promise<() => Promise<void>> {
  await adminQuery(`create database ${name}`);
  await migrateAll({ kind: 'postgres', url: databaseUrl(name) });
  return async () => void (await adminQuery(`drop database if exists ${name} with (force)`));
}

/** Runs privlink's migrations and the local clouds' (most tests run the local cloud: its tables are made once, too). */
async function migrateAll(location: StoreLocation): Promise<void> {
  const store = await openStore(location);
  await migrateLocalCloud(store.db);
  await migrateLocalCloudAzure(store.db);
  await migrateLocalCloudGcp(store.db);
  await store.close();
}

/**
 * Drops every database on the DATABASE_URL server whose name starts with `prefix` (what a run's
 * test files left behind: each should have dropped its own) and returns their names.
 */
export async function dropLeftoverDatabases(prefix: string): Promise<string[]> {
  const { rows } = await adminQuery<{ datname: string }>(`select datname from pg_database where starts_with(datname, $1) order by datname`, [prefix]);
  for (const { datname } of rows) await adminQuery(`drop database if exists ${datname} with (force)`);
  return rows.map((row) => row.datname);
}

/** The start of this run's test database names (the runner's, or this process's when run alone). */
function testDatabasePrefix(): string {
  return process.env.PRIVLINK_TEST_PG_PREFIX ?? `privlink_t_${process.pid}_`;
}

/** The running test file's name as an identifier part (`store/store.test.js` → `store`), so a database left behind tells whose it was. */
function testFileTag(): string {
  return basename(process.argv[1] ?? 'test')
    .replace(/(\.serial)?\.test\.js$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
}

/** Runs one statement on the DATABASE_URL server's maintenance connection. */
async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL! });
  await admin.connect();
  try {
    return await admin.query<R>(sql, values);
  } finally {
    await admin.end();
  }
}

/** The URL of database `name` on the DATABASE_URL server. */
function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

function scratchDir(): string {
  const base = process.env.PRIVLINK_TEST_SCRATCH ?? join(tmpdir(), 'privlink-test-scratch');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'store-'));
}

/**
 * A fresh store location (not opened): a copy of the run's migrated template (a PGlite data
 * directory, or a PostgreSQL database on the DATABASE_URL server). `empty`: no migration run at
 * all (a store to load an old version's dump into). Use it to start a server process on it.
 */
export async function newStoreLocation(options: { readonly empty?: boolean } = {}): Promise<{ location: StoreLocation; drop: () => Promise<void> }> {
  if (testBackend() === 'postgres') {
    const name = `${testDatabasePrefix()}${testFileTag()}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const template = options.empty ? undefined : process.env.PRIVLINK_TEST_PG_TEMPLATE;
    await adminQuery(`create database ${name}${template ? ` template ${template}` : ''}`);
    return { location: { kind: 'postgres', url: databaseUrl(name) }, drop: async () => void (await adminQuery(`drop database if exists ${name} with (force)`)) };
  }
  const dir = scratchDir();
  const template = options.empty ? undefined : process.env.PRIVLINK_TEST_PGLITE_TEMPLATE;
  if (template) cpSync(template, dir, { recursive: true });
  rmSync(join(dir, 'privlink.lock'), { force: true });
  return { location: { kind: 'pglite', dataDir: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a fresh migrated store for one test (file). Call `cleanup()` in `after`. */
export async function openTestStore(): Promise<TestStore> {
  const { location, drop } = await newStoreLocation();
  const store = await openStore(location);
  let closed = false;
  return {
    store,
    location,
    async cleanup() {
      if (!closed) {
        closed = true;
        await store.close().catch(() => undefined);
      }
      await drop();
    },
  };
}
