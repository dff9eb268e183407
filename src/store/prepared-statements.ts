import type pg from 'pg';

/**
 * Named (prepared) statements for a PostgreSQL pool's queries. Each distinct query text a pooled
 * connection runs is parsed and planned by PostgreSQL once per connection instead of on every
 * execution: on the project's machine a primary-key read cost PostgreSQL 92 µs of CPU unnamed and
 * 42 µs prepared (docs/benchmarks.md). What the pool runs is unchanged: same text, same values,
 * same rows.
 *
 * Contract:
 * - Only parameterised data statements are named (`select`, `insert`, `update`, `delete`, `with`,
 *   given an array of values); `begin`, `commit`, `listen` and the like go unnamed, as before.
 * - At most `limit` distinct texts are named per process (first come); later texts go unnamed, so
 *   queries built with a varying number of parameters cannot make a connection hold statements
 *   without bound.
 * - A rolling upgrade adds columns while older replicas run: PostgreSQL then refuses a prepared
 *   `select *` whose result shape changed ("cached plan must not change result type"). On that
 *   error every name of this process is dropped (the texts are prepared again under new names on
 *   first use) and a statement outside a transaction is run once more; one inside a transaction
 *   fails, as any statement error fails it, and its caller's retry finds the new names.
 * - `PRIVLINK_DATABASE_PREPARED_STATEMENTS=off` turns naming off (a transaction-pooling proxy such as
 *   PgBouncer before 1.21 cannot keep a session's prepared statements).
 */
export function prepareStatements(pool: pg.Pool, limit = 2000): PreparedStatements {
  const names = new PreparedStatements(limit);
  pool.on('connect', (client) => names.attach(client));
  return names;
}

/** PostgreSQL's SQLSTATE for "cached plan must not change result type" (feature_not_supported). */
const PLAN_RESULT_CHANGED = '0A000';

const DATA_STATEMENT = /^\s*(select|insert|update|delete|with)\b/i;

export class PreparedStatements {
  private readonly byText = new Map<string, string>();
  /** Bumped when the schema under the prepared statements changed: every name is new after it. */
  private epoch = 0;
  private next = 0;

  constructor(private readonly limit: number) {}

  /** How many texts are named now (for tests and metrics). */
  get size(): number {
    return this.byText.size;
  }

  /** The statement name for `text`, or undefined when it goes unnamed. */
  nameOf(text: string): string | undefined {
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    if (this.byText.size >= this.limit || !DATA_STATEMENT.test(text)) return undefined;
    const name = `privlink_${this.epoch}_${this.next++}`;
    this.byText.set(text, name);
    return name;
  }

  /** Wraps `client.query` so that `(text, values)` calls run as named statements. */
  attach(client: pg.PoolClient): void {
    const original = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
    const named = (text: string, values: unknown[]): Promise<pg.QueryResult> => {
      const name = this.nameOf(text);
      // Unnamed as the caller asked: pg copies a config object on every call, a string it does not.
      if (name === undefined) return original(text, values);
      return original({ name, text, values }).catch((error: unknown) => {
        if ((error as { code?: string }).code !== PLAN_RESULT_CHANGED) throw error;
        this.forget(name);
        // Outside a transaction nothing was done: run it again under a new name.
        if (client.getTransactionStatus() === 'I') return original({ name: this.nameOf(text), text, values });
        throw error;
      });
    };
    client.query = function (config: unknown, values?: unknown, callback?: unknown) {
      if (typeof config === 'string' && Array.isArray(values) && callback === undefined) return named(config, values);
      // eslint-disable-next-line prefer-rest-params
      return original(...(arguments as unknown as unknown[]));
    } as typeof client.query;
  }

  /** Drops every name once the one given is found stale (several connections may find it at once). */
  private forget(staleName: string): void {
    if (!staleName.startsWith(`privlink_${this.epoch}_`)) return;
    this.epoch += 1;
    this.byText.clear();
  }
}
