import { EventEmitter } from 'node:events';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect, type Transaction } from 'kysely';
import { migrateToLatest } from './migrate-to-latest.js';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { restrictUmask, secureDataDir } from './data-dir-permissions.js';
import { MIGRATIONS } from './migrations/index.js';
import { PGliteDialect } from './pglite-dialect.js';
import { initialisePGliteDataDir } from './pglite-initdb.js';
import { runDetached } from '../observability/request-context.js';
import { openPGliteThread, type PGliteSession } from './pglite-thread.js';
import { prepareStatements } from './prepared-statements.js';
import { letBeginRide } from './pg-begin-rides.js';
import type { Schema } from './schema.js';
import { WriteGeneration } from './write-generation.js';

/**
 * Where privlink keeps its state. On PGlite, `sharedBuffers` is PostgreSQL's `shared_buffers` (e.g. `16MB`,
 * the default): the page cache PGlite keeps in the process's memory.
 */
export type StoreLocation =
  | { readonly kind: 'pglite'; readonly dataDir: string; readonly sharedBuffers?: string }
  | { readonly kind: 'postgres'; readonly url: string; /** Named statements (prepared-statements.ts); default on. */ readonly preparedStatements?: boolean };

/** The store the configuration names: PostgreSQL when `DATABASE_URL` is set, else PGlite in the data directory. */
export function storeLocation(config: {
  readonly databaseUrl: string | null;
  readonly databasePreparedStatements?: boolean;
  readonly dataDir: string;
  readonly pgliteSharedBuffers: string;
}): StoreLocation {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl, preparedStatements: config.databasePreparedStatements ?? true }
    : { kind: 'pglite', dataDir: config.dataDir, sharedBuffers: config.pgliteSharedBuffers };
}

/**
 * PGlite's shared buffers unless the location names them: an eighth of PostgreSQL's default (128MB),
 * which kept about 110 MB more of the process's memory resident; the pages beyond them are read
 * from the operating system's file cache.
 */
const DEFAULT_PGLITE_SHARED_BUFFERS = '16MB';

/** Anything a repository can run queries on: the database or an open transaction. */
export type Executor = Kysely<Schema> | Transaction<Schema>;

/**
 * The opened store: one Kysely instance over PGlite or PostgreSQL, plus cross-process
 * notifications (LISTEN/NOTIFY on PostgreSQL; in-process on PGlite, where the data-dir lock
 * guarantees there is only one process).
 */
export interface Store {
  readonly db: Kysely<Schema>;
  readonly backend: 'pglite' | 'postgres';
  /** Moves on every write of this process (see write-generation.ts); read caches check it. */
  readonly writes: WriteGeneration;
  /** Runs `work` in one transaction. On PGlite transactions are serialised. */
  transaction<T>(work: (trx: Transaction<Schema>) => Promise<T>): Promise<T>;
  /**
   * Runs read-only `work` in one `repeatable read, read only` transaction: a consistent picture of
   * what was committed when it began, without taking locks, and not counted as a write of this
   * process (read caches stay warm). A write inside it fails.
   */
  readConsistent<T>(work: (trx: Transaction<Schema>) => Promise<T>): Promise<T>;
  /** Tells every process sharing the store (this one included). Call after the change committed. */
  notify(channel: string, payload: string): Promise<void>;
  /** Subscribes to `channel`; returns an unsubscribe function. */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * A consistent copy of an embedded (PGlite) store's whole data directory as a gzip'd tar
   * archive, taken between two queries after a checkpoint; null on PostgreSQL (use pg_dump).
   */
  readonly dumpDataDir: (() => Promise<Blob>) | null;
  close(): Promise<void>;
}

/**
 * Opens the store and runs pending migrations (forward-only). On PGlite the data directory is
 * locked first: a second process gets DataDirLockedError instead of silently losing writes. The
 * directory is private to the user: 0700, the process umask 077 (files PGlite creates later are
 * 0600), and once PGlite has started every entry is brought to 0700/0600 (its first-start
 * initialisation sets 0666 modes itself, which no umask prevents).
 */
