// A privlink process started in-process for a benchmark, on a fresh store of its own: an embedded
// PGlite data directory by default, or a new database on the DATABASE_URL server when that is
// set (created here and dropped by `close()`). Benchmarks only; tests have test/support.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startPrivlink, type BootstrapFile, type RunningPrivlink } from '../../src/main.js';

export interface BenchPrivlink {
  readonly running: RunningPrivlink;
  readonly bootstrap: BootstrapFile & { localCloud: NonNullable<BootstrapFile['localCloud']> };
  /** e.g. `PGlite (embedded, data dir /tmp/…)` or `PostgreSQL 16.4 (database privlink_b_…)`. */
  readonly backend: string;
  /** Its data directory. */
  readonly dataDir: string;
  /** Stops privlink and deletes its data directory (and its database, on PostgreSQL). Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts privlink with every port ephemeral, the local cloud (AWS and Azure) on zero simulated delay, logs at
 * `warn`, and a loopback base that does not collide with a privlink on the defaults.
 */
export async function startBenchPrivlink(extraEnv: Record<string, string> = {}): Promise<BenchPrivlink> {
  const dataDir = mkdtempSync(join(tmpdir(), 'privlink-bench-'));
  const base = process.env.DATABASE_URL;
  let database: BenchDatabase | undefined;
  let running: RunningPrivlink | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await running?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    // PRIVLINK_* and OTEL_* variables of the benchmark's environment reach privlink (e.g. tracing
    // to a collector for a timeline of each leg); the benchmark's own settings win.
    const passed = Object.entries(process.env).filter(([key, value]) => /^(PRIVLINK|OTEL)_/.test(key) && value !== undefined) as Array<[string, string]>;
    const env: Record<string, string> = { ...Object.fromEntries(passed), PRIVLINK_LOCALCLOUD_LOOPBACK_BASE: '150', ...extraEnv };
    let backend = `PGlite (embedded, in this process; data dir ${dataDir})`;
    if (base) {
      database = await createBenchDatabase(base);
      env.DATABASE_URL = database.url;
      backend = database.backend;
    }
    const config = buildConfig({ port: 0, localcloudPort: 0, dnsPort: 0, dataDir }, env);
    running = await startPrivlink(config, createLogger((process.env.BENCH_LOG_LEVEL as 'warn') ?? 'warn'));
    await running.localCloud?.setDelays('instant');
    await running.azureCloud?.setDelays('instant');
    const bootstrap = running.createdBootstrap;
    if (!bootstrap?.localCloud) throw new Error('privlink started without a bootstrap key or without the local cloud');
    return { running, bootstrap: bootstrap as BenchPrivlink['bootstrap'], backend, dataDir, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** A fresh, empty database on a PostgreSQL server, made for one benchmark store. */
export interface BenchDatabase {
  readonly name: string;
  /** The server's URL with this database's name as its path. */
  readonly url: string;
  /** e.g. `PostgreSQL 16.4 (fresh database privlink_b_… on 127.0.0.1:5432)`. */
  readonly backend: string;
  /** `pg_database_size` of this database, in bytes. */
  size(): Promise<number>;
  /** Runs one statement on this database (a connection of its own) and returns its rows. */
  query<T extends Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<T[]>;
  /** Drops the database (ending its sessions). Idempotent. */
  drop(): Promise<void>;
}

/** Creates a fresh database on the server at `base` (a PostgreSQL URL; its own path is only where to connect). */
export async function createBenchDatabase(base: string): Promise<BenchDatabase> {
  const name = `privlink_b_${process.pid}_${Date.now().toString(36)}`;
  await onServer(base, (client) => client.query(`create database ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    backend: `PostgreSQL ${await serverVersion(base)} (fresh database ${name} on ${url.host})`,
    size: async () => {
      const result = await onServer(base, (client) => client.query<{ size: string }>('select pg_database_size($1)::text as size', [name]));
      return Number(result.rows[0]?.size ?? Number.NaN);
    },
    query: async <T extends Record<string, unknown>>(text: string, values: readonly unknown[] = []) =>
      (await onServer(url.toString(), (client) => client.query<T>(text, [...values]))).rows,
    drop: () => onServer(base, (client) => client.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

async function serverVersion(base: string): Promise<string> {
  const result = await onServer(base, (client) => client.query<{ server_version: string }>('show server_version'));
  return result.rows[0]?.server_version ?? '?';
}

async function onServer<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
