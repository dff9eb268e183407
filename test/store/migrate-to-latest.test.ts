import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { migrate } from '../../src/store/database.js';
import { migrateLocalCloudAzure } from '../../src/localcloud/azure/store/migrations/index.js';
import { withQueryLog } from '../support/query-log.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// Starting on an up-to-date store costs two small queries per migration set (not Kysely's
// read of every table's columns), and anything but exactly the known migrations still goes
// through Kysely's Migrator, with its checks and errors.

let t: TestStore;
before(async () => {
  t = await openTestStore();
});
after(async () => {
  await t.cleanup();
});

const counting = () => withQueryLog(t.store.db);

test('an up-to-date store: two queries per migration set, no catalogue scan', async () => {
  const { db, queries } = counting();
  await migrate(db);
  await migrateLocalCloudAzure(db);
  assert.equal(queries.length, 4, queries.join('\n'));
  assert.ok(
    queries.every((q) => !/pg_attribute|pg_catalog/.test(q)),
    queries.join('\n'),
  );
});

test('a migration this version does not know: the Migrator runs and refuses, naming it', async () => {
  await sql`insert into kysely_migration (name, timestamp) values ('9999-from-a-newer-version', now()::text)`.execute(t.store.db);
  try {
    await assert.rejects(migrate(t.store.db), /9999-from-a-newer-version/);
  } finally {
    await sql`delete from kysely_migration where name = '9999-from-a-newer-version'`.execute(t.store.db);
  }
  await migrate(t.store.db); // up to date again
});

test('a pending migration: the Migrator runs it', async () => {
  const { db, queries } = counting();
  await sql`delete from lc_azure_migration where name = '0003-operations-indexes'`.execute(t.store.db);
  await sql`drop index lc_azure_operations_running_due, lc_azure_operations_running_on, lc_azure_operations_created`.execute(t.store.db);
  await migrateLocalCloudAzure(db);
  const found = await sql<{ found: string | null }>`select to_regclass('lc_azure_operations_created')::text as found`.execute(t.store.db);
  assert.equal(found.rows[0]?.found, 'lc_azure_operations_created');
  assert.ok(queries.length > 4, 'went through the Migrator');
});
