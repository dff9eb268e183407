import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { runWithContext } from '../../src/observability/request-context.js';
import { openStore, type Store } from '../../src/store/database.js';

// The embedded store runs PGlite in a thread of its own, on every backend this suite runs on (the
// store under test here is always PGlite): what crosses the thread keeps its meaning, a long
// statement leaves the main thread turning, and an Admin API read goes before queued background work.

const scratch = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'pglite-thread-'));
let store: Store;
before(async () => {
  store = await openStore({ kind: 'pglite', dataDir: join(scratch, 'data') }, { migrate: false });
  await sql`create table probe (id int primary key, at timestamptz, bytes bytea, big int8, doc jsonb, note text)`.execute(store.db);
});
after(async () => {
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("PGlite's thread", () => {
  test('values keep their types both ways: dates, bytes, 64-bit integers, JSON, null', async () => {
    const at = new Date('2026-12-04T10:11:12.345Z');
    const bytes = Buffer.from([0, 1, 254, 255]);
    await sql`insert into probe values (1, ${at}, ${bytes}, ${'9007199254740993'}, ${JSON.stringify({ a: [1, 'b'] })}, ${null})`.execute(store.db);
    const { rows } = await sql<{ at: Date; bytes: Uint8Array; big: unknown; doc: unknown; note: string | null }>`select at, bytes, big, doc, note from probe where id = 1`.execute(
      store.db,
    );
    const row = rows[0]!;
    assert.ok(row.at instanceof Date, `at is ${Object.prototype.toString.call(row.at)}`);
    assert.equal(row.at.toISOString(), at.toISOString());
    assert.deepEqual([...row.bytes], [0, 1, 254, 255]);
    assert.equal(String(row.big), '9007199254740993', 'no precision lost');
    assert.deepEqual(row.doc, { a: [1, 'b'] });
    assert.equal(row.note, null);
  });

  test("an error keeps PostgreSQL's fields (code, constraint) and the session goes on", async () => {
    await sql`insert into probe (id) values (2)`.execute(store.db);
    const error = await sql`insert into probe (id) values (2)`.execute(store.db).then(
      () => assert.fail('a duplicate key was accepted'),
      (e: unknown) => e as Error & { code?: string; constraint?: string },
    );
    assert.ok(error instanceof Error);
    assert.match(error.message, /duplicate key/);
    assert.equal(error.code, '23505');
    assert.equal(error.constraint, 'probe_pkey');
    // A failed transaction rolls back and the session takes the next one.
    await assert.rejects(
      store.transaction(async (trx) => {
        await sql`insert into probe (id) values (3)`.execute(trx);
        await sql`select 1/0`.execute(trx);
      }),
      (e: Error & { code?: string }) => e.code === '22012',
    );
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from probe where id = 3`.execute(store.db);
    assert.equal(rows[0]!.n, 0);
  });

  test('a long statement leaves the main thread turning', async () => {
    let ticks = 0;
    let longestGapMs = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    try {
      await sql`select count(*) from generate_series(1, 3000000)`.execute(store.db);
    } finally {
      clearInterval(timer);
    }
    const ended = performance.now();
    const tookMs = ended - started;
    longestGapMs = Math.max(longestGapMs, ended - last);
    // In the main thread, the statement would hold it for its whole run: no tick at all.
    assert.ok(tookMs > 150, `the statement ran ${tookMs.toFixed(0)} ms: too short to tell`);
    assert.ok(longestGapMs < tookMs / 2, `the main thread stalled ${longestGapMs.toFixed(0)} ms of the statement's ${tookMs.toFixed(0)} ms (${ticks} ticks)`);
  });

  test('an Admin API read goes before background work already waiting for the session', async () => {
    const done: string[] = [];
    let releaseHolder!: () => void;
    const holding = new Promise<void>((resolve) => (releaseHolder = resolve));
    let held!: () => void;
    const isHeld = new Promise<void>((resolve) => (held = resolve));
    const holder = store.transaction(async (trx) => {
      held();
      await holding;
      await sql`select 1`.execute(trx);
      done.push('holder');
    });
    await isHeld;
    const background = Array.from({ length: 5 }, (_, i) => sql`select ${i}::int`.execute(store.db).then(() => done.push(`background ${i}`)));
    const write = runWithContext({ answering: 'write' }, () => sql`insert into probe (id) values (10)`.execute(store.db)).then(() => done.push('write'));
    const read = runWithContext({ answering: 'read' }, () => sql`select count(*) from probe`.execute(store.db)).then(() => done.push('read'));
    releaseHolder();
    await Promise.all([holder, ...background, write, read]);
    assert.deepEqual(done, ['holder', 'read', 'write', 'background 0', 'background 1', 'background 2', 'background 3', 'background 4']);
  });
});
