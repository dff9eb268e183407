import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MetricsRepository } from '../../src/store/metrics.repository.js';
import { WorkQueueRepository } from '../../src/store/work-queue.repository.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
before(async () => {
  store = await openTestStore();
});
after(async () => store?.cleanup());

describe('what the metrics read from the queue', () => {
  test('a claim after another owner lease lapsed is marked as a takeover; a fresh claim is not', async () => {
    const queue = new WorkQueueRepository(store.store.db);
    await queue.enqueue('metrics-test', 'k1');
    const first = await queue.claim('owner-a', 1, 1500);
    assert.deepEqual(
      first.map((i) => [i.key, i.takenOver ?? false]),
      [['k1', false]],
    );
    assert.deepEqual(await queue.claim('owner-b', 1, 100), [], 'leased: nobody else gets it');
    await new Promise((r) => setTimeout(r, 1700));
    const second = await queue.claim('owner-b', 1, 10_000);
    assert.deepEqual(
      second.map((i) => [i.key, i.takenOver ?? false]),
      [['k1', true]],
    );
    await queue.complete(second[0]!, 'owner-b');
  });

  test('queue depth per kind, due items, and the age of the oldest due item', async () => {
    const queue = new WorkQueueRepository(store.store.db);
    const reads = new MetricsRepository(store.store.db);
    await queue.enqueue('metrics-depth', 'a');
    await queue.enqueue('metrics-depth', 'b', 60_000);
    await new Promise((r) => setTimeout(r, 300));
    const row = (await reads.queue()).find((r) => r.kind === 'metrics-depth');
    assert.deepEqual(row, { kind: 'metrics-depth', depth: 2, due: 1 });
    const oldest = await reads.oldestDueSeconds();
    assert.ok(oldest >= 0.25 && oldest < 60, String(oldest));
  });
});
