import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { ProviderAccountsRepository } from '../../src/store/provider-accounts.repository.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

// The placements each pool account holds per region are read from a count kept beside them, not
// by counting every placement of the region: the count must follow every way a placement comes
// and goes (placed, moved, deleted with its endpoint service, deleted alone), on both backends.

let t: TestStore;
before(async () => {
  t = await openTestStore();
  await sql`insert into organizations (id, name) values ('00000000000000000000c0a1', 'Counted Org')`.execute(t.store.db);
  for (const account of ACCOUNTS) {
    await sql`insert into provider_accounts (id, provider, name, kind) values (${account}, 'AWS', ${`pool-${account.slice(-2)}`}, 'localcloud')`.execute(t.store.db);
  }
});
after(async () => t?.cleanup());

const ACCOUNTS = ['00000000000000000000ac01', '00000000000000000000ac02', '00000000000000000000ac03'];
const REGIONS = ['US_EAST_1', 'US_WEST_2'];
let made = 0;

/** A project with one endpoint service in `region`, placed in `account`; the service's id. */
async function placedService(repos: ProviderAccountsRepository, account: string, region: string): Promise<string> {
  const n = (++made).toString(16).padStart(4, '0');
  const project = `00000000000000000000${n}`;
  const service = `0000000000000000000a${n}`;
  await sql`insert into projects (id, org_id, name, host_suffix) values (${project}, '00000000000000000000c0a1', ${`Counted ${n}`}, ${`c${n}`})`.execute(t.store.db);
  await sql`insert into endpoint_services (id, project_id, provider, region_name, status) values (${service}, ${project}, 'AWS', ${region}, 'INITIATING')`.execute(t.store.db);
  await repos.insertPlacement({ serviceId: service, accountId: account, provider: 'AWS', regionName: region, projectId: project });
  return service;
}

/** What counting every placement says, per region and account (the way placements were counted before). */
async function counted(): Promise<Record<string, Record<string, number>>> {
  const { rows } = await sql<{ region_name: string; account_id: string; n: string }>`
    select region_name, account_id, count(*) as n from provider_placements group by region_name, account_id`.execute(t.store.db);
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) (out[r.region_name] ??= {})[r.account_id] = Number(r.n);
  return out;
}

/** What the repository reads, per region and account. */
async function read(repos: ProviderAccountsRepository): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const region of REGIONS) {
    const counts = await repos.countPlacements('AWS', region);
    if (counts.size > 0) out[region] = Object.fromEntries(counts);
  }
  return out;
}

test('the counts follow placements made, moved and deleted, cascades included', async () => {
  const repos = new ProviderAccountsRepository(t.store.db);
  assert.deepEqual(await read(repos), {}, 'no placement yet');
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const services: string[] = [];
  for (let step = 0; step < 60; step++) {
    const action = random(10);
    if (action < 6 || services.length === 0) {
      services.push(await placedService(repos, ACCOUNTS[random(ACCOUNTS.length)]!, REGIONS[random(REGIONS.length)]!));
    } else if (action < 8) {
      // The service goes: its placement goes with it (on delete cascade).
      const [service] = services.splice(random(services.length), 1);
      await sql`delete from endpoint_services where id = ${service!}`.execute(t.store.db);
    } else if (action < 9) {
      const service = services[random(services.length)]!;
      await sql`update provider_placements set account_id = ${ACCOUNTS[random(ACCOUNTS.length)]!} where service_id = ${service}`.execute(t.store.db);
    } else {
      const [service] = services.splice(random(services.length), 1);
      await sql`delete from provider_placements where service_id = ${service!}`.execute(t.store.db);
      await sql`delete from endpoint_services where id = ${service!}`.execute(t.store.db);
    }
    assert.deepEqual(await read(repos), await counted(), `after step ${step}`);
  }
  assert.ok(services.length > 10, 'the walk placed more than it removed');
});

test('a placement written twice counts once; an account emptied is left out of the report', async () => {
  const repos = new ProviderAccountsRepository(t.store.db);
  const service = await placedService(repos, ACCOUNTS[0]!, 'EU_WEST_1');
  const project = (await sql<{ project_id: string }>`select project_id from endpoint_services where id = ${service}`.execute(t.store.db)).rows[0]!.project_id;
  await repos.insertPlacement({ serviceId: service, accountId: ACCOUNTS[1]!, provider: 'AWS', regionName: 'EU_WEST_1', projectId: project });
  assert.deepEqual(Object.fromEntries(await repos.countPlacements('AWS', 'EU_WEST_1')), { [ACCOUNTS[0]!]: 1 }, 'the second insert did nothing (on conflict)');
  const report = async () => (await repos.countAllPlacements('AWS')).filter((r) => r.regionName === 'EU_WEST_1');
  assert.deepEqual(await report(), [{ accountId: ACCOUNTS[0]!, regionName: 'EU_WEST_1', placements: 1 }]);
  await sql`delete from endpoint_services where id = ${service}`.execute(t.store.db);
  assert.deepEqual(await report(), [], 'no account holds a service there now');
  assert.equal((await repos.countPlacements('AWS', 'EU_WEST_1')).size, 0);
});
