import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MainThreadTurns } from './main-thread-turns.js';

test('at most `concurrency` tasks run at once, in the order asked, and each settles as its task does', async () => {
  const turns = new MainThreadTurns(2);
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const task = (i: number) => async () => {
    started.push(i);
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 5));
    running--;
    if (i === 3) throw new Error('task 3 failed');
    return i * 10;
  };
  const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map((i) => turns.run(task(i))));
  assert.equal(most, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    [0, 10, 20, 'task 3 failed', 40, 50],
  );
});

test('the event loop takes its turn between tasks that never wait for I/O', async () => {
  const turns = new MainThreadTurns(1);
  const order: string[] = [];
  // Tasks that resolve in microtasks only, as queued PGlite statements do.
  const runs = Array.from({ length: 5 }, (_, i) => turns.run(async () => void order.push(`task ${i}`)));
  setImmediate(() => order.push('I/O'));
  await Promise.all(runs);
  const io = order.indexOf('I/O');
  assert.ok(io > 0 && io < order.length - 1, `I/O ran between the tasks, not after all of them: ${order.join(', ')}`);
});
