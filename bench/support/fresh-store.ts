import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.js';

/**
 * A fresh, migrated store for one benchmark: a PGlite data directory, or, with DATABASE_URL, a
 * database of its own on that server (`privlink_bench_<name>_<pid>`). `drop` closes and removes it.
 */
export async function freshStore(name: string): Promise<{ store: Store; where: string; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), `privlink-bench-${name}-`));
    const store = await openStore({ kind: 'pglite', dataDir: dir });
    return { store, where: 'PGlite', drop: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const database = `privlink_bench_${name}_${process.pid}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${database}`);
  const target = new URL(url);
  target.pathname = `/${database}`;
  const store = await openStore({ kind: 'postgres', url: target.toString() });
  return { store, where: 'PostgreSQL', drop: async () => (await store.close(), await admin(`drop database if exists ${database} with (force)`)) };
}
