import {
  type CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { answering } from '../observability/request-context.js';
import type { PGliteSession } from './pglite-thread.js';
import { isWrite } from './write-generation.js';
import { SessionQueue, rankOf } from './session-queue.js';

/**
 * A Kysely dialect over one embedded PGlite session (its own thread, pglite-thread.ts).
 *
 * PGlite is a single database session: two transactions interleaved on it would commit or roll
 * back each other's statements (kysely-pglite loses committed rows that way).
 * So this driver hands out its one connection to one holder at a time: a transaction holds it from
 * BEGIN to COMMIT/ROLLBACK and every other query waits. Callers must never await a query on the
 * outer `db` while holding a transaction, or they wait for themselves.
 *
 * Who gets it next (session-queue.ts): work an Admin API caller waits for goes before background
 * work (reconcile passes, the local cloud), and a GET's reads before other requests' writes, so
 * that a caller reading waits for the one holder, not for a backlog; none is starved.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGliteSession) {}

  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  private readonly queue = new SessionQueue();
  private readonly connection: PGliteConnection;

  constructor(pglite: PGliteSession) {
    this.connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.queue.acquire(rankOf(answering()));
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    this.queue.release();
  }

  // The driver's one connection is the one every transaction runs on.
  async beginTransaction(_connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    this.connection.begin(settings);
  }
  async commitTransaction(): Promise<void> {
    await this.connection.endTransaction('commit');
  }
  async rollbackTransaction(): Promise<void> {
    await this.connection.endTransaction('rollback');
  }
  async destroy(): Promise<void> {}
}

/**
 * The one connection. A transaction's BEGIN is not sent alone: it travels with the transaction's
 * first statement, one round trip to the store's thread instead of two (each costs that thread's
 * and this one's wake-up). PostgreSQL takes a transaction's snapshot and its `now()` at its first
 * statement anyway, so nothing can tell the difference; a transaction that ran no statement ends
 * without a round trip.
 *
 * A read-only transaction sends neither BEGIN nor COMMIT: its holder has the store's only session
 * to itself from its first statement to its last (the driver hands it to one holder at a time), so
 * every statement already sees what the one before saw plus nothing. Its guard stays: a write in
 * it fails as PostgreSQL's read-only transactions refuse one (SQLSTATE 25006), told by the
 * statement's kind (insert, update, delete, merge; raw SQL that starts as a write or DDL does).
 */
class PGliteConnection implements DatabaseConnection {
  /** The BEGIN of the transaction just opened, until its first statement carries it. */
  private pendingBegin: string | undefined;
  /** Inside a read-only transaction (nothing sent for it). */
  private readOnly = false;

  constructor(private readonly pglite: PGliteSession) {}

  begin(settings: TransactionSettings): void {
    if (settings.accessMode === 'read only') {
      this.readOnly = true;
      return;
    }
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    const access = settings.accessMode ? ` ${settings.accessMode}` : '';
    this.pendingBegin = `begin${isolation}${access}`;
  }

  /** COMMIT or ROLLBACK: sent only when the transaction's BEGIN was. */
  async endTransaction(statement: 'commit' | 'rollback'): Promise<void> {
    if (this.readOnly || this.pendingBegin !== undefined) {
      this.readOnly = false;
      this.pendingBegin = undefined;
      return;
    }
    await this.pglite.query(statement, []);
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.readOnly && isWrite(compiledQuery.query)) {
      throw Object.assign(new Error('cannot execute this statement in a read-only transaction'), { code: '25006' });
    }
    const begin = this.pendingBegin;
    this.pendingBegin = undefined;
    const result = await this.pglite.query(compiledQuery.sql, compiledQuery.parameters, begin);
    const rows = result.rows as R[];
    return result.affectedRows === undefined ? { rows } : { rows, numAffectedRows: BigInt(result.affectedRows) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not stream query results');
  }
}