export async function openStore(location: StoreLocation, options: { migrate?: boolean } = {}): Promise<Store> {
  const store =
    location.kind === 'pglite'
      ? await openPGlite(location.dataDir, location.sharedBuffers ?? DEFAULT_PGLITE_SHARED_BUFFERS)
      : await openPostgres(location.url, location.preparedStatements ?? true);
  if (options.migrate !== false) {
    try {
      await migrate(store.db);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/** Brings the schema to the newest migration. Safe with several processes (Kysely takes a lock). */
export async function migrate(db: Kysely<any>): Promise<void> {
  await migrateToLatest(db, { label: 'Migration', migrations: MIGRATIONS });
}

/** Migrations this store has not run yet, in the order they would run (none on an up-to-date store). */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

async function openPGlite(dataDir: string, sharedBuffers: string): Promise<Store> {
  restrictUmask();
  const unlock = lockDataDir(dataDir);
  let pglite: PGliteSession;
  try {
    pglite = await startPGlite(dataDir, sharedBuffers);
  } catch (error) {
    unlock();
    throw error;
  }
  try {
    secureDataDir(dataDir);
  } catch (error) {
    await pglite.close();
    unlock();
    throw error;
  }
  const writes = new WriteGeneration();
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite), plugins: [writes] });
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  return {
    db,
    backend: 'pglite',
    writes,
    transaction: (work) => {
      const written = writes.transactionWrites();
      return db
        .transaction()
        .execute((trx) => work(trx.withPlugin(written)))
        .finally(() => writes.bump(written.tables));
    },
    readConsistent: (work) => db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work),
    async notify(channel, payload) {
      // Listeners run as background work, as PostgreSQL's notifications reach them (not in the
      // notifier's request: a local cloud's change must not lend its caller's rank to the data
      // plane's reads that follow it).
      runDetached(() => bus.emit(channel, payload));
    },
    async listen(channel, handler) {
      bus.on(channel, handler);
      return async () => void bus.off(channel, handler);
    },
    async dumpDataDir() {
      await pglite.exec('checkpoint');
      return pglite.dumpDataDir();
    },
    async close() {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}

/**
 * Starts PGlite on `dataDir` in a thread of its own (pglite-thread.ts); a directory it has not
 * initialised yet is initialised first in a child process (pglite-initdb.ts), so the process does
 * not keep initdb's memory.
 */
async function startPGlite(dataDir: string, sharedBuffers: string): Promise<PGliteSession> {
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`];
  await initialisePGliteDataDir(dataDir, startParams);
  return openPGliteThread({ dataDir, startParams });
}

async function openPostgres(url: string, preparedStatements: boolean): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  if (preparedStatements) prepareStatements(pool);
  letBeginRide(pool);
  // An idle client the server closed (restart, database dropped) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const writes = new WriteGeneration();
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), plugins: [writes] });
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    db,
    backend: 'postgres',
    writes,
    transaction: (work) => {
      const written = writes.transactionWrites();
      return db
        .transaction()
        .execute((trx) => work(trx.withPlugin(written)))
        .finally(() => writes.bump(written.tables));
    },
    readConsistent: (work) => db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(work),
    async notify(channel, payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async listen(channel, handler) {
      if (!listener) {
        listener = new pg.Client({ connectionString: url });
        await listener.connect();
        listener.on('notification', (message) => {
          for (const h of handlers.get(message.channel) ?? []) h(message.payload ?? '');
        });
        listener.on('error', () => undefined);
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`listen ${pg.escapeIdentifier(channel)}`);
      }
      set.add(handler);
      return async () => void set!.delete(handler);
    },
    dumpDataDir: null,
    async close() {
      await listener?.end().catch(() => undefined);
      await db.destroy();
    },
  };
}
