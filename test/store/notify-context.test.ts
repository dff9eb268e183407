import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { answering, currentContext, runWithContext } from '../../src/observability/request-context.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// A notification's listeners run as background work on either backend: not in the notifier's work
// context (on PGlite the notification is delivered in-process, on PostgreSQL through the server).

let store: TestStore;
before(async () => {
  store = await openTestStore();
});
after(async () => store?.cleanup());

test("a listener runs outside the notifier's work context", async () => {
  let seen: { context: unknown; answering: unknown } | undefined;
  const heard = new Promise<void>((resolve) => {
    void store.store
      .listen('notify_context_test', () => {
        seen = { context: currentContext(), answering: answering() };
        resolve();
      })
      .then(() => runWithContext({ requestId: 'caller', answering: 'write' }, () => store.store.notify('notify_context_test', 'x')));
  });
  await heard;
  assert.deepEqual(seen, { context: undefined, answering: undefined });
});
