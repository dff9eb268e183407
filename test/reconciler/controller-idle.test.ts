import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/logging/logger.js';
import { Controller } from '../../src/reconciler/controller.js';
import { DONE } from '../../src/reconciler/outcome.js';
import type { Store } from '../../src/store/database.js';
import { WorkQueueRepository } from '../../src/store/work-queue.repository.js';
import { withQueryLog } from '../support/query-log.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// The reconcile loop on a real store: idle workers do not each poll the queue (one holds the timer
// for the next due time), and a run of due items found by that one is still taken up by every
// worker at once (a worker that claims an item wakes another).

const WORKERS = 6;
let t: TestStore;

before(async () => {
  t = await openTestStore();
});
after(async () => {
  await t.cleanup();
});

/** The store with every claim of the queue counted (the claim is an `update reconcile_queue q …`). */
function countingClaims(store: Store): { store: Store; claims: () => number } {
  const { db, queries } = withQueryLog(store.db);
  return { store: { ...store, db }, claims: () => queries.filter((q) => /update reconcile_queue q/.test(q)).length };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const options = { workers: WORKERS, leaseMs: 10_000, resyncMs: 3_600_000, resync: async () => undefined };

test(`${WORKERS} idle workers claim about once a second between them, not once a second each`, async () => {
  const { store, claims } = countingClaims(t.store);
  const controller = new Controller(store, { idle: async () => DONE }, options, createLogger('error'));
  await controller.start();
  await sleep(500); // every worker has made its first claim and gone to sleep
  const before = claims();
  await sleep(4000);
  const during = claims() - before;
  await controller.stop();
  // One timer holder: about 4 claims in 4 s. Each worker on its own timer would make about 24.
  assert.ok(during <= 8, `${during} claims in 4 s by ${WORKERS} idle workers`);
  assert.ok(during >= 2, `${during} claims in 4 s: the timer holder must still look for due work`);
});

test('due items found by the timer holder are worked on by every worker at once', async () => {
  let running = 0;
  let most = 0;
  const done = new Set<string>();
  const controller = new Controller(
    t.store,
    {
      slow: async (key) => {
        running++;
        most = Math.max(most, running);
        await sleep(300);
        running--;
        done.add(key);
        return DONE;
      },
    },
    options,
    createLogger('error'),
  );
  await controller.start();
  await sleep(500); // all idle
  // Enqueued without a wake-up (as another replica's delayed item falls due): only the timer finds them.
  const queue = new WorkQueueRepository(t.store.db);
  for (let i = 0; i < 24; i++) await queue.enqueue('slow', `k${i}`);
  const deadline = Date.now() + 15_000;
  while (done.size < 24 && Date.now() < deadline) await sleep(50);
  await controller.stop();
  assert.equal(done.size, 24, 'every item reconciled');
  assert.equal(most, WORKERS, `at most ${most} passes ran at once`);
});
