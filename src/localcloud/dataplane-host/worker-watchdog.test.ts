import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkerWatchdog } from './worker-watchdog.js';

test('a worker that answers its pings is left alone; one that falls silent is reported once', async () => {
  let answering = true;
  const stalls: number[] = [];
  let pings = 0;
  const watchdog: WorkerWatchdog = new WorkerWatchdog({
    intervalMs: 10,
    stallMs: 100,
    ping: () => {
      pings += 1;
      if (answering) setImmediate(() => watchdog.alive());
    },
    onStall: (silentMs) => stalls.push(silentMs),
  });
  watchdog.start();
  try {
    await sleep(300);
    assert.deepEqual(stalls, [], 'an answering worker is never reported');
    assert.ok(pings > 5);
    answering = false;
    const deadline = Date.now() + 5000;
    while (stalls.length === 0 && Date.now() < deadline) await sleep(10);
    assert.equal(stalls.length, 1);
    assert.ok(stalls[0]! > 100);
    const pingsAtStall = pings;
    await sleep(100);
    assert.equal(stalls.length, 1, 'reported once');
    assert.equal(pings, pingsAtStall, 'and it stopped pinging');
  } finally {
    watchdog.stop();
  }
});
