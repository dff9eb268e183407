import type pg from 'pg';

/**
 * On PostgreSQL, a transaction's `BEGIN` rides with its first statement when that statement has no
 * parameters: `begin; <statement>` goes as one simple-protocol query, one round trip instead of two
 * (what the embedded store's thread does for every first statement, pglite-dialect.ts).
 *
 * Contract:
 * - A bare `begin` (no parameters: Kysely's plain `db.transaction()`) is held back, answered at
 *   once, and sent with the connection's next query. A `begin` with an isolation level or access
 *   mode goes as asked.
 * - The next query, if it has no parameters (a constant statement, or `commit` / `rollback` of a
 *   transaction that ran nothing), is sent as `begin; <query>` and answers that query's result; one
 *   with parameters (extended protocol, which runs one statement per round trip) is sent after the
 *   held `begin`, as before. Either way PostgreSQL sees the same statements in the same order.
 * - Only promise-style `query(text, values)` calls are joined; any other call shape (a cursor, a
 *   callback) is queued behind the held `begin`, sent on its own, and answers as pg would.
 * - A statement that fails after the `begin` it rode with leaves the transaction open and failed,
 *   as it would have two round trips apart: the caller's `rollback` ends it.
 */
export function letBeginRide(pool: pg.Pool): void {
  pool.on('connect', (client) => attach(client));
}

const BARE_BEGIN = /^\s*begin\s*;?\s*$/i;

/** What `begin` answers: nothing (Kysely reads no rows from it). */
const BEGUN = { command: 'BEGIN', rowCount: null, oid: 0, rows: [], fields: [] } as unknown as pg.QueryResult;

function attach(client: pg.PoolClient): void {
  const inner = client.query.bind(client) as (...args: unknown[]) => unknown;
  let held = false;
  client.query = function (config: unknown, values?: unknown, callback?: unknown) {
    const plain = typeof config === 'string' && Array.isArray(values) && callback === undefined;
    if (plain && values.length === 0 && BARE_BEGIN.test(config) && !held) {
      held = true;
      return Promise.resolve(BEGUN);
    }
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as unknown[];
    if (!held) return inner(...args);
    held = false;
    if (plain && values.length === 0) {
      // One simple-protocol query with two statements: pg answers a result per statement.
      return (inner(`begin; ${config}`, []) as Promise<pg.QueryResult | pg.QueryResult[]>).then((results) => (Array.isArray(results) ? results[results.length - 1]! : results));
    }
    // Queued behind the held begin on this connection (pg sends a connection's queries one at a
    // time, in the order asked): a promise answers once both have.
    const begun = inner('begin', []) as Promise<unknown>;
    const answer = inner(...args);
    if (answer instanceof Promise) return Promise.all([begun, answer]).then(([, result]) => result as unknown);
    // A submittable (a cursor) or a callback: it fails by itself if the connection does.
    begun.catch(() => undefined);
    return answer;
  } as typeof client.query;
}
