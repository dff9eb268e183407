import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openTestStore, type TestStore } from '../support/test-store.js';

// The store's write generation and its table scopes, on the run's real backend: the read caches
// (API keys and roles, the endpoint-service GET) keep their entries while this process writes
// other tables, and drop them when it writes theirs, including at the end of a transaction.
let test_: TestStore;
before(async () => {
  test_ = await openTestStore();
});
after(async () => test_?.cleanup());

/** Runs `write` and tells which counters moved: the whole store's, the `api_keys` scope's, the `settings` scope's. */
async function moved(write: () => Promise<unknown>): Promise<{ all: boolean; keys: boolean; settings: boolean }> {
  const writes = test_.store.writes;
  const keys = writes.scope(['api_keys']);
  const settings = writes.scope(['settings']);
  const before = { all: writes.value, keys: keys.value, settings: settings.value };
  await write();
  return { all: writes.value !== before.all, keys: keys.value !== before.keys, settings: settings.value !== before.settings };
}

describe('write generation scopes', () => {
  test('a builder write moves the scopes over its table only; a read moves nothing', async () => {
    const db = test_.store.db;
    assert.deepEqual(await moved(() => db.insertInto('settings').values({ key: 'wg-1', value: 'x' }).execute()), { all: true, keys: false, settings: true });
    assert.deepEqual(await moved(() => db.updateTable('api_keys').set({ description: 'd' }).where('id', '=', 'none').execute()), { all: true, keys: true, settings: false });
    assert.deepEqual(await moved(() => db.deleteFrom('api_keys as k').where('k.id', '=', 'none').execute()), { all: true, keys: true, settings: false });
    assert.deepEqual(await moved(() => db.selectFrom('api_keys').selectAll().execute()), { all: false, keys: false, settings: false });
  });

  test('a raw write names its table; one that names none (DDL) moves every scope', async () => {
    const db = test_.store.db;
    assert.deepEqual(await moved(() => sql`update settings set value = 'y' where key = 'wg-1'`.execute(db)), { all: true, keys: false, settings: true });
    assert.deepEqual(await moved(() => sql`delete from "api_keys" where id = 'none'`.execute(db)), { all: true, keys: true, settings: false });
    assert.deepEqual(await moved(() => sql`create temporary table if not exists wg_scratch (n int)`.execute(db)), { all: true, keys: true, settings: true });
    assert.deepEqual(await moved(() => sql`select 1`.execute(db)), { all: false, keys: false, settings: false });
  });

  test('the end of a transaction moves only the scopes over the tables it wrote', async () => {
    const store = test_.store;
    const keys = store.writes.scope(['api_keys']);
    let insideAfterWrite = -1;
    await store.transaction(async (trx) => {
      await trx.updateTable('api_keys').set({ description: 'd' }).where('id', '=', 'none').execute();
      insideAfterWrite = keys.value;
    });
    assert.ok(keys.value > insideAfterWrite, 'the commit moves it once more: a read made before the commit is not kept');
    assert.deepEqual(
      await moved(() =>
        store.transaction(async (trx) => {
          await trx.insertInto('settings').values({ key: 'wg-2', value: 'x' }).execute();
        }),
      ),
      { all: true, keys: false, settings: true },
    );
    assert.deepEqual(await moved(() => store.transaction(async (trx) => trx.selectFrom('settings').selectAll().execute())), { all: true, keys: false, settings: false });
  });
});
