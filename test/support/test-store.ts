import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const store = await openStore({ kind: 'pglite', dataDir: dir });
  await migrateLocalCloud(store.db); // most tests run the local cloud: make its tables once, too
  await migrateLocalCloudAzure(store.db);
  await migrateLocalCloudGcp(store.db);
  await store.close();
  return dir;
}

function scratchDir(): string {
  const base = process.env.PRIVLINK_TEST_SCRATCH ?? join(tmpdir(), 'privlink-test-scratch');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'store-'));
}

/**
 * A fresh store location (not opened): a copy of the PGlite template, or a new empty PostgreSQL
 * database on the DATABASE_URL server. Use it to start a server process on it.
 */
export async function newStoreLocation(): Promise<{ location: StoreLocation; drop: () => Promise<void> }> {
  if (testBackend() === 'postgres') {
    const base = new URL(process.env.DATABASE_URL!);
    const name = `privlink_t_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const admin = new pg.Client({ connectionString: base.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(base.toString());
    url.pathname = `/${name}`;
    return {
      location: { kind: 'postgres', url: url.toString() },
      drop: async () => {
        const client = new pg.Client({ connectionString: base.toString() });
        await client.connect();
        await client.query(`drop database if exists ${name} with (force)`);
        await client.end();
      },
    };
  }
  const dir = scratchDir();
  const template = process.env.PRIVLINK_TEST_PGLITE_TEMPLATE;
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
