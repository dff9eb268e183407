import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, beforeEach, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { openStore } from '../../src/store/database.js';
import { PGliteDialect } from '../../src/store/pglite-dialect.js';
import { openPGliteThread, type PGliteSession } from '../../src/store/pglite-thread.js';

// Transactions on the embedded store cost as few round trips to its thread as they can: BEGIN
// travels with the first statement, a read-only transaction sends neither BEGIN nor COMMIT (its
// holder has the only session to itself) and still refuses writes. The session here is the real
// PGlite thread; the test only records what is sent to it.

const scratch = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'pglite-transactions-'));
let session: PGliteSession;
let db: Kysely<any>;
const sent: string[] = [];

before(async () => {
  const dataDir = join(scratch, 'data');
  // openStore initialises the data directory; the test then opens PGlite's thread on it itself.
  await (await openStore({ kind: 'pglite', dataDir }, { migrate: false })).close();
  session = await openPGliteThread({ dataDir, startParams: PGlite.defaultStartParams });
  const recorded: PGliteSession = {
    ...session,
    query(text, params, begin) {
      sent.push(begin === undefined ? text : `${begin} + ${text}`);
      return session.query(text, params, begin);
    },
  };
  db = new Kysely<any>({ dialect: new PGliteDialect(recorded) });
  await sql`create table note (id int primary key, body text)`.execute(db);
});
after(async () => {
  await session?.close();
  rmSync(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  await sql`delete from note`.execute(db);
  sent.length = 0;
});

async function ids(): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select id from note order by id`.execute(db);
  return rows.map((r) => r.id);
}

describe('transactions on the embedded store', () => {
  test('BEGIN goes with the first statement: two statements and COMMIT are three round trips', async () => {
    await db.transaction().execute(async (trx) => {
      await sql`insert into note values (1, 'a')`.execute(trx);
      await sql`insert into note values (2, 'b')`.execute(trx);
    });
    assert.deepEqual(sent, ["begin + insert into note values (1, 'a')", "insert into note values (2, 'b')", 'commit']);
    assert.deepEqual(await ids(), [1, 2]);
  });

  test('the transaction is real: a failure rolls back what its first statement wrote', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`insert into note values (3, 'c')`.execute(trx);
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.deepEqual(sent, ["begin + insert into note values (3, 'c')", 'rollback']);
    assert.deepEqual(await ids(), [], 'the insert was rolled back');
  });

  test('the isolation level travels with BEGIN', async () => {
    const level = await db
      .transaction()
      .setIsolationLevel('serializable')
      .execute(async (trx) => (await sql<{ level: string }>`select current_setting('transaction_isolation') as level`.execute(trx)).rows[0]!.level);
    assert.equal(level, 'serializable');
    assert.equal(sent[0], "begin isolation level serializable + select current_setting('transaction_isolation') as level");
  });

  test('a transaction that ran no statement costs no round trip', async () => {
    await db.transaction().execute(async () => undefined);
    assert.deepEqual(sent, []);
  });

  test('a read-only transaction sends neither BEGIN nor COMMIT, and refuses a write as PostgreSQL does (25006)', async () => {
    await sql`insert into note values (4, 'd')`.execute(db);
    sent.length = 0;
    const seen = await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const first = (await sql<{ n: number }>`select count(*)::int as n from note`.execute(trx)).rows[0]!.n;
        await assert.rejects(sql`insert into note values (5, 'e')`.execute(trx), (e: Error & { code?: string }) => e.code === '25006' && /read-only transaction/.test(e.message));
        await assert.rejects(trx.insertInto('note').values({ id: 6, body: 'f' }).execute(), (e: Error & { code?: string }) => e.code === '25006');
        return first;
      });
    assert.equal(seen, 1);
    assert.deepEqual(sent, ['select count(*)::int as n from note'], 'only the read went to the store');
    assert.deepEqual(await ids(), [4], 'neither write happened');
  });

  test('a read-only transaction sees one picture: a write that comes meanwhile waits until it ends', async () => {
    await sql`insert into note values (7, 'g')`.execute(db);
    let write: Promise<unknown> | undefined;
    const counts = await db
      .transaction()
      .setAccessMode('read only')
      .execute(async (trx) => {
        const count = async () => (await sql<{ n: number }>`select count(*)::int as n from note`.execute(trx)).rows[0]!.n;
        const first = await count();
        write = sql`insert into note values (8, 'h')`.execute(db);
        await sleep(30);
        return [first, await count()];
      });
    await write;
    assert.deepEqual(counts, [1, 1], 'the write did not land between the two reads');
    assert.deepEqual(await ids(), [7, 8]);
  });
});
