import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { EMULATOR_LOCK_KEYS, inEmulatorTransaction } from '../../src/localcloud/common/emulator-lock.js';
import { openStore, type Store } from '../../src/store/database.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

// Emulator requests run one at a time under an advisory lock. Those of one process wait their
// turn in memory, in arrival order, so a burst of them never holds the pool's connections while
// waiting for the lock: the rest of the process keeps its connections.
describe('the emulator lock', () => {
  let test0: TestStore;
  before(async () => {
    test0 = await openTestStore();
  });
  after(async () => {
    await test0.cleanup();
  });

  /** A promise to hold a transaction open, and the function that ends it. */
  function gate(): { held: Promise<void>; open: () => void } {
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    return { held, open };
  }

  test("runs a process's requests one at a time, in arrival order, and the next after a failure", async () => {
    const first = gate();
    const order: number[] = [];
    let inside = 0;
    let most = 0;
    const run = (n: number, fail = false) =>
      inEmulatorTransaction(test0.store, EMULATOR_LOCK_KEYS.AWS, async (trx) => {
        inside += 1;
        most = Math.max(most, inside);
        if (n === 0) await first.held;
        await sql`select 1`.execute(trx);
        order.push(n);
        inside -= 1;
        if (fail) throw new Error(`request ${n} failed`);
        return n;
      });
    const runs = [run(0), ...Array.from({ length: 24 }, (_, i) => run(i + 1, i === 5))];
    first.open();
    const settled = await Promise.allSettled(runs);
    assert.deepEqual(
      order,
      Array.from({ length: 25 }, (_, i) => i),
    );
    assert.equal(most, 1);
    assert.equal(settled.filter((s) => s.status === 'rejected').length, 1);
    assert.equal((settled[6] as PromiseRejectedResult).reason.message, 'request 6 failed');
  });

  test('a commit notice goes out when the transaction commits, not when its work fails', async () => {
    const heard: string[] = [];
    let arrived!: () => void;
    const committed = new Promise<void>((resolve) => (arrived = resolve));
    const unlisten = await test0.store.listen('privlink_emulator_lock_test', (payload) => {
      heard.push(payload);
      if (payload === 'committed') arrived();
    });
    try {
      const fails = inEmulatorTransaction(
        test0.store,
        EMULATOR_LOCK_KEYS.AWS,
        async () => {
          throw new Error('rolled back');
        },
        { channel: 'privlink_emulator_lock_test', payload: 'rolled back' },
      );
      await assert.rejects(fails, /rolled back/);
      const answer = await inEmulatorTransaction(test0.store, EMULATOR_LOCK_KEYS.AWS, async () => 'done', { channel: 'privlink_emulator_lock_test', payload: 'committed' });
      assert.equal(answer, 'done');
      // Notifications arrive in commit order: had the rolled-back one been sent, it came first.
      await committed;
      assert.deepEqual(heard, ['committed']);
    } finally {
      await unlisten();
    }
  });

  test(
    "a burst of queued requests leaves the pool's other connections to the rest of the process",
    // PGlite has one connection and serialises every transaction with the process's other
    // queries by design; the pool this protects exists on PostgreSQL only.
    { skip: testBackend() === 'pglite' ? 'PGlite has a single connection: nothing to leave to the rest of the process' : false },
    async () => {
      const first = gate();
      const burst = Array.from({ length: 40 }, (_, i) => inEmulatorTransaction(test0.store, EMULATOR_LOCK_KEYS.AWS, async () => (i === 0 ? first.held : undefined)));
      const within = <T>(work: Promise<T>) => Promise.race([work, new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 5_000).unref())]);
      try {
        // The pool holds ten connections: before requests queued in memory, forty of them took all
        // ten (one holding the lock, nine waiting for it) and this read waited behind them all.
        assert.deepEqual(await within(test0.store.db.selectNoFrom(sql<number>`1`.as('one')).executeTakeFirstOrThrow()), { one: 1 });
        // Another emulator's lock is not this one's: its requests run while the AWS queue is held.
        assert.equal(await within(inEmulatorTransaction(test0.store, EMULATOR_LOCK_KEYS.GCP, async () => 'gcp')), 'gcp');
      } finally {
        first.open();
        await Promise.all(burst);
      }
    },
  );

  test(
    'two processes on one database still never run their requests at the same time',
    { skip: testBackend() === 'pglite' ? 'a PGlite data directory is opened by one process only (its lock file)' : false },
    async () => {
      const other: Store = await openStore(test0.location, { migrate: false });
      try {
        const first = gate();
        let inside = 0;
        let most = 0;
        const work = (store: Store, hold?: Promise<void>) =>
          inEmulatorTransaction(store, EMULATOR_LOCK_KEYS.AWS, async (trx) => {
            inside += 1;
            most = Math.max(most, inside);
            if (hold) await hold;
            await sql`select pg_sleep(0.01)`.execute(trx);
            inside -= 1;
          });
        const runs = [work(test0.store, first.held), work(other), work(other), work(test0.store)];
        await new Promise((resolve) => setTimeout(resolve, 100));
        first.open();
        await Promise.all(runs);
        assert.equal(most, 1);
      } finally {
        await other.close();
      }
    },
  );
});
