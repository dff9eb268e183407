import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { openStore } from '../../src/store/database.js';
import type { StoreLocation } from '../../src/store/database.js';
import { newStoreLocation } from '../support/test-store.js';
import { runInProcess, tempHome } from './support/cli-runner.js';

let location: StoreLocation;
let drop: () => Promise<void>;
let home: { home: string; cleanup(): void };
before(async () => {
  ({ location, drop } = await newStoreLocation());
  home = tempHome();
  // A store five releases behind: migrated, then the five newest migrations undone.
  const store = await openStore(location);
  await sql`delete from kysely_migration where name in ('0017-appservices-access-list', '0018-provider-accounts-clouds', '0019-simulated-node-addresses', '0020-placement-counts', '0021-public-route-changes')`.execute(
    store.db,
  );
  await sql`drop table appservices_access_list`.execute(store.db);
  await sql`drop table simulated_node_addresses`.execute(store.db);
  await sql`drop table provider_placement_counts`.execute(store.db);
  await sql`drop function count_provider_placement cascade`.execute(store.db);
  await sql`drop table public_route_changes`.execute(store.db);
  await sql`drop function note_public_route_change cascade`.execute(store.db);
  for (const column of ['subscription_id', 'tenant_id', 'client_id', 'client_secret', 'project_id', 'service_account_key']) {
    await sql`alter table provider_accounts drop column ${sql.ref(column)}`.execute(store.db);
  }
  // An app made before the app access list existed: the upgrade gives it 0.0.0.0/0.
  await sql`insert into organizations (id, name) values ('00000000000000000000000a', 'Upgrade Org')`.execute(store.db);
  await sql`insert into projects (id, org_id, name, host_suffix) values ('00000000000000000000000b', '00000000000000000000000a', 'Upgrade', 'upgr1')`.execute(store.db);
  await sql`insert into appservices_apps (id, project_id, name, client_app_id, deployment_model, provider_region, location, product, data_source_id, data_source)
    values ('00000000000000000000000c', '00000000000000000000000b', 'Old', 'old-abcde', 'LOCAL', 'aws-us-east-1', 'US-VA', 'standard', '00000000000000000000000d', '{}')`.execute(
    store.db,
  );
  // Endpoint services placed before placements were counted: the upgrade counts them (two in one
  // account and region, one in another region).
  await sql`insert into provider_accounts (id, provider, name, kind) values ('00000000000000000000000e', 'AWS', 'pool-1', 'localcloud')`.execute(store.db);
  for (const id of ['0000000000000000000000a1', '0000000000000000000000a2']) {
    await sql`insert into projects (id, org_id, name, host_suffix) values (${id}, '00000000000000000000000a', ${`Placed ${id}`}, ${`p${id.slice(-2)}`})`.execute(store.db);
  }
  for (const [id, project, region] of [
    ['0000000000000000000000b1', '0000000000000000000000a1', 'US_EAST_1'],
    ['0000000000000000000000b2', '0000000000000000000000a2', 'US_EAST_1'],
    ['0000000000000000000000b3', '0000000000000000000000a2', 'US_WEST_2'],
  ] as const) {
    await sql`insert into endpoint_services (id, project_id, provider, region_name, status) values (${id}, ${project}, 'AWS', ${region}, 'AVAILABLE')`.execute(store.db);
    await sql`insert into provider_placements (service_id, account_id, provider, region_name, project_id) values (${id}, '00000000000000000000000e', 'AWS', ${region}, ${project})`.execute(
      store.db,
    );
  }
  await store.close();
});
after(async () => {
  await drop?.();
  home?.cleanup();
});

const PENDING = '0017-appservices-access-list\n0018-provider-accounts-clouds\n0019-simulated-node-addresses\n0020-placement-counts\n0021-public-route-changes\n';

const migrate = (...flags: string[]) =>
  runInProcess(['migrate', ...flags, ...(location.kind === 'pglite' ? ['--data-dir', location.dataDir] : [])], {
    home: home.home,
    env: location.kind === 'postgres' ? { DATABASE_URL: location.url } : {},
  });

describe('privlink migrate', { concurrency: false }, () => {
  test('--dry-run lists the pending migrations on stdout and changes nothing', async () => {
    const first = await migrate('--dry-run');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, PENDING);
    assert.match(first.stderr, /5 pending migration\(s\); nothing was changed/);
    const again = await migrate('--dry-run');
    assert.equal(again.stdout, PENDING, 'still pending: the dry run applied nothing');
  });

  test('without --dry-run it applies them; afterwards nothing is pending and the new table is there', async () => {
    const applied = await migrate();
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal(applied.stdout, PENDING);
    const after = await migrate('--dry-run');
    assert.equal(after.stdout, '');
    assert.match(after.stderr, /up to date/);
    const store = await openStore(location, { migrate: false });
    try {
      const { rows } = await sql<{ id: string; address: string }>`select id, address from appservices_access_list where app_id = '00000000000000000000000c'`.execute(store.db);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.address, '0.0.0.0/0');
      assert.match(rows[0]!.id, /^[a-f0-9]{24}$/);
      const counts = await sql<{
        region_name: string;
        placements: number;
      }>`select region_name, placements from provider_placement_counts where account_id = '00000000000000000000000e' order by region_name`.execute(store.db);
      assert.deepEqual(
        counts.rows.map((r) => [r.region_name, r.placements]),
        [
          ['US_EAST_1', 2],
          ['US_WEST_2', 1],
        ],
        'the placements made before the upgrade are counted',
      );
    } finally {
      await store.close();
    }
  });
});
