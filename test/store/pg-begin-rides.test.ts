import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/database.js';
import { EMULATOR_LOCK_KEYS, inEmulatorTransaction } from '../../src/localcloud/common/emulator-lock.js';
import { newStoreLocation, testBackend } from '../support/test-store.js';

// On PostgreSQL a transaction's BEGIN rides with its first statement when that statement has no
// parameters (one simple query instead of two round trips), and nothing about the transaction
// changes: watched on the wire, between the store's pool and the server.
const postgresOnly = testBackend() === 'pglite' ? 'the PostgreSQL pool’s wire protocol; the embedded store’s thread joins BEGIN itself (pglite-transactions.test.ts)' : false;

/** What the store sent: each simple query ('Q') and each statement it parsed ('P'), in order. */
interface Sent {
  readonly kind: 'Q' | 'P';
  readonly text: string;
}

/** A pass-through in front of PostgreSQL that reads the frontend's messages as they go by. */
async function wireWatch(target: URL): Promise<{ url: string; sent: Sent[]; close(): Promise<void> }> {
  const sent: Sent[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        // The startup message has no type byte; every later one is a type byte and a length.
        const head = started ? 1 : 0;
        if (pending.length < head + 4) break;
        const length = pending.readInt32BE(head);
        if (pending.length < head + length) break;
        const type = started ? String.fromCharCode(pending[0]!) : '';
        const body = pending.subarray(head + 4, head + length);
        if (type === 'Q') sent.push({ kind: 'Q', text: body.subarray(0, body.indexOf(0)).toString() });
        if (type === 'P') {
          const nameEnd = body.indexOf(0);
          sent.push({ kind: 'P', text: body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString() });
        }
        pending = pending.subarray(head + length);
        started = true;
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  const url = new URL(target.href);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  return {
    url: url.href,
    sent,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('BEGIN rides with a first statement without parameters', { skip: postgresOnly }, () => {
  let drop: () => Promise<void> = async () => undefined;
  let watch: Awaited<ReturnType<typeof wireWatch>>;
  let store: Store;

  before(async () => {
    if (postgresOnly) return;
    const made = await newStoreLocation();
    if (made.location.kind !== 'postgres') throw new Error('expected a PostgreSQL location');
    drop = made.drop;
    watch = await wireWatch(new URL(made.location.url));
    store = await openStore({ kind: 'postgres', url: watch.url });
  });
  after(async () => {
    await store?.close();
    await watch?.close();
    await drop();
  });

  /** What the store sends while `work` runs. */
  async function sentDuring(work: () => Promise<unknown>): Promise<Sent[]> {
    const from = watch.sent.length;
    await work();
    return watch.sent.slice(from);
  }

  test('a constant first statement goes with BEGIN and runs inside the transaction', async () => {
    let first: Date | undefined;
    let second: Date | undefined;
    const sent = await sentDuring(() =>
      store.transaction(async (trx) => {
        // now() is the transaction's start: the same in both only if the first ran inside it.
        first = (await sql<{ at: Date }>`select now() as at`.execute(trx)).rows[0]!.at;
        await new Promise((resolve) => setTimeout(resolve, 20));
        second = (await sql<{ at: Date }>`select now() as at`.execute(trx)).rows[0]!.at;
      }),
    );
    assert.ok(first instanceof Date);
    assert.equal(first.getTime(), second!.getTime());
    // The second goes as a prepared statement (prepared-statements.ts names every data statement).
    assert.deepEqual(sent, [
      { kind: 'Q', text: 'begin; select now() as at' },
      { kind: 'P', text: 'select now() as at' },
      { kind: 'Q', text: 'commit' },
    ]);
  });

  test('a first statement with parameters goes after BEGIN on its own; its writes commit', async () => {
    const sent = await sentDuring(() =>
      store.transaction(async (trx) => {
        await trx.insertInto('settings').values({ key: 'begin-rides', value: 'yes' }).execute();
      }),
    );
    assert.deepEqual(
      sent.map((s) => (s.kind === 'P' ? `P ${s.text.split(' ')[0]}` : `Q ${s.text}`)),
      ['Q begin', 'P insert', 'Q commit'],
    );
    const row = await store.db.selectFrom('settings').select('value').where('key', '=', 'begin-rides').executeTakeFirst();
    assert.equal(row?.value, 'yes');
  });

  test('a failing first statement rolls the transaction back and leaves the connection usable', async () => {
    await assert.rejects(
      store.transaction(async (trx) => {
        await sql`select 1 / 0`.execute(trx);
      }),
      /division by zero/,
    );
    await assert.rejects(
      store.transaction(async (trx) => {
        await sql`insert into settings (key, value) values ('rolled-back', 'x')`.execute(trx);
        await sql`select 1 / 0`.execute(trx);
      }),
      /division by zero/,
    );
    assert.equal(await store.db.selectFrom('settings').select('key').where('key', '=', 'rolled-back').executeTakeFirst(), undefined);
    // Every pooled connection is out of its transaction: a plain statement on each works.
    await Promise.all(Array.from({ length: 12 }, () => sql`select 1 as one`.execute(store.db)));
  });

  test('an empty transaction, and one with an isolation level, send what they say', async () => {
    assert.deepEqual(await sentDuring(() => store.transaction(async () => undefined)), [{ kind: 'Q', text: 'begin; commit' }]);
    const consistent = await sentDuring(() => store.readConsistent(async (trx) => trx.selectFrom('settings').select('key').where('key', '=', 'x').execute()));
    assert.match(consistent[0]!.text, /^start transaction isolation level repeatable read read only$|^begin isolation level repeatable read read only$/i);
    assert.equal(consistent.length, 3);
  });

  test("the local cloud's lock (and its change notice) is taken in the transaction's first round trip", async () => {
    const sent = await sentDuring(() =>
      inEmulatorTransaction(store, EMULATOR_LOCK_KEYS.AWS, async (trx) => sql`select 1 as under_the_lock`.execute(trx), { channel: 'begin_rides_test', payload: "it's changed" }),
    );
    assert.deepEqual(sent[0], {
      kind: 'Q',
      text: `begin; select pg_advisory_xact_lock(${EMULATOR_LOCK_KEYS.AWS}), pg_notify('begin_rides_test', 'it''s changed')`,
    });
    assert.deepEqual(sent.slice(1), [
      { kind: 'P', text: 'select 1 as under_the_lock' },
      { kind: 'Q', text: 'commit' },
    ]);
  });
});
