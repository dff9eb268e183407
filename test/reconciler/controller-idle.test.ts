import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/logging/logger.js';
import { Controller } from '../../src/reconciler/controller.js';
import { DONE, requeueAfter } from '../../src/reconciler/outcome.js';
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

/** A started controller on `store` whose workers have all made their first claim and gone to sleep. */
async function idleController(store: Store, handlers: ConstructorParameters<typeof Controller>[1]): Promise<Controller> {
  const controller = new Controller(store, handlers, options, createLogger('error'));
  await controller.start();
  await sleep(500);
  return controller;
}

test(`${WORKERS} idle workers claim about once a second between them, not once a second each`, async () => {
  const { store, claims } = countingClaims(t.store);
  const controller = await idleController(store, { idle: async () => DONE });
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
  const controller = await idleController(t.store, {
    slow: async (key) => {
      running++;
      most = Math.max(most, running);
      await sleep(300);
      running--;
      done.add(key);
      return DONE;
    },
  });
  // Enqueued without a wake-up (as another replica's delayed item falls due): only the timer finds them.
  const queue = new WorkQueueRepository(t.store.db);
  for (let i = 0; i < 24; i++) await queue.enqueue('slow', `k${i}`);
  const deadline = Date.now() + 15_000;
  while (done.size < 24 && Date.now() < deadline) await sleep(50);
  await controller.stop();
  assert.equal(done.size, 24, 'every item reconciled');
  assert.equal(most, WORKERS, `at most ${most} passes ran at once`);
});

test('a wake-up sends one idle worker to the queue, not every one of them', async () => {
  const { store, claims } = countingClaims(t.store);
  const done: string[] = [];
  const controller = await idleController(store, {
    quick: async (key) => {
      done.push(key);
      return DONE;
    },
  });
  const queue = new WorkQueueRepository(t.store.db);
  let most = 0;
  for (let i = 0; i < 5; i++) {
    const before = claims();
    await queue.enqueue('quick', `w${i}`);
    controller.wake(); // as the work channel's notification does
    const deadline = Date.now() + 5_000;
    while (done.length <= i && Date.now() < deadline) await sleep(5);
    await sleep(50); // a worker woken by the claimer has looked too
    most = Math.max(most, claims() - before);
  }
  await controller.stop();
  assert.deepEqual(done, ['w0', 'w1', 'w2', 'w3', 'w4']);
  // The woken worker's claim, and the one it wakes in case more is due (the timer holder may add
  // one). Waking all six idle workers made seven.
  assert.ok(most <= 3, `${most} claims for one item enqueued with a wake-up, ${WORKERS} idle workers`);
});

test('an item a pass requeues is taken again when it falls due, not when the idle timer next fires', async () => {
  const passes: number[] = [];
  // The idle timer is 30 s here: a requeued item that waited for it would miss the deadline below.
  const controller = new Controller(
    t.store,
    {
      again: async () => {
        passes.push(performance.now());
        return passes.length === 1 ? requeueAfter(50) : DONE;
      },
    },
    { ...options, idleCheckMs: 30_000 },
    createLogger('error'),
  );
  await controller.start();
  await sleep(500); // every worker idle, one of them on the 30 s timer
  await new WorkQueueRepository(t.store.db).enqueue('again', 'r1');
  controller.wake();
  const deadline = Date.now() + 10_000;
  while (passes.length < 2 && Date.now() < deadline) await sleep(10);
  await controller.stop();
  assert.equal(passes.length, 2, 'the requeued item was reconciled again within 10 s');
  const gap = passes[1]! - passes[0]!;
  assert.ok(gap >= 50, `the second pass came ${gap.toFixed(0)} ms after the first: before its requeue delay`);
});
