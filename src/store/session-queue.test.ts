import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAIRNESS, SessionQueue, rankOf } from './session-queue.js';

/** Queues `ranks` behind a holder, then releases the holder and each next one; returns the order they held the session in. */
async function order(ranks: readonly number[]): Promise<number[]> {
  const queue = new SessionQueue();
  await queue.acquire(2);
  const held: number[] = [];
  const waiters = ranks.map((rank, i) =>
    queue.acquire(rank).then(() => {
      held.push(i);
      queue.release();
    }),
  );
  queue.release();
  await Promise.all(waiters);
  return held;
}

test("ranks: a GET's reads, then other requests' writes, then background work", () => {
  assert.deepEqual([rankOf('read'), rankOf('write'), rankOf(undefined)], [0, 1, 2]);
});

test('a free session is taken at once; waiters go by rank, then in arrival order', async () => {
  //              0  1  2  3  4  5
  const ranks = [2, 2, 1, 0, 2, 0];
  assert.deepEqual(await order(ranks), [3, 5, 2, 0, 1, 4]);
});

test('background work is not starved: after FAIRNESS hand-overs past it, the longest-waiting goes', async () => {
  const ranks = [2, ...Array.from({ length: 3 * FAIRNESS }, () => 0)];
  const held = await order(ranks);
  assert.equal(held.indexOf(0), FAIRNESS, `background went after ${held.indexOf(0)} reads: ${held.join(',')}`);
});

test('released with nobody waiting, the session is free for the next caller', async () => {
  const queue = new SessionQueue();
  await queue.acquire(2);
  queue.release();
  let got = false;
  await queue.acquire(2).then(() => (got = true));
  assert.equal(got, true);
  // Held again: a second caller waits until the release.
  let second = false;
  const waiting = queue.acquire(0).then(() => (second = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(second, false);
  queue.release();
  await waiting;
  assert.equal(second, true);
});
