import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.js';
import { PreparedStatements, prepareStatements } from '../../src/store/prepared-statements.js';
import { newStoreLocation, testBackend } from '../support/test-store.js';

// Named statements on a PostgreSQL pool: each text is prepared once per connection, the pool's
// answers do not change, a schema change under a prepared `select *` (a rolling upgrade's
// migration) costs at most the one statement inside a transaction, and the switch turns it off.
const postgresOnly = testBackend() === 'pglite' ? 'named statements belong to the PostgreSQL pool; PGlite runs in the process and parses nothing over a wire' : false;

describe('which texts are named', () => {
  test('parameterised data statements are, up to the limit; transaction control is not', () => {
    const names = new PreparedStatements(2);
    const first = names.nameOf('select * from "projects" where "id" = $1');
    assert.ok(first?.startsWith('privlink_'));
    assert.equal(names.nameOf('select * from "projects" where "id" = $1'), first, 'the same text keeps its name');
    assert.equal(names.nameOf('begin'), undefined);
    assert.equal(names.nameOf('commit'), undefined);
    assert.equal(names.nameOf('listen "x"'), undefined);
    assert.ok(names.nameOf('  UPDATE "t" set "a" = $1'));
    assert.equal(names.nameOf('delete from "t" where "id" = $1'), undefined, 'over the limit: unnamed');
    assert.equal(names.size, 2);
  });
});

describe('named statements on PostgreSQL', { skip: postgresOnly }, () => {
  let url = '';
  let drop: () => Promise<void> = async () => undefined;
  before(async () => {
    if (postgresOnly) return;
    const made = await newStoreLocation();
    if (made.location.kind !== 'postgres') throw new Error('expected a PostgreSQL location');
    url = made.location.url;
    drop = made.drop;
  });
  after(async () => drop());

  /** The statements this connection's session holds, by name. */
  async function sessionStatements(run: (text: string) => Promise<pg.QueryResult>): Promise<Map<string, string>> {
    const { rows } = await run(`select name, statement from pg_prepared_statements where name like 'privlink_%'`);
    return new Map(rows.map((row: { name: string; statement: string }) => [row.name, row.statement]));
  }

  test("the store's queries are prepared once per connection and answer as before", async () => {
    const store: Store = await openStore({ kind: 'postgres', url });
    try {
      await store.transaction(async (trx) => {
        // One transaction keeps one connection: what it prepared is in its session.
        const read = () => trx.selectFrom('projects').select(['id', 'name']).where('id', '=', 'none').execute();
        assert.deepEqual(await read(), []);
        const raw = (text: string) => sql.raw(text).execute(trx) as Promise<pg.QueryResult>;
        const once = await sessionStatements(raw);
        assert.deepEqual(await read(), []);
        const twice = await sessionStatements(raw);
        const mine = [...twice].filter(([, text]) => text.includes('from "projects" where "id" = $1'));
        assert.equal(mine.length, 1, 'the read is one prepared statement in the session');
        assert.equal(twice.size, once.size, 'running it again prepares nothing new');
      });
    } finally {
      await store.close();
    }
  });

  test('off: nothing is prepared', async () => {
    const store = await openStore({ kind: 'postgres', url, preparedStatements: false }, { migrate: false });
    try {
      await store.transaction(async (trx) => {
        await trx.selectFrom('projects').select('id').where('id', '=', 'none').execute();
        const named = await sessionStatements((text) => sql.raw(text).execute(trx) as Promise<pg.QueryResult>);
        assert.equal(named.size, 0);
      });
    } finally {
      await store.close();
    }
  });

  test('a column added under a prepared select * costs no statement outside a transaction and one inside', async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    prepareStatements(pool);
    const client = await pool.connect();
    try {
      await admin.query('create table prepared_probe (id int primary key, a text)');
      await admin.query(`insert into prepared_probe values (1, 'one')`);
      const read = () => client.query('select * from prepared_probe where id = $1', [1]);
      assert.deepEqual((await read()).rows, [{ id: 1, a: 'one' }]);

      await admin.query('alter table prepared_probe add column b text');
      assert.deepEqual((await read()).rows, [{ id: 1, a: 'one', b: null }], 'outside a transaction it is prepared again and run');

      await admin.query('alter table prepared_probe add column c text');
      await client.query('begin');
      await assert.rejects(read(), (error: { code?: string }) => error.code === '0A000', 'inside a transaction the statement fails, as PostgreSQL says');
      await client.query('rollback');
      assert.deepEqual((await read()).rows, [{ id: 1, a: 'one', b: null, c: null }], 'the retry finds the new name');
    } finally {
      client.release();
      await pool.end();
      await admin.query('drop table if exists prepared_probe');
      await admin.end();
    }
  });
});
