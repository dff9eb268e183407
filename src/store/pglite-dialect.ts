import {
  CompiledQuery,
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

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    const access = settings.accessMode ? ` ${settings.accessMode}` : '';
    await connection.executeQuery(CompiledQuery.raw(`begin${isolation}${access}`));
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async destroy(): Promise<void> {}
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGliteSession) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query(compiledQuery.sql, compiledQuery.parameters);
    const rows = result.rows as R[];
    return result.affectedRows === undefined ? { rows } : { rows, numAffectedRows: BigInt(result.affectedRows) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not stream query results');
  }
}
